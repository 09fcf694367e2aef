"""mailops.workspace.status: reading the Status Dashboard feed and answering whether Gmail is
affected now, since when and what Google says."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mailops.emulator import EmulatorServer
from mailops.errors import UnavailableError
from mailops.workspace import StatusDashboard, Workspace
from mailops.workspace.status import GOOGLE_FEED_URL, feed_url_for
from tests.emulator_apis.support import NOW, Clock, running_emulator, set_gmail_outage, workspace


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmulatorServer]:
    with running_emulator(tmp_path, Clock()) as emu:
        yield emu


@pytest.fixture
def ws(server: EmulatorServer, tmp_path: Path) -> Iterator[Workspace]:
    with workspace(server, tmp_path) as connected:
        yield connected


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_emulator_feed_is_used_in_emulator_mode(ws: Workspace, server: EmulatorServer) -> None:
    assert ws.status.feed_url == server.base_url + "appsstatus/dashboard/incidents.json"


def test_googles_feed_is_the_default_without_an_emulator() -> None:
    assert feed_url_for(None, None) == GOOGLE_FEED_URL
    assert GOOGLE_FEED_URL == "https://www.google.com/appsstatus/dashboard/incidents.json"


def test_the_configured_feed_url_wins(server: EmulatorServer, tmp_path: Path) -> None:
    url = server.base_url + "appsstatus/dashboard/incidents.json?copia=1"
    with workspace(server, tmp_path, status_feed_url=url) as connected:
        assert connected.status.feed_url == url


def test_gmail_is_not_affected_in_a_healthy_domain(ws: Workspace) -> None:
    status = ws.status.gmail()
    assert not status.affected
    assert status.since is None
    assert status.open_incidents == ()
    assert len(status.recent_incidents) == 2
    assert status.summary.startswith("Sin incidentes abiertos de Gmail")


def test_an_open_outage_says_since_when_and_what_google_says(
    ws: Workspace, server: EmulatorServer
) -> None:
    set_gmail_outage(server.base_url, True)
    status = ws.status.gmail()
    (incident,) = status.open_incidents
    assert status.affected
    assert status.since == NOW
    assert incident.impact == "SERVICE_OUTAGE"
    assert incident.url == f"https://www.google.com/appsstatus/dashboard/incidents/{incident.id}"
    assert "Gmail está afectado: interrupción del servicio (severidad alta)" in status.summary
    assert "Google informa: «Title: Gmail users are unable to send or receive email" in (
        status.summary
    )


def test_other_products_are_not_affected_by_a_gmail_outage(
    ws: Workspace, server: EmulatorServer
) -> None:
    set_gmail_outage(server.base_url, True)
    assert not ws.status.product_status("Google Meet").affected


def test_incidents_are_read_newest_first(ws: Workspace) -> None:
    begins = [i.begin for i in ws.status.incidents()]
    assert begins == sorted(begins, reverse=True)  # type: ignore[type-var]


def test_an_unreachable_feed_is_unavailable_with_a_spanish_message() -> None:
    url = f"http://127.0.0.1:{free_port()}/appsstatus/dashboard/incidents.json"
    board = StatusDashboard(url, timeout=2, clock=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(UnavailableError) as info:
        board.gmail()
    assert "no se pudo leer el panel de estado de Google Workspace" in str(info.value)
    assert info.value.item == url


def test_a_feed_that_is_not_json_is_unavailable(server: EmulatorServer) -> None:
    board = StatusDashboard(server.base_url + "_emulator/nada")
    with pytest.raises(UnavailableError) as info:
        board.incidents()
    assert "el panel de estado respondió HTTP 404" in str(info.value)
