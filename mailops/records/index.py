"""The search index of the archive (SQLite), always rebuildable from the records themselves.

The index is a convenience, not the record: if it is lost or damaged, ``RecordIndex.rebuild``
reads every ``record.json`` and produces the same rows again.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mailops.errors import InputError
from mailops.folding import fold as normalize_text
from mailops.records.archive import (
    INDEX_FILE,
    ArchivedRecord,
    iter_record_folders,
    load_record,
    read_head,
)
from mailops.records.record import STATUS_LABELS, ArchiveError, Record

__all__ = ["IndexEntry", "RecordIndex", "RecordQuery", "normalize_text"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    run_id TEXT PRIMARY KEY,
    sequence INTEGER NOT NULL,
    folder TEXT NOT NULL,
    notebook TEXT NOT NULL,
    day TEXT NOT NULL,
    started_at TEXT NOT NULL,
    status TEXT NOT NULL,
    request TEXT,
    operator TEXT,
    procedure_code TEXT,
    procedure_version TEXT,
    procedure_run_id TEXT,
    record_hash TEXT NOT NULL,
    search_text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_day ON records(day);
CREATE INDEX IF NOT EXISTS records_sequence ON records(sequence);
CREATE TABLE IF NOT EXISTS activities (
    run_id TEXT NOT NULL, position INTEGER NOT NULL, activity INTEGER NOT NULL,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX IF NOT EXISTS activities_activity ON activities(activity);
CREATE TABLE IF NOT EXISTS decisions (
    run_id TEXT NOT NULL, position INTEGER NOT NULL, activity INTEGER NOT NULL,
    answer INTEGER NOT NULL, answer_label TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX IF NOT EXISTS decisions_activity ON decisions(activity);
"""


@dataclass(frozen=True)
class RecordQuery:
    """Filters for a search; every given filter must match.

    ``date_from``/``date_to`` are ``AAAA-MM-DD`` (inclusive); ``decision`` is an activity
    number, optionally with the answer: ``"10"``, ``"10:SI"``, ``"10:NO"``; ``request``,
    ``operator`` and ``text`` match parts of words, ignoring case and accents.
    """

    date_from: str | None = None
    date_to: str | None = None
    notebook: str | None = None
    activity: int | None = None
    decision: str | None = None
    status: str | None = None
    request: str | None = None
    operator: str | None = None
    procedure_run_id: str | None = None
    text: str | None = None
    limit: int | None = None


