"""The executor against the emulator: retries, paging, batches under faults."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mailops.emulator import EmulatorServer, Faults
from mailops.errors import AlreadyExistsError, NotFoundError, RateLimitedError, UnavailableError
from mailops.workspace import Call, Workspace, connect, directory_calls
from tests.conftest import settings_for
from tests.workspace.test_pacing import FakeTime


def new_user(n: int, domain: str = "cajica.example") -> dict[str, object]:
    return {
        "primaryEmail": f"prueba.{n:05d}@{domain}",
        "name": {"givenName": "Prueba", "familyName": f"Número {n}"},
        "password": "d41d8cd98f00b204e9800998ecf8427e",
        "hashFunction": "MD5",
    }


def test_a_transient_503_is_retried_until_it_succeeds(
    emulator: EmulatorServer, workspace: Workspace
) -> None:
    emulator.faults = replace(emulator.faults, fail_next=3)
    before = workspace.executor.http_requests
    user = workspace.directory.users_get("admin@cajica.example")
    assert user.is_admin
    assert workspace.executor.http_requests - before == 4


def test_retries_stop_after_max_tries_with_an_unavailable_error(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    emulator.faults = replace(emulator.faults, fail_next=10)
    with connect(settings_for(emulator, tmp_path, max_tries=3), backoff_base=0.001) as ws:
        with pytest.raises(UnavailableError) as info:
            ws.directory.users_get("admin@cajica.example")
        assert ws.executor.http_requests == 3
    assert info.value.status == 503
    assert "no disponible" in str(info.value)


def test_a_final_error_is_not_retried(workspace: Workspace) -> None:
    with pytest.raises(NotFoundError) as info:
        workspace.directory.users_get("nadie@cajica.example")
    assert workspace.executor.http_requests == 1
    assert (info.value.status, info.value.reason) == (404, "notFound")
    assert info.value.message == "Resource Not Found: userKey"


def test_quota_exceeded_is_retried_after_the_server_s_retry_after(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    emulator.faults = replace(emulator.faults, quota_per_minute=3)
    fake = FakeTime()
    with connect(
        settings_for(emulator, tmp_path, quota_per_minute=100, max_tries=2),
        sleep=fake.sleep,
        clock=fake.clock,
    ) as ws:
        for _ in range(3):
            ws.directory.users_get("admin@cajica.example")
        with pytest.raises(RateLimitedError) as info:
            ws.directory.users_get("admin@cajica.example")
    assert info.value.reason == "userRateLimitExceeded"
    assert info.value.retry_after is not None and info.value.retry_after > 0
    assert fake.slept and max(fake.slept) >= info.value.retry_after


def test_paging_walks_every_page(shared_workspace: Workspace) -> None:
    call = directory_calls.users_list(customer="my_customer", max_results=37)
    pages = list(shared_workspace.executor.pages(call, "users"))
    emails = [u["primaryEmail"] for page in pages for u in page]
    assert len(pages) == -(-len(emails) // 37) > 5
    assert len(emails) == len(set(emails)) >= 290
    assert emails == sorted(emails)


def test_a_batch_reports_each_item_and_fails_only_the_bad_ones(workspace: Workspace) -> None:
    calls = [directory_calls.users_insert(new_user(i)) for i in range(120)]
    calls.append(directory_calls.users_insert(new_user(5), key="repetido"))
    calls.append(Call("directory", "users.get", {"userKey": "nadie@cajica.example"}, key="nadie"))
    report = workspace.run_batch(calls)
    assert len(report.succeeded) == 120
    assert set(report.failed) == {"repetido", "nadie"}
    assert isinstance(report.failed["repetido"], AlreadyExistsError)
    assert isinstance(report.failed["nadie"], NotFoundError)
    assert report.http_requests == 3  # 122 calls in batches of 50


def test_a_thousand_inserts_under_ten_percent_faults_end_with_every_user_exactly_once(
    emulator: EmulatorServer, workspace: Workspace
) -> None:
    emulator.faults = replace(emulator.faults, error_rate=0.10, seed=7)
    finished: list[str] = []
    calls = [directory_calls.users_insert(new_user(i)) for i in range(1000)]
    report = workspace.run_batch(calls, on_result=lambda call, result: finished.append(call.key))
    emulator.faults = Faults(quota_per_minute=None)
    assert report.failed == {}
    assert report.retried > 50  # the faults really happened
    assert sorted(finished) == sorted(c.key for c in calls)
    created = workspace.directory.users_list("email:prueba.*")
    emails = [u.primary_email for u in created]
    assert len(emails) == len(set(emails)) == 1000


def test_a_retried_insert_that_already_happened_is_confirmed_not_failed(
    workspace: Workspace,
) -> None:
    body = new_user(1)
    workspace.directory.users_insert(body)  # as if an earlier try had succeeded unseen
    confirmed = {"id": "x", "primaryEmail": body["primaryEmail"]}
    base = directory_calls.users_insert(body)
    call = Call(base.api, base.method, base.params, key=base.key, confirm=lambda: confirmed)
    # the first answer is 409: without an earlier transient failure it stays an error
    report = workspace.run_batch([call])
    assert isinstance(report.failed[call.key], AlreadyExistsError)


def test_a_409_after_a_transient_failure_is_resolved_by_confirm(
    emulator: EmulatorServer, workspace: Workspace
) -> None:
    body = new_user(2)
    workspace.directory.users_insert(body)  # the unseen success of an earlier try
    emulator.faults = replace(emulator.faults, fail_next=1)
    asked: list[str] = []

    def confirm() -> dict[str, object] | None:
        asked.append("sí")
        return {"primaryEmail": body["primaryEmail"]}

    base = directory_calls.users_insert(body)
    report = workspace.run_batch(
        [Call(base.api, base.method, base.params, key=base.key, confirm=confirm)]
    )
    result = report.results[base.key]
    assert result.ok and result.confirmed and result.attempts == 2
    assert asked == ["sí"]


def test_batch_keys_must_be_unique(workspace: Workspace) -> None:
    call = directory_calls.users_get("admin@cajica.example")
    with pytest.raises(ValueError, match="duplicate call key"):
        workspace.run_batch([call, call])


def test_an_outage_fails_every_item_as_unavailable(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    emulator.faults = replace(emulator.faults, outage=True)
    with connect(settings_for(emulator, tmp_path, max_tries=2), backoff_base=0.001) as ws:
        report = ws.run_batch([directory_calls.users_get("admin@cajica.example")])
    assert isinstance(report.failed["admin@cajica.example"], UnavailableError)
