"""The Status Dashboard feed of the emulator: Google's shape, demo history, the Gmail outage
switch."""

from __future__ import annotations

import base64
from email.message import EmailMessage
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from mailops.emulator import EmulatorServer
from tests.emulator_apis.support import (
    ADMIN,
    NOW,
    Clock,
    get_json,
    post_json,
    set_gmail_outage,
)

GMAIL_ID = "NL7yHcAA2QVB2CcfZ1Hd"
INCIDENT_KEYS = {
    "id",
    "number",
    "begin",
    "end",
    "created",
    "modified",
    "external_desc",
    "updates",
    "most_recent_update",
    "status_impact",
    "severity",
    "service_key",
    "service_name",
    "affected_products",
    "uri",
}


def incidents(server: EmulatorServer) -> list[dict[str, Any]]:
    data = get_json(server.base_url + "appsstatus/dashboard/incidents.json")
    assert isinstance(data, list)
    return data


def test_the_feed_holds_closed_demo_incidents_in_googles_shape(server: EmulatorServer) -> None:
    feed = incidents(server)
    assert len(feed) >= 5
    assert all(set(i) == INCIDENT_KEYS for i in feed)
    assert all(i["end"] is not None for i in feed)
    assert {i["service_name"] for i in feed} >= {"Gmail", "Google Meet", "Google Drive"}
    assert all(i["most_recent_update"]["status"] == "AVAILABLE" for i in feed)
    assert all(i["uri"] == f"incidents/{i['id']}" for i in feed)


def test_the_feed_is_newest_first(server: EmulatorServer) -> None:
    begins = [i["begin"] for i in incidents(server)]
    assert begins == sorted(begins, reverse=True)


def test_products_list_gmail_with_its_id(server: EmulatorServer) -> None:
    products = get_json(server.base_url + "appsstatus/dashboard/products.json")["products"]
    assert {"id": GMAIL_ID, "title": "Gmail"} in products


def test_switching_the_outage_on_opens_a_gmail_service_outage(
    server: EmulatorServer, clock: Clock
) -> None:
    state = set_gmail_outage(server.base_url, True)
    (open_incident,) = [i for i in incidents(server) if i["end"] is None]
    assert state == {"gmail_outage": True, "incidentes_abiertos": 1}
    assert open_incident["status_impact"] == "SERVICE_OUTAGE"
    assert open_incident["affected_products"] == [{"title": "Gmail", "id": GMAIL_ID}]
    assert open_incident["begin"] == NOW.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def test_switching_the_outage_off_closes_it_with_an_available_update(
    server: EmulatorServer, clock: Clock
) -> None:
    set_gmail_outage(server.base_url, True)
    clock.advance(hours=2)
    set_gmail_outage(server.base_url, False)
    newest = incidents(server)[0]
    assert newest["end"] == clock.now.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert newest["most_recent_update"]["status"] == "AVAILABLE"
    assert len(newest["updates"]) == 2


def test_switching_the_outage_on_twice_opens_one_incident(server: EmulatorServer) -> None:
    set_gmail_outage(server.base_url, True)
    state = set_gmail_outage(server.base_url, True)
    assert state["incidentes_abiertos"] == 1


def test_gmail_refuses_to_send_during_the_outage(server: EmulatorServer, gmail: Any) -> None:
    set_gmail_outage(server.base_url, True)
    msg = EmailMessage()
    msg["To"] = ADMIN
    msg["Subject"] = "Durante la caída"
    msg.set_content("x")
    with pytest.raises(HttpError) as info:
        gmail.users().messages().send(
            userId=ADMIN, body={"raw": base64.urlsafe_b64encode(msg.as_bytes()).decode()}
        ).execute()
    assert info.value.status_code == 503


def test_a_bad_switch_body_gets_a_spanish_error(server: EmulatorServer) -> None:
    status, body = post_json(server.base_url + "_emulator/status", {"gmail_outage": "sí"})
    assert status == 400
    assert "para abrir una caída emulada de Gmail" in body["error"]["message"]


def test_the_switch_state_can_be_read(server: EmulatorServer) -> None:
    assert get_json(server.base_url + "_emulator/status") == {
        "gmail_outage": False,
        "incidentes_abiertos": 0,
    }