@dataclass(frozen=True)
class IndexEntry:
    """One row of a search result."""

    run_id: str
    sequence: int
    folder: str
    notebook: str
    date: str
    started_at: str
    status: str
    request: str | None
    operator: str | None
    procedure_run_id: str | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class RecordIndex:
    """The SQLite index of one archive root (``<root>/index.sqlite3``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / INDEX_FILE

    @classmethod
    def open(cls, root: Path) -> RecordIndex:
        """The index of ``root``, rebuilt from the records first if the file is missing or
        behind the chain (a run whose process died after archiving, before indexing)."""
        index = cls(root)
        if not index.path.exists() or index._behind_the_chain():
            index.rebuild()
        return index

    def _behind_the_chain(self) -> bool:
        try:
            head = read_head(self.root)
        except ArchiveError:
            return False  # verify names a damaged head; the index stays as it is
        head = head.arrived(self.root) if head is not None else None
        if head is None or not head.sequence:
            return False
        with self._connect() as conn:
            (last,) = conn.execute("SELECT MAX(sequence) FROM records").fetchone()
        return int(last or 0) < head.sequence

    @contextlib.contextmanager
    def _connect(self, path: Path | None = None) -> Iterator[sqlite3.Connection]:
        target = path or self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(target, timeout=30)
        conn.create_function("mailops_normalize", 1, _normalize_or_empty, deterministic=True)
        try:
            conn.executescript(_SCHEMA)
            with conn:
                yield conn
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(
                f"{target}: el índice está dañado ({exc}); reconstrúyalo con "
                "«mailops archive search --reconstruir»"
            ) from exc
        finally:
            conn.close()

    @staticmethod
    def _insert(conn: sqlite3.Connection, record: Record) -> None:
        # Statuses are stored as English codes; their Spanish labels are searchable too.
        text = normalize_text(
            json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True)
            + " "
            + record.status_label
        )
        conn.execute(
            "INSERT OR REPLACE INTO records VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                record.run_id,
                record.sequence,
                record.relative_folder,
                record.notebook,
                record.date,
                record.started_at,
                record.status,
                record.request,
                record.operator,
                record.procedure_code,
                record.procedure_version,
                record.procedure_run_id,
                record.record_hash,
                text,
            ),
        )
        conn.execute("DELETE FROM activities WHERE run_id = ?", (record.run_id,))
        conn.executemany(
            "INSERT INTO activities VALUES (?,?,?)",
            [(record.run_id, i, a) for i, a in enumerate(record.activities)],
        )
        conn.execute("DELETE FROM decisions WHERE run_id = ?", (record.run_id,))
        conn.executemany(
            "INSERT INTO decisions VALUES (?,?,?,?,?)",
            [
                (record.run_id, i, d.activity, int(d.answer), d.answer_label)
                for i, d in enumerate(record.decisions)
            ],
        )

    def add(self, archived: ArchivedRecord) -> None:
        """Index one newly archived record."""
        with self._connect() as conn:
            self._insert(conn, archived.record)

    def rebuild(self) -> int:
        """Rebuild the index from every record folder; returns how many were indexed.

        Builds a new file beside the old one and swaps it in, so a search never sees half an
        index. Folders whose ``record.json`` cannot be read are skipped (``verify`` names them).
        """
        tmp = self.root / f".{INDEX_FILE}.{secrets.token_hex(4)}"
        count = 0
        try:
            with self._connect(tmp) as conn:
                for folder in iter_record_folders(self.root):
                    try:
                        record = load_record(folder)
                    except ArchiveError:
                        continue
                    self._insert(conn, record)
                    count += 1
            os.replace(tmp, self.path)
        finally:
            if tmp.exists():
                tmp.unlink()
        return count

    def search(self, query: RecordQuery | None = None) -> list[IndexEntry]:
        """Records matching every filter of ``query``, in chain order."""
        q = query or RecordQuery()
        where: list[str] = []
        args: list[Any] = []
        if q.date_from:
            where.append("day >= ?")
            args.append(q.date_from)
        if q.date_to:
            where.append("day <= ?")
            args.append(q.date_to)
        if q.notebook:
            where.append("notebook = ?")
            args.append(Path(q.notebook).stem)
        if q.status:
            codes = {v: k for k, v in STATUS_LABELS.items()}
            where.append("status = ?")
            args.append(codes.get(q.status, q.status))
        if q.procedure_run_id:
            where.append("procedure_run_id = ?")
            args.append(q.procedure_run_id)
        for column, value in (("request", q.request), ("operator", q.operator)):
            if value:
                where.append(f"mailops_normalize({column}) LIKE ? ESCAPE '\\'")
                args.append(_like(normalize_text(value)))
        if q.activity is not None:
            where.append("run_id IN (SELECT run_id FROM activities WHERE activity = ?)")
            args.append(q.activity)
        if q.decision:
            activity, answer = _parse_decision(q.decision)
            clause = "SELECT run_id FROM decisions WHERE activity = ?"
            args.append(activity)
            if answer is not None:
                clause += " AND answer = ?"
                args.append(int(answer))
            where.append(f"run_id IN ({clause})")
        for word in normalize_text(q.text or "").split():
            where.append("search_text LIKE ? ESCAPE '\\'")
            args.append(_like(word))
        sql = (
            "SELECT run_id, sequence, folder, notebook, day, started_at, status, request, "
            "operator, procedure_run_id FROM records"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY sequence, run_id"
        if q.limit is not None:
            sql += " LIMIT ?"
            args.append(q.limit)
        with self._connect() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [IndexEntry(*row) for row in rows]

    def sequence_folders(self) -> dict[int, str]:
        """Chain position -> record folder, as last indexed (verify names missing records)."""
        if not self.path.exists():
            return {}
        with self._connect() as conn:
            return dict(conn.execute("SELECT sequence, folder FROM records").fetchall())

    def dump(self) -> list[tuple[Any, ...]]:
        """Every row of every table, sorted: two equal dumps mean two identical indexes."""
        with self._connect() as conn:
            rows: list[tuple[Any, ...]] = []
            for table in ("records", "activities", "decisions"):
                rows.extend(
                    (table, *row)
                    for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                )
        return rows


def _normalize_or_empty(value: str | None) -> str:
    return normalize_text(value) if value else ""


def _parse_decision(text: str) -> tuple[int, bool | None]:
    number, _, answer = text.partition(":")
    try:
        activity = int(number.strip())
    except ValueError:
        raise InputError(
            f"«{text}» no es una decisión válida (ejemplos: 10, 10:SI, 10:NO)", where="decisión"
        ) from None
    label = normalize_text(answer.strip())
    if not label:
        return activity, None
    if label in ("si", "s", "true", "1"):
        return activity, True
    if label in ("no", "n", "false", "0"):
        return activity, False
    raise InputError(f"la respuesta «{answer}» debe ser SI o NO", where="decisión")
