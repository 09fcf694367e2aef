"""``archive verify``: detect and name every changed, removed or reordered record.

Each record folder must match its ``SHA256SUMS`` and hold a ``record.json`` whose hash is still
its own; the records, in chain order, must link each to the hash of the one before, with no gap
and in the order they were archived; the last one must be the chain head.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mailops.records.archive import (
    _RECORD_GLOB,
    RECORD_FILE,
    SUMS_FILE,
    ChainHead,
    file_sha256,
    iter_record_folders,
    load_record,
    read_head,
    read_sums,
)
from mailops.records.index import RecordIndex
from mailops.records.record import GENESIS_HASH, ArchiveError, Record

__all__ = ["Problem", "VerifyReport", "verify_archive"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the archive: which record (folder or chain position) and what."""

    record: str
    kind: str  # stable code: checksum, missing_file, extra_file, record_hash, folder, ...
    message: str  # Spanish, for the operator


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_records(self) -> tuple[str, ...]:
        """The records named by the problems, each once, in order of appearance."""
        return tuple(dict.fromkeys(p.record for p in self.problems))


def _check_folder(root: Path, folder: Path, problems: list[Problem]) -> Record | None:
    name = folder.relative_to(root).as_posix()
    sums: dict[str, str] = {}
    if not (folder / SUMS_FILE).is_file():
        problems.append(Problem(name, "missing_file", f"falta {SUMS_FILE}"))
    else:
        try:
            sums = read_sums(folder)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(name, "checksum", f"no se pudo leer {SUMS_FILE} ({exc})"))
    present = {p.name for p in folder.iterdir() if p.name != SUMS_FILE}
    for missing in sorted(set(sums) - present):
        problems.append(Problem(name, "missing_file", f"falta el archivo {missing}"))
    for extra in sorted(present - set(sums)):
        if sums:
            problems.append(Problem(name, "extra_file", f"archivo añadido que no figura: {extra}"))
    for file_name in sorted(present & set(sums)):
        if file_sha256(folder / file_name) != sums[file_name]:
            problems.append(
                Problem(
                    name, "checksum", f"el archivo {file_name} fue modificado (SHA-256 distinto)"
                )
            )
    try:
        record = load_record(folder)
    except ArchiveError as exc:
        problems.append(Problem(name, "record_unreadable", str(exc)))
        return None
    if record.computed_hash() != record.record_hash:
        problems.append(
            Problem(name, "record_hash", f"{RECORD_FILE} fue modificado (su hash no coincide)")
        )
    if record.relative_folder != name:
        problems.append(
            Problem(
                name,
                "folder",
                f"la carpeta no corresponde al registro que contiene ({record.relative_folder})",
            )
        )
    for file_name, digest in sorted(record.files.items()):
        path = folder / file_name
        if (
            path.is_file()
            and file_name in sums
            and sums[file_name] == file_sha256(path)
            and digest != sums[file_name]
        ):
            problems.append(
                Problem(
                    name,
                    "checksum",
                    f"{file_name} y {SUMS_FILE} fueron cambiados juntos: no coinciden con "
                    f"{RECORD_FILE}",
                )
            )
    return record


# A forged sequence number (10**12) must not make verify list every position in between.
_MAX_LISTED_GAP = 10


def _gap(start: int, stop: int) -> range:
    return range(start, min(stop, start + _MAX_LISTED_GAP))


def _long_gap(first: int, last: int) -> Problem:
    return Problem(
        f"n.º {first}-{last}",
        "missing_record",
        f"faltan los registros n.º {first} a n.º {last} de la cadena (solo se listan los "
        f"primeros {_MAX_LISTED_GAP}; un número de posición tan alto puede ser falsificado)",
    )


def verify_archive(root: Path) -> VerifyReport:
    """Check every record and the chain; returns the problems found (none means intact)."""
    problems: list[Problem] = []
    records: list[Record] = []
    folders = list(iter_record_folders(root))
    for stray in sorted(root.glob(_RECORD_GLOB)) if root.is_dir() else []:
        if not stray.is_dir():
            name = stray.relative_to(root).as_posix()
            problems.append(Problem(name, "extra_file", "archivo ajeno entre los registros"))
    for folder in folders:
        record = _check_folder(root, folder, problems)
        if record is not None:
            records.append(record)
    try:
        known = RecordIndex(root).sequence_folders()
    except ArchiveError:
        known = {}  # the index only helps name a missing record; it is rebuildable

    def describe(sequence: int) -> str:
        folder = known.get(sequence)
        return f"n.º {sequence} ({folder})" if folder else f"n.º {sequence}"

    records.sort(key=lambda r: (r.sequence, r.run_id))
    previous: Record | None = None
    expected = 1
    for record in records:
        name = record.relative_folder
        if previous is not None and record.sequence == previous.sequence:
            problems.append(
                Problem(name, "duplicate", f"repite la posición n.º {record.sequence} de la cadena")
            )
        for missing in _gap(expected, record.sequence):
            problems.append(
                Problem(
                    describe(missing),
                    "missing_record",
                    f"falta el registro {describe(missing)} de la cadena (borrado o movido)",
                )
            )
        if record.sequence - expected > _MAX_LISTED_GAP:
            problems.append(_long_gap(expected, record.sequence - 1))
        link = previous.record_hash if previous is not None else GENESIS_HASH
        if record.previous_record_hash != link:
            problems.append(
                Problem(
                    name,
                    "chain",
                    f"la cadena está rota: el registro n.º {record.sequence} no enlaza con el "
                    "anterior (registro borrado, cambiado o reordenado)",
                )
            )
            if previous is not None and previous.sequence == record.sequence - 1:
                # The next record keeps the hash its predecessor had when it was archived: a
                # predecessor that verifies on its own was resealed after the fact.
                problems.append(
                    Problem(
                        previous.relative_folder,
                        "resealed",
                        f"el registro n.º {previous.sequence} no es el que enlazó el n.º "
                        f"{record.sequence}: fue cambiado y sellado de nuevo (o lo fue el "
                        "siguiente)",
                    )
                )
        if previous is not None and record.archived_at < previous.archived_at:
            problems.append(
                Problem(
                    name,
                    "order",
                    f"el registro n.º {record.sequence} es anterior al n.º {previous.sequence}: "
                    "la cadena fue reordenada",
                )
            )
        previous = record
        expected = max(expected, record.sequence + 1)
    head: ChainHead | None = None
    try:
        read = read_head(root)
    except ArchiveError as exc:
        problems.append(Problem("chain_head.json", "head", str(exc)))
    else:
        # an append cut before its rename: the pending record never existed
        head = read.arrived(root) if read is not None else None
        if head is None and records:
            problems.append(Problem("chain_head.json", "head", "falta el encabezado de la cadena"))
    if head is not None:
        last = records[-1] if records else None
        if last is None or head.sequence > last.sequence:
            first_missing = (last.sequence + 1) if last else 1
            for missing in _gap(first_missing, head.sequence + 1):
                label = head.folder if missing == head.sequence else describe(missing)
                problems.append(
                    Problem(
                        label,
                        "missing_record",
                        f"falta el registro n.º {missing} de la cadena (borrado o movido)",
                    )
                )
            if head.sequence + 1 - first_missing > _MAX_LISTED_GAP:
                problems.append(_long_gap(first_missing, head.sequence))
        elif head.sequence != last.sequence or head.record_hash != last.record_hash:
            problems.append(
                Problem(
                    last.relative_folder,
                    "head",
                    "el último registro no es el que la cadena tiene como último",
                )
            )
    return VerifyReport(checked=len(folders), problems=tuple(problems))
