"""The magnetic archive: write-once record folders joined by a hash chain.

Layout under the archive root::

    AAAA/MM/DD/<run-id>-<notebook>/   one record: <notebook>.ipynb, <notebook>.html,
                                      record.json, SHA256SUMS (all read-only)
    chain_head.json                   the last record of the chain (sequence, hash, folder)
    index.sqlite3                     the search index, rebuilt from the records when lost
    .staging/                         work in progress; never part of the archive
    .lock                             serialises appends so concurrent runs do not fork the chain

A record is assembled in ``.staging`` (same filesystem), sealed under the lock with its place
in the chain, made read-only and moved into place with one ``os.rename``: a crash leaves no half
record, and an existing record is never rewritten.

The head is written twice: ``pending`` before the rename, committed after it. Only a pending
head may name a folder that is not there (a crash before the rename: that record never
existed, the next append takes its place); a committed head whose folder is missing means the
last record was removed, and the next record still chains after it, so ``verify`` keeps
naming the gap instead of the deletion vanishing.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mailops.records.record import GENESIS_HASH, ArchiveError, Record, Status

__all__ = [
    "HEAD_FILE",
    "INDEX_FILE",
    "RECORD_FILE",
    "SUMS_FILE",
    "ArchivedRecord",
    "ChainHead",
    "append_record",
    "file_sha256",
    "find_record",
    "iter_record_folders",
    "load_record",
    "read_head",
    "read_sums",
]

RECORD_FILE = "record.json"
SUMS_FILE = "SHA256SUMS"
HEAD_FILE = "chain_head.json"
INDEX_FILE = "index.sqlite3"
STAGING_DIR = ".staging"
LOCK_FILE = ".lock"
_RECORD_GLOB = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*"
# Run ids, notebook and file names become path components: one component, not hidden.
_PLAIN_NAME = re.compile(r"[^./\\\x00-\x1f][^/\\\x00-\x1f]*")


@dataclass(frozen=True)
class ArchivedRecord:
    """A record as it sits in the archive."""

    folder: Path
    record: Record

    @property
    def status(self) -> Status:
        return self.record.status

    @property
    def run_id(self) -> str:
        return self.record.run_id

    @property
    def notebook_file(self) -> Path:
        return self.folder / f"{self.record.notebook}.ipynb"

    @property
    def html_file(self) -> Path:
        return self.folder / f"{self.record.notebook}.html"


@dataclass(frozen=True)
class ChainHead:
    """The end of the hash chain, with the one before it (to undo an append cut by a crash)."""

    sequence: int = 0
    record_hash: str = GENESIS_HASH
    folder: str = ""
    archived_at: str = ""
    previous: ChainHead | None = None
    pending: bool = False  # written before the record's folder is moved into place

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "sequence": self.sequence,
            "record_hash": self.record_hash,
            "folder": self.folder,
            "archived_at": self.archived_at,
        }
        if self.pending:
            data["pending"] = True
        if self.previous is not None:
            data["previous"] = self.previous.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChainHead:
        if not isinstance(data, dict):
            raise TypeError("no es un objeto JSON")
        previous = data.get("previous")
        return cls(
            sequence=int(data["sequence"]),
            record_hash=str(data["record_hash"]),
            folder=str(data["folder"]),
            archived_at=str(data.get("archived_at", "")),
            previous=cls.from_dict(previous) if isinstance(previous, dict) else None,
            pending=data.get("pending") is True,
        )

    def arrived(self, root: Path) -> ChainHead | None:
        """The head that holds: a pending head whose record never arrived gives way to the
        one before it."""
        if self.pending and not (root / self.folder).is_dir():
            return self.previous
        return replace(self, pending=False)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def read_head(root: Path) -> ChainHead | None:
    """The chain head, or None for an archive that never had a record."""
    path = root / HEAD_FILE
    if not path.exists():
        return None
    try:
        return ChainHead.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise ArchiveError(
            f"{path}: el encabezado de la cadena está dañado ({exc}); ejecute "
            "«mailops archive verify» para revisar el archivo"
        ) from exc


def read_sums(folder: Path) -> dict[str, str]:
    """The ``SHA256SUMS`` of a record folder: file name -> hash."""
    sums: dict[str, str] = {}
    for line in (folder / SUMS_FILE).read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, _, name = line.partition("  ")
            sums[name.strip()] = digest.strip()
    return sums


def iter_record_folders(root: Path) -> Iterator[Path]:
    """Every record folder under the archive root, in path order (day, then run id)."""
    if not root.is_dir():
        return
    for folder in sorted(root.glob(_RECORD_GLOB)):
        if folder.is_dir():
            yield folder


def load_record(folder: Path) -> Record:
    """Read ``record.json`` of a record folder."""
    path = folder / RECORD_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise ArchiveError(f"{path}: no se pudo leer el registro ({exc})") from exc
    if not isinstance(data, dict):
        raise ArchiveError(f"{path}: el registro no es un objeto JSON")
    record = Record.from_dict(data, where=str(path))
    try:
        record.relative_folder  # noqa: B018 - a started_at that names no day cannot be placed
    except ValueError:
        raise ArchiveError(
            f"{path}: el registro está mal formado (fecha de inicio «{record.started_at}» "
            "inválida); revise el archivo o restáurelo desde una copia de seguridad"
        ) from None
    return record


def find_record(root: Path, run_id: str) -> ArchivedRecord:
    """The record of a run id, or of any unique part of its folder name (the short code after
    the date, the notebook)."""
    wanted = run_id.strip()
    if not wanted:
        raise ArchiveError("Indique el identificador del registro (o una parte única de él)")
    matches = [f for f in iter_record_folders(root) if wanted in f.name]
    if not matches:
        raise ArchiveError(
            f"No hay ningún registro «{run_id}» en {root}; use «mailops archive list» para ver "
            "los disponibles"
        )
    if len(matches) > 1:
        names = ", ".join(m.name for m in matches[:5])
        raise ArchiveError(f"«{run_id}» coincide con varios registros ({names}); precíselo más")
    return ArchivedRecord(matches[0], load_record(matches[0]))


@contextlib.contextmanager
def _archive_lock(root: Path) -> Iterator[None]:
    with (root / LOCK_FILE).open("a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _write_file(path: Path, content: bytes, *, durable: bool) -> None:
    with path.open("wb") as fh:
        fh.write(content)
        if durable:
            fh.flush()
            os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _current_head(root: Path) -> ChainHead:
    head = read_head(root)
    # A crash between the pending head and the rename: that record never existed. A committed
    # head is kept even when its folder is gone, so a deletion stays visible as a gap.
    return (head.arrived(root) if head is not None else None) or ChainHead()


def _check_names(draft: Record, files: dict[str, bytes]) -> None:
    for what, value in (("identificador de ejecución", draft.run_id), ("cuaderno", draft.notebook)):
        if not _PLAIN_NAME.fullmatch(value):
            raise ArchiveError(
                f"«{value}» no es un nombre válido de {what} para el archivo (sin «/» ni «\\», "
                "sin caracteres de control y sin empezar por punto)"
            )
    for name in files:
        if name in (RECORD_FILE, SUMS_FILE) or not _PLAIN_NAME.fullmatch(name):
            raise ArchiveError(f"nombre de archivo no permitido en un registro: «{name}»")


RUN_IDS_DIR = ".run-ids"  # one empty file per archived run id: "taken?" without a scan


def _run_ids(root: Path) -> Path:
    """The run-id markers, made once from the records when an archive predates them."""
    marks = root / RUN_IDS_DIR
    if not marks.is_dir():
        tmp = root / f"{RUN_IDS_DIR}.{secrets.token_hex(4)}"
        tmp.mkdir()
        for folder in iter_record_folders(root):
            try:
                (tmp / load_record(folder).run_id).touch()
            except (ArchiveError, OSError, ValueError):
                continue  # a damaged record is verify's business, not the append's
        os.rename(tmp, marks)
    return marks


def _run_id_taken(root: Path, run_id: str) -> Path | None:
    mark = _run_ids(root) / run_id
    if not mark.exists():
        return None
    pattern = f"{_RECORD_GLOB[:-1]}{glob.escape(run_id)}-*"
    return next((f for f in root.glob(pattern) if f.is_dir()), mark)


def _write_head(root: Path, head: ChainHead, *, durable: bool) -> None:
    tmp = root / f".{HEAD_FILE}.{secrets.token_hex(4)}"
    _write_file(tmp, json.dumps(head.to_dict(), indent=2).encode("utf-8"), durable=durable)
    os.replace(tmp, root / HEAD_FILE)
    if durable:
        _fsync_dir(root)  # the replace itself must survive a power cut, not only the bytes


_READ_ONLY_FILE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
_READ_ONLY_DIR = _READ_ONLY_FILE | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH


STALE_STAGING_SECONDS = 24 * 3600  # a run killed mid-append leaves its staging folder behind


def _purge_stale_staging(staging_root: Path, *, keep: Path) -> None:
    """Remove staging folders of appends killed long ago (never part of the archive)."""
    cutoff = time.time() - STALE_STAGING_SECONDS
    for leftover in staging_root.iterdir():
        if leftover == keep:
            continue
        try:
            if leftover.stat().st_mtime < cutoff:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            continue


def append_record(
    root: Path,
    draft: Record,
    files: dict[str, bytes],
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    on_archived: Callable[[ArchivedRecord], None] | None = None,
    durable: bool = True,
) -> ArchivedRecord:
    """Seal ``draft`` into the chain and move it, with ``files``, into the archive atomically.

    ``files`` maps file names (the notebook and its HTML rendering) to their already redacted
    content. ``on_archived`` runs under the archive lock once the record is in place (the index
    uses it). ``durable=False`` skips fsync (benchmarks only).
    """
    root.mkdir(parents=True, exist_ok=True)
    staging_root = root / STAGING_DIR
    staging_root.mkdir(exist_ok=True)
    _check_names(draft, files)
    staging = staging_root / f"{draft.folder_name}.{secrets.token_hex(4)}"
    staging.mkdir()
    try:
        hashes: dict[str, str] = {}
        for name, content in sorted(files.items()):
            _write_file(staging / name, content, durable=durable)
            hashes[name] = hashlib.sha256(content).hexdigest()
        with _archive_lock(root):
            _purge_stale_staging(staging_root, keep=staging)
            head = _current_head(root)
            # Never earlier than the record before: a clock stepped back must not make the
            # chain look reordered.
            now = clock().astimezone(UTC).isoformat(timespec="seconds")
            record = replace(
                draft,
                files=hashes,
                sequence=head.sequence + 1,
                previous_record_hash=head.record_hash,
                archived_at=max(now, head.archived_at),
            ).sealed()
            final = root / record.relative_folder
            if final.exists():
                raise ArchiveError(
                    f"ya existe el registro {final}; los registros nunca se reescriben "
                    "(use otro identificador de ejecución)"
                )
            # One run, one record: the index and find_record know a run by its id alone.
            taken = _run_id_taken(root, record.run_id)
            if taken is not None:
                raise ArchiveError(
                    f"ya existe un registro de la ejecución {record.run_id} ({taken}); los "
                    "registros nunca se reescriben (use otro identificador de ejecución)"
                )
            record_bytes = (
                json.dumps(record.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            ).encode("utf-8")
            _write_file(staging / RECORD_FILE, record_bytes, durable=durable)
            all_hashes = {**hashes, RECORD_FILE: hashlib.sha256(record_bytes).hexdigest()}
            sums = "".join(f"{digest}  {name}\n" for name, digest in sorted(all_hashes.items()))
            _write_file(staging / SUMS_FILE, sums.encode("utf-8"), durable=durable)
            for path in staging.iterdir():
                path.chmod(_READ_ONLY_FILE)
            new_dirs = [d for d in (final.parent, *final.parent.parents) if not d.exists()]
            final.parent.mkdir(parents=True, exist_ok=True)
            new_head = ChainHead(
                record.sequence,
                record.record_hash,
                record.relative_folder,
                record.archived_at,
                previous=replace(head, previous=None),
                pending=True,
            )
            _write_head(root, new_head, durable=durable)
            (root / RUN_IDS_DIR / record.run_id).touch()
            os.rename(staging, final)
            final.chmod(_READ_ONLY_DIR)
            if durable:
                for folder in (final.parent, *(d.parent for d in new_dirs)):
                    _fsync_dir(folder)  # the record's entry, and the new day/month/year's
            _write_head(root, replace(new_head, pending=False), durable=durable)
            archived = ArchivedRecord(final, record)
            if on_archived is not None:
                on_archived(archived)
            return archived
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
