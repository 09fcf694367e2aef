"""The Gmail API: send a Spanish HTML+text message, read a mailbox, and the mailbox settings
admins look at (automatic forwarding, forwarding addresses, send-as, vacation, delegates).

Example::

    sent = ws.gmail.send("admin@cajica.example", "prueba@cajica.example",
                         "Prueba de activación", "Texto", html="<p>Texto</p>")
    found = ws.gmail.search("prueba@cajica.example", f"subject:{token}")
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parsedate_to_datetime
from typing import Any

from mailops.errors import InputError
from mailops.workspace.execution import Call, Executor

__all__ = [
    "AutoForwarding",
    "Delegate",
    "ForwardingAddress",
    "Gmail",
    "MailMessage",
    "MailboxSettings",
    "SendAs",
    "SentMessage",
    "Vacation",
]


@dataclass(frozen=True)
class SentMessage:
    id: str
    thread_id: str
    label_ids: tuple[str, ...]


@dataclass(frozen=True)
class MailMessage:
    """One message of a mailbox, decoded."""

    id: str
    thread_id: str
    label_ids: tuple[str, ...]
    subject: str
    sender: str
    to: str
    date: datetime | None
    snippet: str
    text: str

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> MailMessage:
        raw = str(data.get("raw", ""))
        try:
            content = base64.urlsafe_b64decode(raw.encode() + b"=" * (-len(raw) % 4))
        except (binascii.Error, ValueError):
            content = b""
        msg = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        body = msg.get_body(preferencelist=("plain", "html"))
        text = body.get_content() if body is not None else ""
        when: datetime | None = None
        if msg.get("Date"):
            try:
                when = parsedate_to_datetime(str(msg["Date"]))
            except (TypeError, ValueError):
                when = None
        return cls(
            id=str(data.get("id", "")),
            thread_id=str(data.get("threadId", "")),
            label_ids=tuple(data.get("labelIds", ())),
            subject=str(msg.get("Subject", "")),
            sender=str(msg.get("From", "")),
            to=str(msg.get("To", "")),
            date=when,
            snippet=str(data.get("snippet", "")),
            text=text if isinstance(text, str) else "",
        )


@dataclass(frozen=True)
class AutoForwarding:
    enabled: bool
    email_address: str | None = None
    disposition: str | None = None


@dataclass(frozen=True)
class ForwardingAddress:
    email: str
    status: str


@dataclass(frozen=True)
class SendAs:
    email: str
    display_name: str
    is_primary: bool
    is_default: bool
    status: str


@dataclass(frozen=True)
class Vacation:
    enabled: bool
    subject: str = ""
    text: str = ""


@dataclass(frozen=True)
class Delegate:
    email: str
    status: str


@dataclass(frozen=True)
class MailboxSettings:
    """What an admin reviews of one mailbox."""

    mailbox: str
    auto_forwarding: AutoForwarding
    forwarding_addresses: tuple[ForwardingAddress, ...]
    send_as: tuple[SendAs, ...]
    vacation: Vacation
    delegates: tuple[Delegate, ...]


def build_message(
    sender: str,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str | None = None,
    *,
    now: datetime | None = None,
) -> EmailMessage:
    """An RFC 2822 message, UTF-8, text with an optional HTML alternative."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    if now is not None:
        msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    msg.set_content(text, charset="utf-8")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg


