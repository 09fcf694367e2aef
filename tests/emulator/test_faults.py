from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.errors import HttpError

from tests.emulator.conftest import Emulator, control, error_of, reason_of

USER = {
    "primaryEmail": "nueva.persona@cajica.example",
    "name": {"givenName": "Nueva", "familyName": "Persona Díaz"},
    "password": "Cl4ve-Segura-2026",
}


def get_admin(directory: Any) -> Any:
    return directory.users().get(userKey="admin@cajica.example")


def test_the_client_retries_an_injected_503_with_num_retries(
    emulator: Emulator, directory: Any
) -> None:
    emulator.faults(fail_next=2)
    request = get_admin(directory)
    request._sleep = lambda seconds: None
    user = request.execute(num_retries=3)
    _, stats = control(emulator.base_url, "stats")
    assert user["primaryEmail"] == "admin@cajica.example"
    assert stats["by_route"]["directory.users_get"] == {"503": 2, "200": 1}
    assert stats["injected_faults"]["fail_next"] == 2


def test_fail_next_answers_503_backend_error_without_retries(
    emulator: Emulator, directory: Any
) -> None:
    emulator.faults(fail_next=1)
    with pytest.raises(HttpError) as exc:
        get_admin(directory).execute()
    assert exc.value.status_code == 503
    assert reason_of(exc.value) == "backendError"
    assert get_admin(directory).execute()["primaryEmail"] == "admin@cajica.example"


def test_over_quota_is_403_user_rate_limit_exceeded_with_retry_after(
    emulator: Emulator, directory: Any
) -> None:
    emulator.faults(quota_per_minute=3)
    for _ in range(3):
        get_admin(directory).execute()
    with pytest.raises(HttpError) as exc:
        get_admin(directory).execute()
    assert exc.value.status_code == 403
    assert error_of(exc.value)["errors"][0] == {
        "message": "User Rate Limit Exceeded",
        "domain": "usageLimits",
        "reason": "userRateLimitExceeded",
    }
    assert 1 <= int(exc.value.resp["retry-after"]) <= 60


def test_quota_is_counted_per_caller(emulator: Emulator, directory: Any) -> None:
    emulator.faults(quota_per_minute=1)
    get_admin(directory).execute()
    other = get_admin(directory)
    other.headers["authorization"] = "Bearer otra-persona"
    assert other.execute()["primaryEmail"] == "admin@cajica.example"


def test_error_rate_one_fails_every_request_before_any_change(
    emulator: Emulator, directory: Any
) -> None:
    emulator.faults(error_rate=1.0)
    reasons = set()
    for _ in range(12):
        with pytest.raises(HttpError) as exc:
            directory.users().insert(body=USER).execute()
        reasons.add(reason_of(exc.value))
    emulator.faults(error_rate=0.0)
    assert reasons <= {"backendError", "rateLimitExceeded", "userRateLimitExceeded"}
    assert len(reasons) >= 2
    with pytest.raises(HttpError) as exc:
        directory.users().get(userKey=USER["primaryEmail"]).execute()
    assert exc.value.status_code == 404


def test_error_rate_half_fails_some_requests_and_serves_others(
    emulator: Emulator, directory: Any
) -> None:
    emulator.faults(error_rate=0.5, seed=7)
    outcomes = []
    for _ in range(40):
        try:
            get_admin(directory).execute()
            outcomes.append(True)
        except HttpError:
            outcomes.append(False)
    assert 5 < outcomes.count(False) < 35


def test_an_outage_answers_503_on_every_google_route(emulator: Emulator, directory: Any) -> None:
    emulator.faults(outage=True)
    with pytest.raises(HttpError) as exc:
        directory.groups().list(customer="my_customer").execute()
    status, health = control(emulator.base_url, "health")
    emulator.faults(outage=False)
    assert exc.value.status_code == 503
    assert error_of(exc.value)["status"] == "UNAVAILABLE"
    assert status == 200 and health["status"] == "ok"


def test_a_new_user_cannot_be_changed_during_the_creation_delay(
    emulator: Emulator, directory: Any
) -> None:
    emulator.faults(creation_delay_ms=600_000)
    user = directory.users().insert(body=USER).execute()
    with pytest.raises(HttpError) as exc:
        directory.users().patch(userKey=user["id"], body={"suspended": True}).execute()
    assert user["isMailboxSetup"] is False
    assert exc.value.status_code == 412
    assert reason_of(exc.value) == "conditionNotMet"
    assert error_of(exc.value)["message"] == "User creation is not complete."


@pytest.mark.parametrize(
    "call",
    [
        lambda d, key: d.users().aliases().insert(userKey=key, body={"alias": "np@cajica.example"}),
        lambda d, key: d.users().makeAdmin(userKey=key, body={"status": True}),
        lambda d, key: d.members().insert(groupKey="todos@cajica.example", body={"email": key}),
    ],
    ids=["aliases.insert", "makeAdmin", "members.insert"],
)
def test_other_mutations_of_a_new_user_also_wait_for_creation(
    emulator: Emulator, directory: Any, call: Any
) -> None:
    emulator.faults(creation_delay_ms=600_000)
    user = directory.users().insert(body=USER).execute()
    with pytest.raises(HttpError) as exc:
        call(directory, user["primaryEmail"]).execute()
    assert error_of(exc.value)["message"] == "User creation is not complete."


def test_faults_can_be_read_back_from_the_control_endpoint(emulator: Emulator) -> None:
    emulator.faults(latency_ms=1, quota_per_minute=None)
    status, faults = control(emulator.base_url, "faults")
    assert status == 200
    assert faults["latency_ms"] == 1
    assert faults["quota_per_minute"] is None


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"error_rate": 1.5}, "error_rate"),
        ({"quota_per_minute": 0}, "quota_per_minute"),
        ({"latency_ms": -1}, "latency_ms"),
        ({"outage": "sí"}, "outage"),
        ({"velocidad": 3}, "Parámetro de fallas desconocido: velocidad"),
    ],
)
def test_the_control_endpoint_refuses_bad_fault_values_in_spanish(
    emulator: Emulator, body: dict[str, Any], fragment: str
) -> None:
    status, answer = control(emulator.base_url, "faults", body)
    assert status == 400
    assert fragment in answer["error"]["message"]


def test_reset_restores_the_demo_seed(emulator: Emulator, directory: Any) -> None:
    directory.users().delete(userKey="admin@cajica.example").execute()
    status, _ = control(emulator.base_url, "reset", {})
    assert status == 200
    assert get_admin(directory).execute()["isAdmin"] is True


def test_control_routes_are_never_disturbed_by_quota(emulator: Emulator) -> None:
    emulator.faults(quota_per_minute=1, fail_next=5)
    statuses = [control(emulator.base_url, "health")[0] for _ in range(5)]
    assert statuses == [200] * 5


def test_unknown_paths_are_404_not_found(emulator: Emulator, directory: Any) -> None:
    status, body = control(emulator.base_url, "no-existe")
    assert status == 404
    assert body["error"]["errors"][0]["reason"] == "notFound"
