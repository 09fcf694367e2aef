"""Hostile tests of the sealed credentials file and the apply journal."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailops.errors import InputError
from mailops.provisioning.credentials import CredentialsFile, sha512_crypt
from mailops.provisioning.journal import Journal


def _matches(creds_path: Path, document_id: str, password_hash: str) -> bool:
    password = CredentialsFile(creds_path).password_for(document_id)
    assert password is not None
    salt = password_hash.split("$")[3]
    return sha512_crypt(password, salt, 1000) == password_hash


def test_two_writers_of_one_file_never_give_one_person_two_passwords(tmp_path: Path) -> None:
    # two runs of the same batch, each having read the file before either issued
    first = CredentialsFile.for_batch(tmp_path, "lote-1", rounds=1000)
    second = CredentialsFile.for_batch(tmp_path, "lote-1", rounds=1000)
    assert first.count == second.count == 0
    a = first.issue("52123456", "maria.munoz@cajica.example")
    b = second.issue("52123456", "maria.munoz@cajica.example")
    assert b.reused
    assert _matches(first.path, "52123456", a.password_hash)
    assert _matches(first.path, "52123456", b.password_hash)
    assert CredentialsFile(first.path).count == 1


def test_a_line_torn_by_a_crash_does_not_corrupt_the_next_entry(tmp_path: Path) -> None:
    creds = CredentialsFile.for_batch(tmp_path, "lote-1", rounds=1000)
    creds.issue("52123456", "maria.munoz@cajica.example")
    with creds.path.open("a", encoding="utf-8") as fh:
        fh.write("80234567,oscar.castaneda@cajica.example,Abc")  # no newline: cut mid-write
    resumed = CredentialsFile.for_batch(tmp_path, "lote-1", rounds=1000)
    issued = resumed.issue("80234567", "oscar.castaneda@cajica.example")
    assert not issued.reused
    assert _matches(creds.path, "80234567", issued.password_hash)
    assert CredentialsFile(creds.path).count == 2


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_the_file_and_folder_are_private_even_with_a_permissive_umask(
    tmp_path: Path, permissive_umask: None
) -> None:
    creds = CredentialsFile.for_batch(tmp_path / "estado", "lote-1", rounds=1000)
    creds.issue("52123456", "maria.munoz@cajica.example")
    assert stat.S_IMODE(creds.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(creds.path.parent.stat().st_mode) == 0o700


def test_a_damaged_journal_is_a_spanish_error_and_is_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "aprovisionamiento" / "diario.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"esto no es una base de datos" * 100)
    before = path.read_bytes()
    with pytest.raises(InputError, match="el diario de cambios está dañado") as caught:
        Journal(path)
    assert caught.value.where == str(path)
    assert path.read_bytes() == before


def test_a_truncated_journal_is_a_spanish_error(tmp_path: Path) -> None:
    path = tmp_path / "diario.sqlite3"
    with Journal(path) as journal:
        journal.commit()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=DELETE")
    db.executemany(
        "INSERT INTO steps (batch, step, kind, user, target, status, intended_at) "
        "VALUES (?, ?, 'create', 'u', 't', 'done', 'x')",
        [("b", f"s{i}") for i in range(2000)],
    )
    db.commit()
    db.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="el diario de cambios está dañado"):
        Journal(path)


# -- apply: a crash (an exception that ends the run) at each point, then a new run -------------

_CRASH_POINTS = ["issue", "intend", "send", "first_result", "final_commit"]


class _Crash(BaseException):
    """Stands for the process dying: nothing catches it."""


def _stored_hashes(state: Path) -> dict[str, str]:
    db = sqlite3.connect(state)
    try:
        return dict(db.execute("SELECT primary_email, password_hash FROM dir_users").fetchall())
    finally:
        db.close()


@pytest.mark.parametrize("point", _CRASH_POINTS)
def test_an_apply_cut_at_any_point_resumes_with_one_account_and_one_password_each(
    ws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    from mailops.provisioning import apply as apply_module
    from mailops.provisioning.apply import apply_plan
    from mailops.provisioning.form import read_form
    from mailops.provisioning.planning import plan_form
    from tests.provisioning.conftest import people, write_csv

    rows = people(6)
    form = write_csv(tmp_path / "f.csv", rows)
    plan = plan_form(ws, read_form(form))

    real_issue = CredentialsFile.issue
    real_intend = Journal.intend
    real_commit = Journal.commit
    real_run_batch = type(ws).run_batch
    calls = {"n": 0}

    def issue(self: CredentialsFile, document_id: str, address: str) -> Any:
        issued = real_issue(self, document_id, address)
        calls["n"] += 1
        if point == "issue" and calls["n"] == 3:
            raise _Crash
        return issued

    def intend(self: Journal, batch: str, steps: Any) -> None:
        real_intend(self, batch, steps)
        if point == "intend":
            raise _Crash

    def run_batch(self: Any, batch_calls: Any, *, on_result: Any, **kw: Any) -> Any:
        if point == "send":
            raise _Crash

        def cut(call: Any, result: Any) -> None:
            on_result(call, result)
            if point == "first_result":
                raise _Crash

        return real_run_batch(self, batch_calls, on_result=cut, **kw)

    def commit(self: Journal) -> None:
        if point == "final_commit":
            raise _Crash
        real_commit(self)

    monkeypatch.setattr(CredentialsFile, "issue", issue)
    monkeypatch.setattr(Journal, "intend", intend)
    monkeypatch.setattr(Journal, "commit", commit)
    monkeypatch.setattr(type(ws), "run_batch", run_batch)
    with pytest.raises(_Crash):
        apply_plan(ws, plan, progress=False, chunk_size=2)
    monkeypatch.undo()
    assert apply_module is not None

    again = plan_form(ws, read_form(form))
    report = apply_plan(ws, again, progress=False)
    assert report.ok, report.text()
    creds = CredentialsFile.for_batch(ws.settings.state_dir, plan.batch_id)
    stored = _stored_hashes(tmp_path / "emu.sqlite3")
    wanted = sorted(r["documento"] for r in rows)
    accounts = [u for u in ws.directory.users_list() if u.document_id in wanted]
    assert sorted(u.document_id for u in accounts) == wanted  # each person exactly once
    for user in accounts:
        password = creds.password_for(user.document_id)
        assert password is not None
        stored_hash = stored[user.primary_email]
        salt = stored_hash.split("$")[3]
        assert sha512_crypt(password, salt, 5000) == stored_hash, user.primary_email


# -- the CLI: what an operator sees -----------------------------------------------------------


def _cli(settings: Any, *args: str) -> Any:
    from click.testing import CliRunner

    from mailops.cli import cli

    env = {
        "MAILOPS_EMULATOR_URL": settings.emulator_url or "",
        "MAILOPS_STATE_DIR": str(settings.state_dir),
        "MAILOPS_ARCHIVE_ROOT": str(settings.archive_root),
        "MAILOPS_CONFIG": "",
    }
    return CliRunner().invoke(cli, ["users", *args], env=env, catch_exceptions=False)


def test_no_password_reaches_the_cli_output_of_apply_or_reset(
    settings: Any, ws: Any, tmp_path: Path
) -> None:
    from tests.provisioning.conftest import person, write_csv

    form = write_csv(tmp_path / "f.csv", [person()])
    outputs = [_cli(settings, "apply", str(form), "--yes").output]
    outputs.append(_cli(settings, "apply", str(form), "--yes", "--json").output)
    outputs.append(_cli(settings, "reset-password", "maria.munoz@cajica.example", "--yes").output)
    files = sorted((settings.state_dir / "credenciales").glob("*.csv"))
    assert files
    passwords = [
        pw for f in files for pw in [CredentialsFile(f).password_for("52123456")] if pw
    ] + [
        pw
        for f in files
        for pw in [CredentialsFile(f).password_for("maria.munoz@cajica.example")]
        if pw
    ]
    assert passwords
    for output in outputs:
        assert all(pw not in output for pw in passwords)
        assert "$6$" not in output


def test_a_damaged_journal_is_a_spanish_cli_error_without_traceback(
    settings: Any,
    ws: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from mailops.cli import cli
    from mailops.cli.common import run_guarded
    from tests.provisioning.conftest import person, write_csv

    journal = settings.state_dir / "aprovisionamiento" / "diario.sqlite3"
    journal.parent.mkdir(parents=True)
    journal.write_bytes(b"basura" * 500)
    form = write_csv(tmp_path / "f.csv", [person()])
    from tests.conftest import point_kernels_at

    point_kernels_at(monkeypatch, settings)
    with pytest.raises(SystemExit) as exited:
        run_guarded(cli, ["users", "apply", str(form), "--yes"])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "el diario de cambios está dañado" in err
    assert "Traceback" not in err
    assert ws.directory.users_find("maria.munoz@cajica.example") is None
    assert journal.read_bytes() == b"basura" * 500


def test_a_journal_shared_with_another_form_does_not_mix_their_steps(
    ws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mailops.provisioning.apply import apply_plan
    from mailops.provisioning.form import read_form
    from mailops.provisioning.planning import plan_form
    from tests.provisioning.conftest import people, write_csv

    form_a = write_csv(tmp_path / "a.csv", people(3))
    form_b = write_csv(tmp_path / "b.csv", people(3, start=10))
    plan_a = plan_form(ws, read_form(form_a))

    def cut(self: Any, batch_calls: Any, **kw: Any) -> Any:
        raise _Crash

    monkeypatch.setattr(type(ws), "run_batch", cut)
    with pytest.raises(_Crash):
        apply_plan(ws, plan_a, progress=False)  # A's creates intended, never sent
    monkeypatch.undo()

    report_b = apply_plan(ws, plan_form(ws, read_form(form_b)), progress=False)
    assert report_b.ok and len(report_b.created) == 3
    with Journal.for_state(ws.settings.state_dir) as journal:
        assert journal.counts(plan_a.batch_id)["intended"] == 3  # untouched by B's run
    report_a = apply_plan(ws, plan_form(ws, read_form(form_a)), progress=False)
    assert report_a.ok and len(report_a.created) == 3


def test_another_program_s_sqlite_file_is_not_taken_for_the_journal(tmp_path: Path) -> None:
    from mailops.provisioning.journal import Journal

    path = tmp_path / "diario.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE steps (id INTEGER PRIMARY KEY, nombre TEXT)")
        db.execute("INSERT INTO steps (nombre) VALUES ('paso de otro programa')")
    with pytest.raises(InputError) as info:
        Journal(path)
    assert "no es un diario de mailops" in str(info.value)
    with sqlite3.connect(path) as db:  # left untouched
        assert db.execute("SELECT nombre FROM steps").fetchall() == [("paso de otro programa",)]
