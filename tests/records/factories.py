"""Records and clocks for archive tests that do not need to execute a notebook."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mailops.records import ArchivedRecord, Decision, Record, RecordIndex, append_record

NOTEBOOKS = Path(__file__).parent / "notebooks"


class SteppingClock:
    """A clock that moves one second forward each time it is read."""

    def __init__(self, start: datetime = datetime(2026, 11, 29, 15, 30, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        current = self.now
        self.now += timedelta(seconds=1)
        return current


def draft(
    run_id: str,
    *,
    notebook: str = "02_usuarios",
    status: str = "passed",
    started_at: str = "2026-11-29T15:30:00.000+00:00",
    request: str | None = "Creación de cuenta para Ana Ruiz",
    operator: str | None = "Carlos Pérez",
    activities: Sequence[int] = (),
    decisions: Sequence[Decision] = (),
    procedure_run_id: str | None = None,
) -> Record:
    return Record(
        run_id=run_id,
        notebook=notebook,
        status=status,  # type: ignore[arg-type]
        started_at=started_at,
        finished_at=started_at,
        duration_seconds=1.0,
        mailops_version="0.1.0",
        parameters={"solicitud": request},
        operator=operator,
        request=request,
        activities=tuple(activities),
        decisions=tuple(decisions),
        procedure_run_id=procedure_run_id,
    )


def archive_drafts(
    root: Path, drafts: Sequence[Record], clock: SteppingClock
) -> list[ArchivedRecord]:
    index = RecordIndex(root)
    out = []
    for record in drafts:
        files = {
            f"{record.notebook}.ipynb": f'{{"cells": [], "run": "{record.run_id}"}}'.encode(),
            f"{record.notebook}.html": f"<html>{record.run_id}</html>".encode(),
        }
        out.append(append_record(root, record, files, clock=clock, on_archived=index.add))
    return out


def archive_simple(root: Path, count: int, clock: SteppingClock) -> list[ArchivedRecord]:
    drafts = [draft(f"20261129T1530{i:02d}Z-{i:06x}") for i in range(count)]
    return archive_drafts(root, drafts, clock)
