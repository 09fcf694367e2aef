"""The emulated API areas, in seeding order. Add a new area here (one line) and nowhere else."""

from __future__ import annotations

from mailops.emulator import directory
from mailops.emulator.context import Area

__all__ = ["AREAS"]

AREAS: tuple[Area, ...] = (directory.AREA,)
