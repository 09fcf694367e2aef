from __future__ import annotations

import json
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from mailops.records import ArchiveError, append_record, find_record, load_record, verify_archive
from mailops.records.archive import HEAD_FILE, read_head
from mailops.records.record import GENESIS_HASH, new_run_id
from tests.records.factories import SteppingClock, archive_drafts, archive_simple, draft


def test_records_are_chained_each_to_the_hash_of_the_one_before(
    tmp_path: Path, clock: SteppingClock
) -> None:
    first, second, third = archive_simple(tmp_path, 3, clock)
    assert first.record.previous_record_hash == GENESIS_HASH
    assert second.record.previous_record_hash == first.record.record_hash
    assert third.record.previous_record_hash == second.record.record_hash
    assert [r.record.sequence for r in (first, second, third)] == [1, 2, 3]


def test_a_record_folder_is_named_by_day_run_id_and_notebook(
    tmp_path: Path, clock: SteppingClock
) -> None:
    (archived,) = archive_simple(tmp_path, 1, clock)
    assert archived.folder.relative_to(tmp_path).as_posix() == (
        "2026/11/29/20261129T153000Z-000000-02_usuarios"
    )


def test_the_record_hash_covers_the_record_and_its_files(
    tmp_path: Path, clock: SteppingClock
) -> None:
    (archived,) = archive_simple(tmp_path, 1, clock)
    stored = load_record(archived.folder)
    assert stored == archived.record
    assert stored.computed_hash() == stored.record_hash
    assert set(stored.files) == {"02_usuarios.ipynb", "02_usuarios.html"}


def test_archived_files_and_folder_are_read_only(tmp_path: Path, clock: SteppingClock) -> None:
    (archived,) = archive_simple(tmp_path, 1, clock)
    for path in [archived.folder, *archived.folder.iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o222 == 0, path


def test_a_record_is_never_rewritten(tmp_path: Path, clock: SteppingClock) -> None:
    (archived,) = archive_simple(tmp_path, 1, clock)
    with pytest.raises(ArchiveError, match="los registros nunca se reescriben"):
        append_record(tmp_path, draft(archived.run_id), {"x.ipynb": b"{}"}, clock=clock)
    assert load_record(archived.folder) == archived.record


def test_a_failed_append_leaves_no_half_record_and_no_staging(
    tmp_path: Path, clock: SteppingClock
) -> None:
    with pytest.raises(ArchiveError, match="nombre de archivo no permitido"):
        append_record(
            tmp_path,
            draft("20261129T153000Z-bad000"),
            {"a.ipynb": b"{}", "record.json": b"{}"},
            clock=clock,
        )
    assert list(tmp_path.glob("2026/**/*")) == []
    assert list((tmp_path / ".staging").iterdir()) == []
    assert read_head(tmp_path) is None


def test_an_append_cut_by_a_crash_after_the_head_is_rolled_back_by_the_next(
    tmp_path: Path, clock: SteppingClock
) -> None:
    (first,) = archive_simple(tmp_path, 1, clock)
    head = read_head(tmp_path)
    assert head is not None
    crashed = {  # the pending head names a record whose folder never arrived
        "sequence": 2,
        "record_hash": "f" * 64,
        "folder": "2026/11/29/never-arrived",
        "pending": True,
        "previous": head.to_dict(),
    }
    (tmp_path / HEAD_FILE).write_text(json.dumps(crashed))
    second = append_record(
        tmp_path, draft("20261129T153001Z-000001"), {"x.ipynb": b"{}"}, clock=clock
    )
    assert second.record.sequence == 2
    assert second.record.previous_record_hash == first.record.record_hash
    assert verify_archive(tmp_path).ok


def test_a_record_is_found_by_a_unique_prefix_of_its_run_id(
    tmp_path: Path, clock: SteppingClock
) -> None:
    records = archive_simple(tmp_path, 3, clock)
    assert find_record(tmp_path, "20261129T153001Z").record == records[1].record


def test_an_ambiguous_prefix_is_refused_naming_the_matches(
    tmp_path: Path, clock: SteppingClock
) -> None:
    archive_simple(tmp_path, 2, clock)
    with pytest.raises(ArchiveError, match="coincide con varios registros"):
        find_record(tmp_path, "20261129T1530")


def test_run_ids_sort_by_time_and_use_the_injected_token() -> None:
    from datetime import UTC, datetime

    run_id = new_run_id(datetime(2026, 11, 29, 15, 30, 12, tzinfo=UTC), lambda n: "ab12cd")
    assert run_id == "20261129T153012Z-ab12cd"


def test_a_malformed_record_json_is_reported_in_spanish(tmp_path: Path) -> None:
    folder = tmp_path / "rec"
    folder.mkdir()
    (folder / "record.json").write_text(json.dumps({"run_id": "x"}))
    with pytest.raises(ArchiveError, match="el registro está mal formado"):
        load_record(folder)


def test_replacing_a_field_changes_the_record_hash(tmp_path: Path, clock: SteppingClock) -> None:
    (archived,) = archive_simple(tmp_path, 1, clock)
    changed = replace(archived.record, operator="Otra persona")
    assert changed.computed_hash() != archived.record.record_hash


def test_concurrent_appends_do_not_fork_the_chain(tmp_path: Path) -> None:
    import threading

    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            for i in range(5):
                append_record(
                    tmp_path, draft(f"20261129T1530{k}{i}Z-{k:03d}{i:03d}"), {"a.ipynb": b"{}"}
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = verify_archive(tmp_path)
    assert report.ok, report.problems
    assert report.checked == 20


def test_a_clock_stepped_back_does_not_make_the_chain_look_reordered(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    late = SteppingClock(datetime(2026, 11, 29, 16, 0, tzinfo=UTC))
    early = SteppingClock(datetime(2026, 11, 29, 15, 0, tzinfo=UTC))
    archive_drafts(tmp_path, [draft("20261129T153000Z-000001")], late)
    archive_drafts(tmp_path, [draft("20261129T153001Z-000002")], early)
    assert verify_archive(tmp_path).ok


def test_staging_left_by_appends_killed_long_ago_is_purged(tmp_path: Path) -> None:
    import os
    import time as _time

    from mailops.records.archive import STAGING_DIR, STALE_STAGING_SECONDS

    root = tmp_path / "archivo"
    staging = root / STAGING_DIR
    old, recent = (
        staging / "20261101T000000Z-aaaaaa-ok.1234",
        staging / "20261129T000000Z-bbbbbb-ok.5678",
    )
    for folder in (old, recent):
        folder.mkdir(parents=True)
        (folder / "ok.ipynb").write_text("{}", encoding="utf-8")
    past = _time.time() - STALE_STAGING_SECONDS - 60
    os.utime(old, (past, past))
    append_record(
        root,
        draft("20261129T153000Z-cccccc"),
        {"02_usuarios.ipynb": b"{}"},
        clock=SteppingClock(),
        durable=False,
    )
    assert not old.exists()
    assert recent.exists()  # may belong to an append still running