class Gmail:
    """The Gmail API for the mailboxes of the domain (as the delegated admin sees them)."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor

    def _run(self, method: str, **params: Any) -> dict[str, Any]:
        return self.executor.execute(Call("gmail", method, params, key=str(params.get("userId"))))

    # -- messages -------------------------------------------------------------------------

    def send(
        self,
        sender: str,
        to: str | Sequence[str],
        subject: str,
        text: str,
        *,
        html: str | None = None,
        now: datetime | None = None,
    ) -> SentMessage:
        """Send a message from ``sender``'s mailbox (messages.send with ``raw``)."""
        recipients = [to] if isinstance(to, str) else list(to)
        if not recipients or not all("@" in r for r in recipients):
            raise InputError(
                f"destinatarios inválidos: {recipients!r}; use direcciones de correo completas",
                where="destinatarios",
            )
        if not subject.strip():
            raise InputError("el asunto no puede estar vacío", where="asunto")
        msg = build_message(sender, recipients, subject, text, html, now=now)
        raw = base64.urlsafe_b64encode(msg.as_bytes()).decode()
        data = self._run("users.messages.send", userId=sender, body={"raw": raw})
        return SentMessage(
            str(data.get("id", "")), str(data.get("threadId", "")), tuple(data.get("labelIds", ()))
        )

    def messages_list(self, mailbox: str, *, q: str | None = None, limit: int = 100) -> list[str]:
        """Ids of the messages of ``mailbox`` matching ``q`` (Gmail search), newest first."""
        params: dict[str, Any] = {"userId": mailbox, "maxResults": min(limit, 500)}
        if q:
            params["q"] = q
        ids: list[str] = []
        call = Call("gmail", "users.messages.list", params, key=mailbox)
        for page in self.executor.pages(call, "messages"):
            ids.extend(str(m["id"]) for m in page)
            if len(ids) >= limit:
                break
        return ids[:limit]

    def messages_get(self, mailbox: str, message_id: str) -> MailMessage:
        data = self._run("users.messages.get", userId=mailbox, id=message_id, format="raw")
        return MailMessage.from_api(data)

    def search(self, mailbox: str, q: str, *, limit: int = 10) -> list[MailMessage]:
        """The messages of ``mailbox`` matching ``q``, decoded, newest first."""
        return [
            self.messages_get(mailbox, i) for i in self.messages_list(mailbox, q=q, limit=limit)
        ]

    # -- settings -------------------------------------------------------------------------

    def auto_forwarding(self, mailbox: str) -> AutoForwarding:
        d = self._run("users.settings.getAutoForwarding", userId=mailbox)
        return AutoForwarding(bool(d.get("enabled")), d.get("emailAddress"), d.get("disposition"))

    def update_auto_forwarding(
        self, mailbox: str, address: str | None, *, disposition: str = "leaveInInbox"
    ) -> AutoForwarding:
        """Forward to ``address`` (a verified forwarding address), or stop when None."""
        body: dict[str, Any] = {"enabled": address is not None}
        if address is not None:
            body.update(emailAddress=address, disposition=disposition)
        d = self._run("users.settings.updateAutoForwarding", userId=mailbox, body=body)
        return AutoForwarding(bool(d.get("enabled")), d.get("emailAddress"), d.get("disposition"))

    def forwarding_addresses(self, mailbox: str) -> list[ForwardingAddress]:
        d = self._run("users.settings.forwardingAddresses.list", userId=mailbox)
        return [
            ForwardingAddress(str(f["forwardingEmail"]), str(f.get("verificationStatus", "")))
            for f in d.get("forwardingAddresses", []) or []
        ]

    def forwarding_addresses_create(self, mailbox: str, address: str) -> ForwardingAddress:
        d = self._run(
            "users.settings.forwardingAddresses.create",
            userId=mailbox,
            body={"forwardingEmail": address},
        )
        return ForwardingAddress(str(d["forwardingEmail"]), str(d.get("verificationStatus", "")))

    def send_as(self, mailbox: str) -> list[SendAs]:
        d = self._run("users.settings.sendAs.list", userId=mailbox)
        return [
            SendAs(
                str(s["sendAsEmail"]),
                str(s.get("displayName", "")),
                bool(s.get("isPrimary")),
                bool(s.get("isDefault")),
                str(s.get("verificationStatus", "")),
            )
            for s in d.get("sendAs", []) or []
        ]

    def vacation(self, mailbox: str) -> Vacation:
        d = self._run("users.settings.getVacation", userId=mailbox)
        return Vacation(
            bool(d.get("enableAutoReply")),
            str(d.get("responseSubject", "")),
            str(d.get("responseBodyPlainText", "")),
        )

    def update_vacation(
        self, mailbox: str, *, enabled: bool, subject: str = "", text: str = ""
    ) -> Vacation:
        body = {
            "enableAutoReply": enabled,
            "responseSubject": subject,
            "responseBodyPlainText": text,
        }
        d = self._run("users.settings.updateVacation", userId=mailbox, body=body)
        return Vacation(
            bool(d.get("enableAutoReply")),
            str(d.get("responseSubject", "")),
            str(d.get("responseBodyPlainText", "")),
        )

    def delegates(self, mailbox: str) -> list[Delegate]:
        d = self._run("users.settings.delegates.list", userId=mailbox)
        return [
            Delegate(str(x["delegateEmail"]), str(x.get("verificationStatus", "")))
            for x in d.get("delegates", []) or []
        ]

    def delegates_create(self, mailbox: str, delegate: str) -> Delegate:
        d = self._run(
            "users.settings.delegates.create", userId=mailbox, body={"delegateEmail": delegate}
        )
        return Delegate(str(d["delegateEmail"]), str(d.get("verificationStatus", "")))

    def mailbox_settings(self, mailbox: str) -> MailboxSettings:
        """Every setting an admin reviews, in one object."""
        return MailboxSettings(
            mailbox=mailbox,
            auto_forwarding=self.auto_forwarding(mailbox),
            forwarding_addresses=tuple(self.forwarding_addresses(mailbox)),
            send_as=tuple(self.send_as(mailbox)),
            vacation=self.vacation(mailbox),
            delegates=tuple(self.delegates(mailbox)),
        )
