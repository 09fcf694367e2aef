"""The apply journal: every intended and completed change, in SQLite, so a run can resume.

One row per step of a batch (``batch``, ``step``): ``intended`` is written and committed
before the change is sent; ``done`` or ``failed`` when its final result is known. A run killed
at any point leaves intended-but-unconfirmed steps, which the next run verifies against the
directory before re-sending (see ``mailops.provisioning.apply``). The journal holds addresses,
documentos, groups and Spanish error texts: never a password nor a hash.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mailops.errors import InputError
from mailops.provisioning.changes import Step

__all__ = ["Journal", "JournalEntry"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS steps (
    batch TEXT NOT NULL,
    step TEXT NOT NULL,
    kind TEXT NOT NULL,
    user TEXT NOT NULL,
    target TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('intended', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    intended_at TEXT NOT NULL,
    finished_at TEXT,
    PRIMARY KEY (batch, step)
);
"""

_COLUMNS = {
    "batch",
    "step",
    "kind",
    "user",
    "target",
    "status",
    "attempts",
    "note",
    "intended_at",
    "finished_at",
}


@dataclass(frozen=True)
class JournalEntry:
    batch: str
    step: str
    kind: str
    user: str
    target: str
    status: str
    attempts: int
    note: str


class Journal:
    """The journal file (``<state_dir>/aprovisionamiento/diario.sqlite3`` by default)."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._db = sqlite3.connect(self.path, timeout=30)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            # a damaged file must stop the run before anything is sent, not in the middle
            problems = [row[0] for row in self._db.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise sqlite3.DatabaseError("; ".join(str(p) for p in problems[:3]))
            self._db.executescript(_SCHEMA)
            self._db.commit()
            # another program's SQLite file with a "steps" table of its own is not our journal
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(steps)")}
            if not columns >= _COLUMNS:
                raise sqlite3.DatabaseError(
                    f"no es un diario de mailops (columnas {sorted(columns)})"
                )
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise InputError(
                f"el diario de cambios está dañado ({exc}). No lo borre: dice qué cambios ya se "
                "aplicaron. Restáurelo desde una copia de seguridad o, si no la hay, muévalo a "
                "otra carpeta y vuelva a planear el formato (el plan nuevo parte del directorio, "
                "así ninguna cuenta se crea dos veces)",
                where=str(self.path),
            ) from exc

    @classmethod
    def for_state(cls, state_dir: Path, **kwargs: Callable[[], datetime]) -> Journal:
        return cls(Path(state_dir) / "aprovisionamiento" / "diario.sqlite3", **kwargs)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _now(self) -> str:
        return self._clock().isoformat(timespec="microseconds")

    def intend(self, batch: str, steps: Iterable[Step]) -> None:
        """Record (and commit) the intention to send ``steps`` (again, if they were closed)."""
        now = self._now()
        self._db.executemany(
            "INSERT INTO steps (batch, step, kind, user, target, status, intended_at) "
            "VALUES (?, ?, ?, ?, ?, 'intended', ?) "
            "ON CONFLICT (batch, step) DO UPDATE SET status = 'intended', note = '', "
            "intended_at = excluded.intended_at, finished_at = NULL",
            [(batch, s.key, s.kind, s.user, s.target, now) for s in steps],
        )
        self._db.commit()

    def finish(
        self, batch: str, step: Step, ok: bool, *, attempts: int = 0, note: str = ""
    ) -> None:
        """Record a final result (committed by ``commit()``, or at once with ``durable``)."""
        self._db.execute(
            "UPDATE steps SET status = ?, attempts = attempts + ?, note = ?, finished_at = ? "
            "WHERE batch = ? AND step = ?",
            ("done" if ok else "failed", attempts, note, self._now(), batch, step.key),
        )

    def settle(self, batch: str, step_key: str, ok: bool, note: str) -> None:
        """Close an entry found unconfirmed on resume (committed at once)."""
        self._db.execute(
            "UPDATE steps SET status = ?, note = ?, finished_at = ? WHERE batch = ? AND step = ?",
            ("done" if ok else "failed", note, self._now(), batch, step_key),
        )
        self._db.commit()

    def commit(self) -> None:
        self._db.commit()

    def entries(self, batch: str | None = None) -> list[JournalEntry]:
        sql = "SELECT batch, step, kind, user, target, status, attempts, note FROM steps"
        args: tuple[str, ...] = ()
        if batch is not None:
            sql += " WHERE batch = ?"
            args = (batch,)
        return [JournalEntry(*row) for row in self._db.execute(sql + " ORDER BY rowid", args)]

    def status(self, batch: str) -> dict[str, str]:
        """Step key → status, for one batch."""
        return {
            k: s
            for k, s in self._db.execute("SELECT step, status FROM steps WHERE batch = ?", (batch,))
        }

    def done_since(self, batch: str, since: datetime) -> set[str]:
        """Keys of the steps of ``batch`` completed at or after ``since``."""
        out: set[str] = set()
        for key, finished in self._db.execute(
            "SELECT step, finished_at FROM steps WHERE batch = ? AND status = 'done'", (batch,)
        ):
            if finished and datetime.fromisoformat(str(finished)) >= since:
                out.add(str(key))
        return out

    def counts(self, batch: str) -> dict[str, int]:
        out = {"intended": 0, "done": 0, "failed": 0}
        for status, n in self._db.execute(
            "SELECT status, COUNT(*) FROM steps WHERE batch = ? GROUP BY status", (batch,)
        ):
            out[str(status)] = int(n)
        return out
