"""mailops.workspace.gmail against the emulator: a Spanish HTML+text message sent and found,
mailbox settings read and changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mailops.errors import InputError, InvalidRequestError
from mailops.workspace import Workspace
from tests.emulator_apis.support import ADMIN, Clock, running_emulator, workspace

RECIPIENT = "pqrs@cajica.example"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with running_emulator(tmp_path, Clock()) as server, workspace(server, tmp_path) as connected:
        yield connected


def recipient_mailbox(ws: Workspace) -> str:
    return ws.directory.users_get(RECIPIENT).primary_email


def test_a_sent_message_is_found_in_the_recipients_mailbox(ws: Workspace) -> None:
    sent = ws.gmail.send(
        ADMIN,
        RECIPIENT,
        "Notificación de prueba Ñandú-42",
        "Señores: el servicio está activo.",
        html="<p>Señores: el servicio está <b>activo</b>.</p>",
        now=datetime(2026, 11, 20, 15, 0, tzinfo=UTC),
    )
    (found,) = ws.gmail.search(recipient_mailbox(ws), "subject:Ñandú-42")
    assert sent.label_ids == ("SENT",)
    assert found.subject == "Notificación de prueba Ñandú-42"
    assert found.sender == ADMIN
    assert found.text.strip() == "Señores: el servicio está activo."
    assert found.date == datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    assert "UNREAD" in found.label_ids


def test_listing_a_mailbox_gives_newest_first(ws: Workspace) -> None:
    first = ws.gmail.send(ADMIN, ADMIN, "Primero", "uno")
    second = ws.gmail.send(ADMIN, ADMIN, "Segundo", "dos")
    assert ws.gmail.messages_list(ADMIN) == [second.id, first.id]


def test_listing_stops_at_the_limit(ws: Workspace) -> None:
    for n in range(4):
        ws.gmail.send(ADMIN, ADMIN, f"Mensaje {n}", "texto")
    assert len(ws.gmail.messages_list(ADMIN, limit=3)) == 3


def test_sending_without_a_valid_recipient_is_refused_before_calling_google(
    ws: Workspace,
) -> None:
    with pytest.raises(InputError) as info:
        ws.gmail.send(ADMIN, "sin-arroba", "Asunto", "texto")
    assert "destinatarios inválidos" in str(info.value)


def test_sending_without_a_subject_is_refused(ws: Workspace) -> None:
    with pytest.raises(InputError) as info:
        ws.gmail.send(ADMIN, ADMIN, "  ", "texto")
    assert "el asunto no puede estar vacío" in str(info.value)


def test_a_mailbox_outside_the_domain_is_an_invalid_request(ws: Workspace) -> None:
    with pytest.raises(InvalidRequestError) as info:
        ws.gmail.messages_list("nadie@cajica.example")
    assert info.value.reason == "failedPrecondition"
    assert "Solicitud inválida (nadie@cajica.example)" in str(info.value)


def test_a_fresh_mailbox_has_default_settings(ws: Workspace) -> None:
    settings = ws.gmail.mailbox_settings(ADMIN)
    assert not settings.auto_forwarding.enabled
    assert settings.forwarding_addresses == ()
    assert [(s.email, s.is_primary) for s in settings.send_as] == [(ADMIN, True)]
    assert not settings.vacation.enabled
    assert settings.delegates == ()


def test_forwarding_to_a_domain_address_can_be_turned_on_and_off(ws: Workspace) -> None:
    address = ws.gmail.forwarding_addresses_create(ADMIN, RECIPIENT)
    on = ws.gmail.update_auto_forwarding(ADMIN, RECIPIENT)
    off = ws.gmail.update_auto_forwarding(ADMIN, None)
    assert address.status == "accepted"
    assert (on.enabled, on.email_address, on.disposition) == (True, RECIPIENT, "leaveInInbox")
    assert not off.enabled


def test_a_delegate_and_a_vacation_responder_show_in_the_settings(ws: Workspace) -> None:
    delegate = ws.gmail.delegates_create(ADMIN, RECIPIENT)
    ws.gmail.update_vacation(ADMIN, enabled=True, subject="Vacaciones", text="Regreso el 5.")
    settings = ws.gmail.mailbox_settings(ADMIN)
    assert settings.delegates == (delegate,)
    assert settings.vacation.enabled
    assert settings.vacation.subject == "Vacaciones"
