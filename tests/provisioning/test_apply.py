"""Applying plans: batches, journal, re-apply as a no-op, faults, resume, secrets kept sealed."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from mailops.emulator import EmulatorServer, Faults
from mailops.provisioning.apply import apply_plan
from mailops.provisioning.changes import Plan
from mailops.provisioning.credentials import CredentialsFile
from mailops.provisioning.form import read_form
from mailops.provisioning.journal import Journal
from mailops.provisioning.planning import plan_form
from mailops.workspace import Workspace
from tests.provisioning.conftest import people, person, write_csv


def planned(ws: Workspace, tmp_path: Path, rows: list[dict[str, str]]) -> Plan:
    return plan_form(ws, read_form(write_csv(tmp_path / "f.csv", rows)))


def accounts_of(ws: Workspace, documents: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {d: [] for d in documents}
    for u in ws.directory.users_list():
        if u.document_id in out:
            out[u.document_id].append(u.primary_email)
    return out


def test_applying_creates_the_accounts_with_unit_groups_and_hashed_password(
    ws: Workspace, tmp_path: Path
) -> None:
    report = apply_plan(ws, planned(ws, tmp_path, [person(grupos="tics")]), progress=False)
    assert report.ok and report.created == ("maria.munoz@cajica.example",)
    user = ws.directory.users_get("maria.munoz@cajica.example")
    assert (user.org_unit_path, user.document_id, user.title) == (
        "/Secretaría de Hacienda",
        "52123456",
        "Profesional universitario",
    )
    assert user.raw["changePasswordAtNextLogin"] is True
    assert ws.directory.members_has_member("hacienda@cajica.example", user.primary_email)
    assert ws.directory.members_has_member("tics@cajica.example", user.primary_email)


def test_reapplying_a_completed_plan_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    plan = planned(ws, tmp_path, people(5))
    apply_plan(ws, plan, progress=False)
    before = ws.executor.http_requests
    again = apply_plan(ws, plan, progress=False)
    assert (again.done, again.already_done, again.created) == (0, len(plan.steps), ())
    assert ws.executor.http_requests == before  # not one call sent


def test_planning_a_completed_form_again_yields_no_changes(ws: Workspace, tmp_path: Path) -> None:
    apply_plan(ws, planned(ws, tmp_path, people(5)), progress=False)
    replanned = planned(ws, tmp_path, people(5))
    assert not replanned.has_changes
    assert replanned.counts["none"] == 5


def test_a_journal_records_intent_and_completion_of_every_step(
    ws: Workspace, tmp_path: Path
) -> None:
    plan = planned(ws, tmp_path, people(3))
    apply_plan(ws, plan, progress=False)
    with Journal.for_state(ws.settings.state_dir) as journal:
        entries = journal.entries(plan.batch_id)
    assert sorted(e.step for e in entries) == sorted(s.key for s in plan.steps)
    assert {e.status for e in entries} == {"done"}


def test_under_injected_faults_and_rate_limits_no_account_is_lost_or_duplicated(
    ws: Workspace, emulator: EmulatorServer, tmp_path: Path
) -> None:
    rows = people(24)
    plan = planned(ws, tmp_path, rows)
    emulator.faults = Faults(quota_per_minute=None, error_rate=0.3, seed=7)
    report = apply_plan(ws, plan, progress=False)
    emulator.faults = Faults(quota_per_minute=None)
    assert report.ok, report.text()
    assert report.retried > 0  # faults were met, and overcome
    found = accounts_of(ws, [r["documento"] for r in rows])
    assert all(len(addresses) == 1 for addresses in found.values()), found


def test_a_create_sent_but_never_confirmed_is_verified_not_sent_again(
    ws: Workspace, tmp_path: Path
) -> None:
    plan = planned(ws, tmp_path, [person()])
    create = plan.steps[0]
    creds = CredentialsFile.for_batch(ws.settings.state_dir, plan.batch_id, rounds=1000)
    body = dict(create.body or {})
    body.update(
        password=creds.issue(create.document_id, create.user).password_hash, hashFunction="crypt"
    )
    with Journal.for_state(ws.settings.state_dir) as journal:
        journal.intend(plan.batch_id, [create])  # the run "died" after sending, before the answer
    ws.directory.users_insert(body)
    report = apply_plan(ws, plan, progress=False)
    assert report.ok and report.created == () and report.already_done == 1
    assert accounts_of(ws, ["52123456"]) == {"52123456": ["maria.munoz@cajica.example"]}
    assert CredentialsFile(creds.path).count == 1


def test_a_create_whose_address_was_taken_by_someone_else_meanwhile_fails_clearly(
    ws: Workspace, tmp_path: Path
) -> None:
    plan = planned(ws, tmp_path, [person()])
    ws.directory.users_insert(
        {
            "primaryEmail": "maria.munoz@cajica.example",
            "name": {"givenName": "Otra", "familyName": "Persona"},
            "password": "d41d8cd98f00b204e9800998ecf8427e",
            "hashFunction": "MD5",
            "externalIds": [{"type": "organization", "value": "999999"}],
        }
    )
    report = apply_plan(ws, plan, progress=False)
    assert not report.ok and report.skipped == 1
    (failure,) = report.failures
    assert failure.user == "maria.munoz@cajica.example"
    assert "Ya existe" in failure.error


def test_no_generated_password_appears_anywhere_but_the_sealed_file(
    ws: Workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    plan = planned(ws, tmp_path, people(6))
    report = apply_plan(ws, plan, progress=True)
    shown = report.text() + str(report.to_json()) + plan.text() + plan.frame().to_string()
    assert report.credentials_path is not None and report.credentials_count == 6
    creds = CredentialsFile(report.credentials_path)
    passwords = [creds.password_for(str(70_000_000 + i)) for i in range(6)]
    assert all(passwords)
    captured = capsys.readouterr()
    texts = [shown, captured.out, captured.err, caplog.text]
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != report.credentials_path:
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    for pw in passwords:
        assert pw is not None
        assert not any(pw in t for t in texts)
    assert "contrasena_inicial" not in shown


def test_an_account_deleted_after_a_completed_apply_is_created_again_from_the_same_form(
    ws: Workspace, tmp_path: Path
) -> None:
    apply_plan(ws, planned(ws, tmp_path, [person()]), progress=False)
    ws.directory.users_delete("maria.munoz@cajica.example")
    replanned = planned(ws, tmp_path, [person()])
    assert replanned.items[0].action == "create"
    report = apply_plan(ws, replanned, progress=False)
    assert report.created == ("maria.munoz@cajica.example",)
    assert accounts_of(ws, ["52123456"]) == {"52123456": ["maria.munoz@cajica.example"]}
