from __future__ import annotations

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from mailops.emulator import EmulatorServer, Faults, serve
from mailops.errors import EmulatorError
from tests.emulator.conftest import Emulator, directory_client, error_of

START = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)

USER = {
    "primaryEmail": "ana.rojas@cajica.example",
    "name": {"givenName": "Ana", "familyName": "Rojas Cárdenas"},
    "password": "Cl4ve-Segura-2026",
}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org"])
def test_a_non_loopback_host_is_refused(host: str) -> None:
    with pytest.raises(EmulatorError, match="solo escucha en la interfaz local"):
        EmulatorServer(host=host)


def test_an_empty_host_is_refused() -> None:
    with pytest.raises(EmulatorError, match="Dirección de escucha inválida"):
        EmulatorServer(host="")


@pytest.mark.parametrize("port", [-1, 70000, "8080", True])
def test_a_bad_port_is_refused(port: Any) -> None:
    with pytest.raises(EmulatorError, match="Puerto inválido"):
        EmulatorServer(port=port)


def test_an_unknown_seed_is_refused() -> None:
    with pytest.raises(EmulatorError, match="Semilla desconocida «bogotá»"):
        EmulatorServer(seed="bogotá")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"quota_per_minute": 0}, "quota_per_minute"),
        ({"error_rate": -0.1}, "error_rate"),
        ({"latency_ms": 70_000}, "latency_ms"),
        ({"fail_next": -2}, "fail_next"),
        ({"outage": 1}, "outage"),
    ],
)
def test_bad_fault_values_are_refused_in_spanish(changes: dict[str, Any], fragment: str) -> None:
    with pytest.raises(EmulatorError, match=fragment):
        Faults(**changes)


def test_a_port_in_use_is_a_clear_error() -> None:
    with EmulatorServer(seed="empty") as first:
        taken = EmulatorServer(seed="empty", port=first.port)
        with pytest.raises(EmulatorError, match=f"No se pudo abrir el puerto {first.port}"):
            taken.start()


def test_base_url_before_start_is_an_error() -> None:
    with pytest.raises(EmulatorError, match="no está en marcha"):
        _ = EmulatorServer().base_url


def test_serve_yields_a_loopback_base_url_and_removes_the_temporary_state() -> None:
    with serve(seed="empty") as base_url:
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/")
        with urllib.request.urlopen(base_url + "_emulator/health") as resp:
            state = Path(json.loads(resp.read())["state"])
        assert state.exists()
    assert not state.exists()


def test_the_empty_seed_has_the_customer_and_domains_but_no_users() -> None:
    with serve(seed="empty") as base_url, directory_client(base_url) as directory:
        page = directory.users().list(customer="my_customer").execute()
        domains = directory.domains().list(customer="my_customer").execute()["domains"]
    assert "users" not in page
    assert [d["domainName"] for d in domains] == ["cajica.example", "cajica.gov.example"]


def test_an_existing_state_file_is_reused_not_reseeded(tmp_path: Path) -> None:
    state = tmp_path / "estado.sqlite3"
    with EmulatorServer(state) as emu, directory_client(emu.base_url) as directory:
        directory.users().insert(body=USER).execute()
    with EmulatorServer(state) as emu, directory_client(emu.base_url) as directory:
        again = directory.users().get(userKey=USER["primaryEmail"]).execute()
    assert again["name"]["familyName"] == "Rojas Cárdenas"


def test_two_servers_on_one_state_file_share_the_domain(emulator: Emulator, directory: Any) -> None:
    with EmulatorServer(emulator.state) as other, directory_client(other.base_url) as second:
        created = second.users().insert(body=USER).execute()
    seen = directory.users().get(userKey=USER["primaryEmail"]).execute()
    assert seen["id"] == created["id"]


def test_faults_can_be_changed_while_running() -> None:
    with EmulatorServer(seed="empty") as emu, directory_client(emu.base_url) as directory:
        emu.faults = Faults(outage=True)
        with pytest.raises(HttpError) as exc:
            directory.domains().list(customer="my_customer").execute()
        emu.faults = Faults()
        assert directory.domains().list(customer="my_customer").execute()["domains"]
    assert exc.value.status_code == 503


def test_the_creation_delay_ends_when_the_clock_passes_it() -> None:
    clock = Clock(START)
    faults = Faults(creation_delay_ms=5_000)
    with (
        EmulatorServer(seed="empty", clock=clock, faults=faults) as emu,
        directory_client(emu.base_url) as directory,
    ):
        user = directory.users().insert(body=USER).execute()
        with pytest.raises(HttpError) as exc:
            directory.users().patch(userKey=user["id"], body={"suspended": True}).execute()
        clock.now = START + timedelta(seconds=6)
        patched = directory.users().patch(userKey=user["id"], body={"suspended": True}).execute()
    assert error_of(exc.value)["message"] == "User creation is not complete."
    assert patched["suspended"] is True
    assert patched["isMailboxSetup"] is True


def test_the_quota_window_slides_with_the_clock() -> None:
    clock = Clock(START)
    with (
        EmulatorServer(seed="empty", clock=clock, faults=Faults(quota_per_minute=2)) as emu,
        directory_client(emu.base_url) as directory,
    ):
        for _ in range(2):
            directory.customers().get(customerKey="my_customer").execute()
        with pytest.raises(HttpError) as exc:
            directory.customers().get(customerKey="my_customer").execute()
        clock.now = START + timedelta(seconds=61)
        again = directory.customers().get(customerKey="my_customer").execute()
    assert exc.value.resp["retry-after"] == "60"
    assert again["id"] == "C03cajica"


def test_creation_times_follow_the_injected_clock() -> None:
    clock = Clock(START)
    with (
        EmulatorServer(seed="empty", clock=clock) as emu,
        directory_client(emu.base_url) as directory,
    ):
        user = directory.users().insert(body=USER).execute()
    assert user["creationTime"] == "2026-11-02T14:00:00.000Z"


def test_reset_from_python_restores_the_seed() -> None:
    with EmulatorServer(seed="empty") as emu, directory_client(emu.base_url) as directory:
        directory.users().insert(body=USER).execute()
        emu.reset()
        page = directory.users().list(customer="my_customer").execute()
    assert "users" not in page


def test_concurrent_clients_insert_without_losing_or_duplicating_anything() -> None:
    def work(n: int) -> list[str]:
        ids = []
        with directory_client(emu.base_url) as directory:
            for i in range(15):
                body = {**USER, "primaryEmail": f"hilo{n}.persona{i}@cajica.example"}
                ids.append(directory.users().insert(body=body).execute()["id"])
        return ids

    with EmulatorServer(seed="empty") as emu:
        with ThreadPoolExecutor(max_workers=4) as pool:
            ids = [i for chunk in pool.map(work, range(4)) for i in chunk]
        with directory_client(emu.base_url) as directory:
            page = directory.users().list(customer="C03cajica", maxResults=500).execute()
    assert len(ids) == len(set(ids)) == 60
    assert len(page["users"]) == 60
