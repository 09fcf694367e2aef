"""The Gmail API of the emulator through google-api-python-client: send, list, get, and the
settings admins use."""

from __future__ import annotations

import base64
from email.message import EmailMessage
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from tests.emulator_apis.support import ADMIN

RECIPIENT = "pqrs@cajica.example"  # an alias of the head of Secretaría General


def raw(sender: str, to: str, subject: str, text: str = "Cuerpo del mensaje") -> str:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(text)
    msg.add_alternative(f"<p>{text}</p>", subtype="html")
    return base64.urlsafe_b64encode(msg.as_bytes()).decode()


def owner_of(directory: Any, address: str) -> str:
    return str(directory.users().get(userKey=address).execute()["primaryEmail"])


def error_of(exc: HttpError) -> tuple[int, str]:
    return exc.status_code, exc.error_details[0]["reason"]


def test_a_message_sent_to_a_domain_address_lands_in_the_recipients_inbox(
    gmail: Any, directory: Any
) -> None:
    sent = (
        gmail.users()
        .messages()
        .send(userId=ADMIN, body={"raw": raw(ADMIN, RECIPIENT, "Prueba de activación TOKEN-7781")})
        .execute()
    )
    mailbox = owner_of(directory, RECIPIENT)
    found = gmail.users().messages().list(userId=mailbox, q="subject:TOKEN-7781").execute()
    assert sent["labelIds"] == ["SENT"]
    assert found["resultSizeEstimate"] == 1
    message = gmail.users().messages().get(userId=mailbox, id=found["messages"][0]["id"]).execute()
    assert message["labelIds"] == ["INBOX", "UNREAD"]
    assert message["threadId"] == sent["threadId"]


def test_the_sender_keeps_a_sent_copy(gmail: Any) -> None:
    sent = (
        gmail.users()
        .messages()
        .send(userId=ADMIN, body={"raw": raw(ADMIN, RECIPIENT, "Copia enviada")})
        .execute()
    )
    found = gmail.users().messages().list(userId=ADMIN, q="in:sent").execute()
    assert [m["id"] for m in found["messages"]] == [sent["id"]]


def test_get_full_gives_headers_and_decoded_parts_with_accents(gmail: Any) -> None:
    gmail.users().messages().send(
        userId=ADMIN, body={"raw": raw(ADMIN, ADMIN, "Información de cuotas", "Añadir más")}
    ).execute()
    (ref,) = gmail.users().messages().list(userId=ADMIN, q="cuotas").execute()["messages"]
    message = gmail.users().messages().get(userId=ADMIN, id=ref["id"]).execute()
    headers = {h["name"]: h["value"] for h in message["payload"]["headers"]}
    plain = message["payload"]["parts"][0]
    text = base64.urlsafe_b64decode(plain["body"]["data"] + "==").decode()
    assert headers["Subject"] == "Información de cuotas"
    assert message["payload"]["mimeType"] == "multipart/alternative"
    assert text.strip() == "Añadir más"
    assert message["snippet"] == "Añadir más"


def test_get_raw_returns_the_message_as_sent(gmail: Any) -> None:
    body = raw(ADMIN, ADMIN, "Formato raw")
    sent = gmail.users().messages().send(userId=ADMIN, body={"raw": body}).execute()
    message = gmail.users().messages().get(userId=ADMIN, id=sent["id"], format="raw").execute()
    assert base64.urlsafe_b64decode(message["raw"] + "==") == base64.urlsafe_b64decode(body)


def test_list_pages_through_a_mailbox(gmail: Any) -> None:
    for n in range(5):
        gmail.users().messages().send(
            userId=ADMIN, body={"raw": raw(ADMIN, ADMIN, f"Mensaje {n}")}
        ).execute()
    first = gmail.users().messages().list(userId=ADMIN, maxResults=3).execute()
    second = (
        gmail.users()
        .messages()
        .list(userId=ADMIN, maxResults=3, pageToken=first["nextPageToken"])
        .execute()
    )
    assert len(first["messages"]) == 3
    assert len(second["messages"]) == 2
    assert "nextPageToken" not in second


def test_mail_to_outside_addresses_is_only_kept_as_sent(gmail: Any) -> None:
    gmail.users().messages().send(
        userId=ADMIN, body={"raw": raw(ADMIN, "alguien@otro.example", "Externo")}
    ).execute()
    inbox = gmail.users().messages().list(userId=ADMIN, q="in:inbox").execute()
    assert inbox["resultSizeEstimate"] == 0


