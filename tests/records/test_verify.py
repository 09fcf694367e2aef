"""Tamper evidence: verify names the record after each kind of tampering."""

from __future__ import annotations

import json
import shutil
import stat
from dataclasses import replace
from pathlib import Path

from mailops.records import ArchivedRecord, verify_archive
from mailops.records.archive import RECORD_FILE, SUMS_FILE, file_sha256
from tests.records.factories import SteppingClock, archive_simple


def _writable(folder: Path) -> None:
    folder.chmod(0o755)
    for path in folder.iterdir():
        path.chmod(0o644)


def _rel(root: Path, archived: ArchivedRecord) -> str:
    return archived.folder.relative_to(root).as_posix()


def _reseal(archived: ArchivedRecord, **changes: object) -> None:
    """Rewrite a record.json as a careful forger would: new hash, new SHA256SUMS."""
    record = replace(archived.record, **changes).sealed()  # type: ignore[arg-type]
    _writable(archived.folder)
    (archived.folder / RECORD_FILE).write_text(
        json.dumps(record.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )
    sums = {p.name: file_sha256(p) for p in archived.folder.iterdir() if p.name != SUMS_FILE}
    (archived.folder / SUMS_FILE).write_text(
        "".join(f"{h}  {n}\n" for n, h in sorted(sums.items()))
    )


def test_an_intact_archive_verifies(tmp_path: Path, clock: SteppingClock) -> None:
    archive_simple(tmp_path, 4, clock)
    report = verify_archive(tmp_path)
    assert report.ok
    assert report.checked == 4


def test_an_empty_archive_verifies(tmp_path: Path) -> None:
    assert verify_archive(tmp_path).ok


def test_an_edited_notebook_names_its_record(tmp_path: Path, clock: SteppingClock) -> None:
    records = archive_simple(tmp_path, 3, clock)
    _writable(records[1].folder)
    (records[1].folder / "02_usuarios.ipynb").write_text('{"cells": ["cambiado"]}')
    report = verify_archive(tmp_path)
    assert report.bad_records == (_rel(tmp_path, records[1]),)
    assert "02_usuarios.ipynb fue modificado" in report.problems[0].message


def test_an_edited_record_json_names_its_record(tmp_path: Path, clock: SteppingClock) -> None:
    records = archive_simple(tmp_path, 3, clock)
    _writable(records[0].folder)
    path = records[0].folder / RECORD_FILE
    path.write_text(path.read_text().replace("Carlos Pérez", "Otra Persona"))
    report = verify_archive(tmp_path)
    assert report.bad_records == (_rel(tmp_path, records[0]),)
    assert {p.kind for p in report.problems} == {"checksum", "record_hash"}


def test_a_file_edited_together_with_its_sums_is_still_caught(
    tmp_path: Path, clock: SteppingClock
) -> None:
    records = archive_simple(tmp_path, 2, clock)
    folder = records[0].folder
    _writable(folder)
    (folder / "02_usuarios.html").write_text("<html>otro</html>")
    sums = {p.name: file_sha256(p) for p in folder.iterdir() if p.name != SUMS_FILE}
    (folder / SUMS_FILE).write_text("".join(f"{h}  {n}\n" for n, h in sorted(sums.items())))
    report = verify_archive(tmp_path)
    assert report.bad_records == (_rel(tmp_path, records[0]),)
    assert "fueron cambiados juntos" in report.problems[0].message


def test_a_deleted_record_is_named(tmp_path: Path, clock: SteppingClock) -> None:
    records = archive_simple(tmp_path, 4, clock)
    _writable(records[1].folder)
    shutil.rmtree(records[1].folder)
    report = verify_archive(tmp_path)
    missing = [p for p in report.problems if p.kind == "missing_record"]
    assert len(missing) == 1
    assert _rel(tmp_path, records[1]) in missing[0].record
    assert "falta el registro n.º 2" in missing[0].message
    assert _rel(tmp_path, records[2]) in report.bad_records  # its link is broken too


def test_a_deleted_last_record_is_named(tmp_path: Path, clock: SteppingClock) -> None:
    records = archive_simple(tmp_path, 3, clock)
    _writable(records[2].folder)
    shutil.rmtree(records[2].folder)
    report = verify_archive(tmp_path)
    assert report.bad_records == (_rel(tmp_path, records[2]),)
    assert "falta el registro n.º 3" in report.problems[0].message


def test_a_reordered_chain_is_caught_even_when_hashes_were_recomputed(
    tmp_path: Path, clock: SteppingClock
) -> None:
    r1, r2, r3, r4 = archive_simple(tmp_path, 4, clock)
    # Swap positions 2 and 3, resealing both records so each is self-consistent.
    _reseal(r3, sequence=2, previous_record_hash=r1.record.record_hash)
    moved_r3 = replace(r3.record, sequence=2, previous_record_hash=r1.record.record_hash).sealed()
    _reseal(r2, sequence=3, previous_record_hash=moved_r3.record_hash)
    report = verify_archive(tmp_path)
    assert not report.ok
    assert _rel(tmp_path, r2) in report.bad_records  # archived before the one now ahead of it
    assert _rel(tmp_path, r4) in report.bad_records  # no longer links to its predecessor
    kinds = {p.kind for p in report.problems}
    assert {"order", "chain"} <= kinds


def test_a_file_added_to_a_record_is_named(tmp_path: Path, clock: SteppingClock) -> None:
    records = archive_simple(tmp_path, 2, clock)
    _writable(records[1].folder)
    (records[1].folder / "nota.txt").write_text("añadido después")
    report = verify_archive(tmp_path)
    assert report.bad_records == (_rel(tmp_path, records[1]),)
    assert report.problems[0].kind == "extra_file"


def test_verify_does_not_change_file_modes(tmp_path: Path, clock: SteppingClock) -> None:
    (archived,) = archive_simple(tmp_path, 1, clock)
    before = stat.S_IMODE(archived.folder.stat().st_mode)
    verify_archive(tmp_path)
    assert stat.S_IMODE(archived.folder.stat().st_mode) == before
