"""Hostile tests of the archive: forgeries, deletions, damaged files and cut appends."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from mailops.records import ArchiveError, RecordIndex, append_record, verify_archive
from mailops.records import archive as archive_module
from mailops.records.archive import HEAD_FILE, RECORD_FILE, SUMS_FILE, file_sha256, read_head
from tests.records.factories import SteppingClock, archive_simple, draft


def _writable(folder: Path) -> None:
    folder.chmod(0o755)
    for path in folder.iterdir():
        path.chmod(0o644)


def _rel(root: Path, folder: Path) -> str:
    return folder.relative_to(root).as_posix()


def _rewrite_record(folder: Path, **changes: Any) -> None:
    """Change record.json as a careful forger would: new record hash, new SHA256SUMS."""
    _writable(folder)
    data = json.loads((folder / RECORD_FILE).read_text(encoding="utf-8"))
    data.update(changes)
    if "record_hash" not in changes:
        from mailops.records.record import Record

        data["record_hash"] = Record.from_dict(data).computed_hash()
    (folder / RECORD_FILE).write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    sums = {p.name: file_sha256(p) for p in folder.iterdir() if p.name != SUMS_FILE}
    (folder / SUMS_FILE).write_text("".join(f"{h}  {n}\n" for n, h in sorted(sums.items())))


def test_a_middle_record_resealed_by_a_forger_is_itself_named(
    tmp_path: Path, clock: SteppingClock
) -> None:
    records = archive_simple(tmp_path, 3, clock)
    _rewrite_record(records[1].folder, request="Solicitud falsificada")
    report = verify_archive(tmp_path)
    assert _rel(tmp_path, records[1].folder) in report.bad_records
    assert any(p.kind == "resealed" for p in report.problems)


def test_a_deleted_last_record_is_not_erased_by_the_next_append(
    tmp_path: Path, clock: SteppingClock
) -> None:
    records = archive_simple(tmp_path, 3, clock)
    _writable(records[2].folder)
    shutil.rmtree(records[2].folder)
    append_record(tmp_path, draft("20261129T153009Z-000009"), {"a.ipynb": b"{}"}, clock=clock)
    report = verify_archive(tmp_path)
    assert not report.ok
    missing = [p for p in report.problems if p.kind == "missing_record"]
    assert missing and "falta el registro n.º 3" in missing[0].message


def test_a_run_id_is_archived_once_whatever_the_notebook_or_day(
    tmp_path: Path, clock: SteppingClock
) -> None:
    (first,) = archive_simple(tmp_path, 1, clock)
    for other in (
        draft(first.run_id, notebook="03_otro"),
        draft(first.run_id, started_at="2026-11-30T00:00:00.000+00:00"),
    ):
        with pytest.raises(ArchiveError, match="ya existe un registro de la ejecución"):
            append_record(tmp_path, other, {"a.ipynb": b"{}"}, clock=clock)
    assert [e.folder for e in RecordIndex(tmp_path).search()] == [_rel(tmp_path, first.folder)]


@pytest.mark.parametrize("run_id", ["", "..", "../../x", "a/b", ".oculto"])
def test_a_run_id_that_is_not_a_plain_name_is_refused(
    tmp_path: Path, clock: SteppingClock, run_id: str
) -> None:
    with pytest.raises(ArchiveError, match="no es un nombre válido"):
        append_record(tmp_path, draft(run_id), {"a.ipynb": b"{}"}, clock=clock)
    assert not list(tmp_path.glob("2026/**/*"))


@pytest.mark.parametrize("name", ["", ".", "..", ".oculto"])
def test_a_file_name_that_is_not_a_plain_name_is_refused(
    tmp_path: Path, clock: SteppingClock, name: str
) -> None:
    with pytest.raises(ArchiveError, match="nombre de archivo no permitido"):
        append_record(tmp_path, draft("20261129T153000Z-aaaaaa"), {name: b"{}"}, clock=clock)


_STEPS = ["head_pending", "rename", "chmod", "head_committed", "indexed"]


@pytest.mark.parametrize("step", _STEPS)
def test_an_append_killed_at_any_step_leaves_a_verifiable_archive(
    tmp_path: Path, clock: SteppingClock, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """Simulate a process killed at ``step`` (no cleanup), then check verify and the next
    append: either the record is wholly there or it never was."""
    archive_simple(tmp_path, 2, clock)

    class Killed(BaseException):
        pass

    real_write_head = archive_module._write_head
    real_rename = archive_module.os.rename
    heads: list[bool] = []

    def write_head(root: Path, head: Any, *, durable: bool) -> None:
        heads.append(head.pending)
        if step == "head_pending" and head.pending:
            raise Killed
        real_write_head(root, head, durable=durable)
        if step == "head_committed" and not head.pending:
            raise Killed

    def rename(src: Any, dst: Any) -> None:
        if step == "rename":
            raise Killed
        real_rename(src, dst)
        if step == "chmod":
            raise Killed

    def indexed(archived: Any) -> None:
        raise Killed

    monkeypatch.setattr(archive_module, "_write_head", write_head)
    monkeypatch.setattr(archive_module.os, "rename", rename)
    # a killed process cleans nothing up
    monkeypatch.setattr(archive_module.shutil, "rmtree", lambda *a, **k: None)
    with pytest.raises(Killed):
        append_record(
            tmp_path,
            draft("20261129T153005Z-000005"),
            {"a.ipynb": b"{}"},
            clock=clock,
            on_archived=indexed if step == "indexed" else None,
        )
    monkeypatch.undo()
    assert verify_archive(tmp_path).ok, verify_archive(tmp_path).problems
    after = append_record(
        tmp_path, draft("20261129T153006Z-000006"), {"a.ipynb": b"{}"}, clock=clock
    )
    report = verify_archive(tmp_path)
    assert report.ok, report.problems
    arrived = step not in ("head_pending", "rename")
    assert after.record.sequence == (4 if arrived else 3)


def test_a_head_that_is_not_an_object_is_reported_not_crashed(
    tmp_path: Path, clock: SteppingClock
) -> None:
    archive_simple(tmp_path, 2, clock)
    (tmp_path / HEAD_FILE).write_text("[]")
    report = verify_archive(tmp_path)
    assert [p.kind for p in report.problems] == ["head"]
    assert "dañado" in report.problems[0].message
    with pytest.raises(ArchiveError, match="dañado"):
        read_head(tmp_path)


def test_a_truncated_head_is_reported_once(tmp_path: Path, clock: SteppingClock) -> None:
    archive_simple(tmp_path, 2, clock)
    head = tmp_path / HEAD_FILE
    head.write_text(head.read_text()[:10])
    report = verify_archive(tmp_path)
    assert [p.kind for p in report.problems] == ["head"]


def test_sums_that_are_not_utf8_name_their_record(tmp_path: Path, clock: SteppingClock) -> None:
    records = archive_simple(tmp_path, 2, clock)
    _writable(records[0].folder)
    (records[0].folder / SUMS_FILE).write_bytes(b"\xff\xfe basura")
    report = verify_archive(tmp_path)
    assert _rel(tmp_path, records[0].folder) in report.bad_records


def test_a_record_json_with_a_malformed_date_names_its_record(
    tmp_path: Path, clock: SteppingClock
) -> None:
    records = archive_simple(tmp_path, 2, clock)
    _rewrite_record(records[0].folder, started_at="ayer")
    report = verify_archive(tmp_path)
    assert _rel(tmp_path, records[0].folder) in report.bad_records


def test_a_deeply_nested_record_json_names_its_record(tmp_path: Path, clock: SteppingClock) -> None:
    records = archive_simple(tmp_path, 2, clock)
    _writable(records[0].folder)
    (records[0].folder / RECORD_FILE).write_text("[" * 100_000 + "]" * 100_000)
    report = verify_archive(tmp_path)
    assert _rel(tmp_path, records[0].folder) in report.bad_records


def test_a_damaged_index_does_not_stop_verify(tmp_path: Path, clock: SteppingClock) -> None:
    archive_simple(tmp_path, 2, clock)
    (tmp_path / "index.sqlite3").write_bytes(b"basura" * 100)
    assert verify_archive(tmp_path).ok


@pytest.mark.parametrize("where", ["2026/11/29/intruso.txt", "2026/11/30/intruso.txt"])
def test_a_foreign_file_among_the_records_is_named(
    tmp_path: Path, clock: SteppingClock, where: str
) -> None:
    archive_simple(tmp_path, 2, clock)
    (tmp_path / where).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / where).write_text("añadido")
    report = verify_archive(tmp_path)
    assert report.bad_records == (where,)


def test_a_staging_leftover_is_not_part_of_the_archive(
    tmp_path: Path, clock: SteppingClock
) -> None:
    archive_simple(tmp_path, 2, clock)
    leftover = tmp_path / ".staging" / "20261129T153009Z-000009-02_usuarios.ab12cd34"
    leftover.mkdir(parents=True)
    (leftover / "a.ipynb").write_text("{}")
    assert verify_archive(tmp_path).ok
    third = append_record(
        tmp_path, draft("20261129T153009Z-000009"), {"a.ipynb": b"{}"}, clock=clock
    )
    assert third.record.sequence == 3


def test_swapped_record_folders_name_both(tmp_path: Path, clock: SteppingClock) -> None:
    records = archive_simple(tmp_path, 3, clock)
    a, b = records[0].folder, records[1].folder
    _writable(a)
    _writable(b)
    parked = tmp_path / "parked"
    a.rename(parked)
    b.rename(a)
    parked.rename(b)
    report = verify_archive(tmp_path)
    assert set(report.bad_records) >= {_rel(tmp_path, a), _rel(tmp_path, b)}


def test_a_forged_record_does_not_confuse_dataclass_replace() -> None:
    # guard: the factories' draft is a plain Record
    assert replace(draft("x"), run_id="y").run_id == "y"


def test_a_record_archived_without_being_indexed_is_found_by_the_next_search(
    tmp_path: Path, clock: SteppingClock
) -> None:
    archive_simple(tmp_path, 2, clock)
    # the process died after the record was in place, before the index heard of it
    third = append_record(
        tmp_path, draft("20261129T153009Z-000009"), {"a.ipynb": b"{}"}, clock=clock
    )
    found = [e.run_id for e in RecordIndex.open(tmp_path).search()]
    assert third.run_id in found


def test_a_forged_huge_sequence_is_reported_without_listing_every_gap(
    tmp_path: Path, clock: SteppingClock
) -> None:
    records = archive_simple(tmp_path, 2, clock)
    _rewrite_record(records[1].folder, sequence=10**12)
    head = tmp_path / HEAD_FILE
    data = json.loads(head.read_text())
    data["sequence"] = 10**15
    head.write_text(json.dumps(data))
    report = verify_archive(tmp_path)
    assert not report.ok
    assert len(report.problems) < 40
    assert any("n.º 2 " in p.message for p in report.problems if p.kind == "missing_record")


def test_a_run_whose_html_cannot_be_rendered_is_archived_all_the_same(
    settings: Any,
) -> None:
    from mailops.records import run_notebook
    from tests.records.factories import NOTEBOOKS

    archived = run_notebook("adjunto_roto", {}, settings=settings, notebooks_dir=NOTEBOOKS)
    assert archived.status == "passed"
    page = archived.html_file.read_text(encoding="utf-8")
    assert "No se pudo generar la vista HTML" in page
    assert verify_archive(settings.archive_root).ok


def test_a_malformed_procedure_outcome_does_not_cost_the_record(settings: Any) -> None:
    from mailops.records import run_notebook
    from tests.records.factories import NOTEBOOKS

    archived = run_notebook("resultado_malformado", {}, settings=settings, notebooks_dir=NOTEBOOKS)
    assert archived.status == "passed"
    assert archived.record.activities == ()
    assert archived.record.decisions == ()
    assert verify_archive(settings.archive_root).ok