def test_a_message_without_recipients_is_refused(gmail: Any) -> None:
    msg = EmailMessage()
    msg["Subject"] = "Sin destinatario"
    msg.set_content("x")
    with pytest.raises(HttpError) as info:
        gmail.users().messages().send(
            userId=ADMIN, body={"raw": base64.urlsafe_b64encode(msg.as_bytes()).decode()}
        ).execute()
    assert error_of(info.value) == (400, "invalidArgument")
    assert "Recipient address required" in str(info.value)


def test_a_mailbox_outside_the_directory_is_refused(gmail: Any) -> None:
    with pytest.raises(HttpError) as info:
        gmail.users().messages().list(userId="nadie@cajica.example").execute()
    assert error_of(info.value) == (400, "failedPrecondition")


def test_auto_forwarding_needs_a_verified_forwarding_address(gmail: Any) -> None:
    settings = gmail.users().settings()
    external = (
        settings.forwardingAddresses()
        .create(userId=ADMIN, body={"forwardingEmail": "copia@otro.example"})
        .execute()
    )
    with pytest.raises(HttpError) as info:
        settings.updateAutoForwarding(
            userId=ADMIN, body={"enabled": True, "emailAddress": "copia@otro.example"}
        ).execute()
    assert external["verificationStatus"] == "pending"
    assert error_of(info.value) == (400, "failedPrecondition")


def test_auto_forwarding_to_a_domain_address_is_accepted(gmail: Any) -> None:
    settings = gmail.users().settings()
    settings.forwardingAddresses().create(
        userId=ADMIN, body={"forwardingEmail": RECIPIENT}
    ).execute()
    settings.updateAutoForwarding(
        userId=ADMIN,
        body={"enabled": True, "emailAddress": RECIPIENT, "disposition": "archive"},
    ).execute()
    current = settings.getAutoForwarding(userId=ADMIN).execute()
    listed = settings.forwardingAddresses().list(userId=ADMIN).execute()
    assert current == {"enabled": True, "emailAddress": RECIPIENT, "disposition": "archive"}
    assert listed["forwardingAddresses"] == [
        {"forwardingEmail": RECIPIENT, "verificationStatus": "accepted"}
    ]


def test_send_as_lists_the_primary_address_first(gmail: Any) -> None:
    settings = gmail.users().settings()
    settings.sendAs().create(
        userId=ADMIN, body={"sendAsEmail": "otro@externo.example", "displayName": "Otro"}
    ).execute()
    listed = settings.sendAs().list(userId=ADMIN).execute()["sendAs"]
    assert [(s["sendAsEmail"], s["isPrimary"]) for s in listed] == [
        (ADMIN, True),
        ("otro@externo.example", False),
    ]


def test_delegates_must_be_users_of_the_domain(gmail: Any) -> None:
    settings = gmail.users().settings()
    created = settings.delegates().create(userId=ADMIN, body={"delegateEmail": RECIPIENT}).execute()
    with pytest.raises(HttpError) as info:
        settings.delegates().create(
            userId=ADMIN, body={"delegateEmail": "alguien@otro.example"}
        ).execute()
    listed = settings.delegates().list(userId=ADMIN).execute()["delegates"]
    assert created["verificationStatus"] == "accepted"
    assert [d["delegateEmail"] for d in listed] == [created["delegateEmail"]]
    assert error_of(info.value) == (400, "invalidArgument")


def test_deleting_a_delegate_removes_it(gmail: Any) -> None:
    settings = gmail.users().settings()
    created = settings.delegates().create(userId=ADMIN, body={"delegateEmail": RECIPIENT}).execute()
    settings.delegates().delete(userId=ADMIN, delegateEmail=created["delegateEmail"]).execute()
    assert settings.delegates().list(userId=ADMIN).execute() == {"delegates": []}


def test_vacation_responder_is_kept(gmail: Any) -> None:
    settings = gmail.users().settings()
    settings.updateVacation(
        userId=ADMIN,
        body={
            "enableAutoReply": True,
            "responseSubject": "Fuera de la oficina",
            "responseBodyPlainText": "Regreso el lunes.",
        },
    ).execute()
    current = settings.getVacation(userId=ADMIN).execute()
    assert current["enableAutoReply"] is True
    assert current["responseSubject"] == "Fuera de la oficina"
