"""The emulated API areas, in seeding order. Add a new area here (one line) and nowhere else."""

from __future__ import annotations

from mailops.emulator import directory, gmail, reports, status
from mailops.emulator.context import Area

__all__ = ["AREAS"]

AREAS: tuple[Area, ...] = (directory.AREA, reports.AREA, gmail.AREA, status.AREA)
