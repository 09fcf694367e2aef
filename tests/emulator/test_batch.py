from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest

from tests.emulator.conftest import Emulator, control, reason_of


def person(n: int) -> dict[str, Any]:
    return {
        "primaryEmail": f"contratista{n:03d}@cajica.example",
        "name": {"givenName": "Contratista", "familyName": f"Número {n}"},
        "password": "Cl4ve-Segura-2026",
    }


def run_batch(directory: Any, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    results: dict[str, Any] = {}

    def callback(request_id: str, response: Any, exception: Exception | None) -> None:
        results[request_id] = exception if exception is not None else response

    batch: BatchHttpRequest = directory.new_batch_http_request(callback=callback)
    for n, body in enumerate(bodies):
        batch.add(directory.users().insert(body=body), request_id=f"fila-{n}")
    batch.execute()
    return results


def test_a_batch_of_200_inserts_answers_each_part_and_fails_only_the_duplicates(
    directory: Any,
) -> None:
    bodies = [person(n) for n in range(190)]
    bodies += [{**person(900 + n), "primaryEmail": "admin@cajica.example"} for n in range(10)]
    results = run_batch(directory, bodies)
    failures = {k: v for k, v in results.items() if isinstance(v, HttpError)}
    assert len(results) == 200
    assert len(failures) == 10
    assert {reason_of(e) for e in failures.values()} == {"duplicate"}
    assert results["fila-0"]["primaryEmail"] == "contratista000@cajica.example"
    listed = (
        directory.users()
        .list(customer="my_customer", query="email:contratista*", maxResults=500)
        .execute()
    )
    assert len(listed["users"]) == 190


def test_batch_parts_get_not_found_per_item(directory: Any) -> None:
    found: dict[str, Any] = {}

    def callback(request_id: str, response: Any, exception: Exception | None) -> None:
        found[request_id] = exception if exception is not None else response

    batch = directory.new_batch_http_request(callback=callback)
    batch.add(directory.users().get(userKey="admin@cajica.example"), request_id="a")
    batch.add(directory.users().get(userKey="nadie@cajica.example"), request_id="b")
    batch.add(directory.users().delete(userKey="admin@cajica.example"), request_id="c")
    batch.execute()
    assert found["a"]["primaryEmail"] == "admin@cajica.example"
    assert isinstance(found["b"], HttpError) and found["b"].status_code == 404
    assert found["c"] == ""


def test_each_batch_part_counts_against_the_quota(emulator: Emulator, directory: Any) -> None:
    emulator.faults(quota_per_minute=5)
    results = run_batch(directory, [person(n) for n in range(8)])
    limited = [v for v in results.values() if isinstance(v, HttpError)]
    assert len(limited) == 3
    assert {reason_of(e) for e in limited} == {"userRateLimitExceeded"}


def test_the_legacy_batch_path_works(emulator: Emulator, directory: Any) -> None:
    got: list[Any] = []
    batch = BatchHttpRequest(
        callback=lambda rid, resp, exc: got.append(resp),
        batch_uri=emulator.base_url + "batch/admin/directory_v1",
    )
    batch.add(directory.users().get(userKey="admin@cajica.example"))
    batch.execute(http=directory._http)
    assert got[0]["primaryEmail"] == "admin@cajica.example"


def raw_batch(base_url: str, parts: int) -> tuple[int, str]:
    boundary = "xyz"
    body = (
        "".join(
            f"--{boundary}\nContent-Type: application/http\nContent-ID: <{n}>\n\n"
            "GET /admin/directory/v1/users/admin%40cajica.example HTTP/1.1\n\n\n"
            for n in range(parts)
        )
        + f"--{boundary}--\n"
    )
    req = urllib.request.Request(
        base_url + "batch",
        data=body.encode(),
        headers={"Content-Type": f'multipart/mixed; boundary="{boundary}"'},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_a_batch_of_more_than_1000_parts_is_400(emulator: Emulator) -> None:
    status, body = raw_batch(emulator.base_url, 1001)
    assert status == 400
    assert "limit is 1000" in body


def test_a_batch_of_exactly_1000_parts_is_served(emulator: Emulator) -> None:
    status, body = raw_batch(emulator.base_url, 1000)
    assert status == 200
    assert body.count("HTTP/1.1 200 OK") == 1000


def test_a_batch_that_is_not_multipart_is_400(emulator: Emulator) -> None:
    req = urllib.request.Request(
        emulator.base_url + "batch", data=b"{}", headers={"Content-Type": "application/json"}
    )
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(req)
    assert exc.value.code == 400
    exc.value.close()


def test_batch_parts_are_counted_in_the_stats(emulator: Emulator, directory: Any) -> None:
    run_batch(directory, [person(n) for n in range(3)])
    _, stats = control(emulator.base_url, "stats")
    assert stats["batch_parts"] == 3
    assert stats["by_route"]["directory.users_insert"] == {"200": 3}
