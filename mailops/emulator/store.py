"""The emulated domain's state: one SQLite file shared by every process that opens it.

WAL journal and a busy timeout let a notebook, the CLI and a test work on the same file at once.
Nothing is cached in memory across requests: another process may have changed the file. Writes
are serialised by an in-process lock plus ``BEGIN IMMEDIATE`` (which serialises across
processes). Each API area owns its tables and hands its schema to ``Store.ensure_schema``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mailops.errors import EmulatorError

__all__ = ["Store"]

_META_SCHEMA = "CREATE TABLE IF NOT EXISTS emu_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
_BUSY_TIMEOUT_MS = 30_000


class Store:
    """Connections to the state file. One connection per thread, opened on first use."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self.connection()
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(_META_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise EmulatorError(
                f"No se pudo abrir el archivo de estado del emulador {self.path}: {exc}. "
                "Revise que la carpeta exista y se pueda escribir, o use otro archivo (--state)."
            ) from exc

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (autocommit; use ``write()`` for changes)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    def release(self) -> None:
        """Close this thread's connection (a server thread calls it when its client leaves)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            with self._all_lock:
                if conn in self._all:
                    self._all.remove(conn)
            conn.close()

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._all_lock:
            conns, self._all = self._all, []
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, serialised within this process and across processes."""
        with self._write_lock:
            conn = self.connection()
            if conn.in_transaction:  # nested use inside one write: join it
                yield conn
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def ensure_schema(self, sql: str) -> None:
        """Create an area's tables and indexes if missing (``sql`` uses IF NOT EXISTS)."""
        with self._write_lock:
            self.connection().executescript(sql)

    def get_meta(self, key: str) -> str | None:
        row = (
            self.connection().execute("SELECT value FROM emu_meta WHERE key = ?", (key,)).fetchone()
        )
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO emu_meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def next_counter(self, name: str) -> int:
        """A counter kept in the file (ids stay unique across processes and restarts)."""
        with self.write() as conn:
            key = f"counter:{name}"
            row = conn.execute("SELECT value FROM emu_meta WHERE key = ?", (key,)).fetchone()
            value = 1 if row is None else int(row[0]) + 1
            conn.execute(
                "INSERT INTO emu_meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, str(value)),
            )
            return value
