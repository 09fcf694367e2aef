"""The Gmail API model: mailboxes of the directory's users, send/list/get, admin settings.

A message sent to an address of the domain (a user's primary address or alias) lands in that
user's INBOX at once; the sender keeps a SENT copy. While the Status area has an emulated
Gmail outage open, sending answers 503 like Google does during one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from mailops.emulator.errors import ApiError, invalid, not_found
from mailops.emulator.gmail.mime import (
    b64url,
    decode_raw,
    payload_of,
    recipients_of,
    snippet_of,
)
from mailops.emulator.gmail.schema import OUTAGE_META_KEY
from mailops.emulator.store import Store

__all__ = ["GmailModel"]

Resource = dict[str, Any]
MAX_LIST = 500
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DISPOSITIONS = ("leaveInInbox", "archive", "trash", "markRead")


class GmailModel:
    """users.messages.*, users.getProfile and users.settings.* of the Gmail API."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    @property
    def db(self) -> Any:
        return self.store.connection()

    # -- mailboxes ------------------------------------------------------------------------

    def mailbox(self, user_id: str) -> str:
        """The primary address of the mailbox ``user_id`` names ("me", address, alias, id)."""
        key = user_id.strip().lower()
        if key == "me":
            row = self.db.execute(
                "SELECT primary_email, is_suspended FROM dir_users WHERE is_admin = 1 "
                "AND deleted = 0 ORDER BY rowid LIMIT 1"
            ).fetchone()
        else:
            row = self._user_row(key)
        if row is None:
            raise ApiError(
                400, "failedPrecondition", "Invalid user id specified in request/Delegation denied"
            )
        if row["is_suspended"]:
            raise ApiError(400, "failedPrecondition", "Mail service not enabled")
        return str(row["primary_email"])

    def _user_row(self, key: str) -> Any:
        if "@" not in key:
            return self.db.execute(
                "SELECT primary_email, is_suspended FROM dir_users WHERE id = ? AND deleted = 0",
                (key,),
            ).fetchone()
        row = self.db.execute(
            "SELECT primary_email, is_suspended FROM dir_users "
            "WHERE primary_email = ? AND deleted = 0",
            (key,),
        ).fetchone()
        if row is None:
            row = self.db.execute(
                "SELECT u.primary_email, u.is_suspended FROM dir_aliases a "
                "JOIN dir_users u ON u.id = a.owner_id "
                "WHERE a.alias = ? AND a.kind = 'user' AND u.deleted = 0",
                (key,),
            ).fetchone()
        return row

    def in_domain(self, address: str) -> bool:
        domain = address.rsplit("@", 1)[-1].lower()
        row = self.db.execute("SELECT 1 FROM dir_domains WHERE name = ?", (domain,)).fetchone()
        return row is not None

    def get_profile(self, user_id: str) -> Resource:
        owner = self.mailbox(user_id)
        total = self.db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT thread_id) FROM gm_messages WHERE owner = ?", (owner,)
        ).fetchone()
        return {
            "emailAddress": owner,
            "messagesTotal": int(total[0]),
            "threadsTotal": int(total[1]),
            "historyId": str(self.store.get_meta("counter:gmail") or "1"),
        }

    # -- messages -------------------------------------------------------------------------

    def messages_send(self, user_id: str, body: Resource) -> Resource:
        owner = self.mailbox(user_id)
        if self.store.get_meta(OUTAGE_META_KEY) == "1":
            raise ApiError(503, "backendError", "The service is currently unavailable.")
        data, message = decode_raw(body.get("raw"))
        recipients = recipients_of(message)
        if not recipients:
            raise ApiError(400, "invalidArgument", "Recipient address required")
        for address in recipients:
            if not _EMAIL_RE.match(address):
                raise ApiError(400, "invalidArgument", f"Invalid To header: {address}")
        now_ms = int(self.clock().astimezone(UTC).timestamp() * 1000)
        subject = str(message.get("Subject", ""))
        sender = str(message.get("From", owner))
        snippet = snippet_of(message)
        thread = str(body.get("threadId") or "")
        with self.store.write() as conn:
            sent_id = self._new_id()
            thread = thread or sent_id
            row = (subject, sender, ",".join(recipients), snippet, data)
            conn.execute(
                "INSERT INTO gm_messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (sent_id, owner, thread, json.dumps(["SENT"]), now_ms, *row),
            )
            delivered: set[str] = set()
            for address in recipients:
                found = self._user_row(address)
                if found is None or found["is_suspended"]:
                    continue
                box = str(found["primary_email"])
                if box in delivered:
                    continue
                delivered.add(box)
                labels = ["INBOX", "UNREAD"] if box != owner else ["INBOX", "SENT"]
                if box == owner:
                    conn.execute(
                        "UPDATE gm_messages SET labels = ? WHERE id = ?",
                        (json.dumps(labels), sent_id),
                    )
                    continue
                conn.execute(
                    "INSERT INTO gm_messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (self._new_id(), box, thread, json.dumps(labels), now_ms, *row),
                )
        labels_out = ["SENT"] if owner not in delivered else ["INBOX", "SENT"]
        return {"id": sent_id, "threadId": thread, "labelIds": labels_out}

    def _new_id(self) -> str:
        return f"{0x18C0000000000000 + self.store.next_counter('gmail') * 7919:x}"

    def messages_list(
        self,
        user_id: str,
        *,
        q: str | None = None,
        label_ids: list[str] | None = None,
        max_results: str | None = None,
        page_token: str | None = None,
        include_spam_trash: bool = False,
    ) -> Resource:
        owner = self.mailbox(user_id)
        limit = 100
        if max_results is not None:
            try:
                limit = int(max_results)
            except ValueError:
                raise invalid(f"Invalid value '{max_results}' for maxResults") from None
            limit = max(1, min(limit, MAX_LIST))
        offset = 0
        if page_token:
            if not page_token.isdigit():
                raise invalid("Invalid pageToken")
            offset = int(page_token)
        rows = self.db.execute(
            "SELECT id, thread_id, labels, subject, sender, recipients, snippet FROM gm_messages "
            "WHERE owner = ? ORDER BY internal_date DESC, rowid DESC",
            (owner,),
        ).fetchall()
        terms = _parse_query(q or "")
        found = []
        for r in rows:
            labels = json.loads(r["labels"])
            if not include_spam_trash and ("SPAM" in labels or "TRASH" in labels):
                continue
            if label_ids and not all(label in labels for label in label_ids):
                continue
            if all(_term_matches(t, r, labels) for t in terms):
                found.append({"id": r["id"], "threadId": r["thread_id"]})
        page = found[offset : offset + limit]
        out: Resource = {"resultSizeEstimate": len(found)}
        if page:
            out["messages"] = page
        if offset + limit < len(found):
            out["nextPageToken"] = str(offset + limit)
        return out

    def messages_get(self, user_id: str, message_id: str, fmt: str | None = None) -> Resource:
        owner = self.mailbox(user_id)
        row = self.db.execute(
            "SELECT * FROM gm_messages WHERE owner = ? AND id = ?", (owner, message_id)
        ).fetchone()
        if row is None:
            raise not_found("Requested entity was not found.")
        fmt = fmt or "full"
        if fmt not in ("full", "metadata", "minimal", "raw"):
            raise invalid(f"Invalid value '{fmt}' for format")
        raw = bytes(row["raw"])
        out: Resource = {
            "id": row["id"],
            "threadId": row["thread_id"],
            "labelIds": json.loads(row["labels"]),
            "snippet": row["snippet"],
            "historyId": str(row["internal_date"] // 1000),
            "internalDate": str(row["internal_date"]),
            "sizeEstimate": len(raw),
        }
        if fmt == "raw":
            out["raw"] = b64url(raw)
        elif fmt in ("full", "metadata"):
            _data, message = decode_raw(b64url(raw))
            payload = payload_of(message)
            if fmt == "metadata":
                payload = {"mimeType": payload["mimeType"], "headers": payload["headers"]}
            out["payload"] = payload
        return out

    # -- settings -------------------------------------------------------------------------

    def _setting(self, owner: str, kind: str, default: Resource) -> Resource:
        row = self.db.execute(
            "SELECT json FROM gm_settings WHERE owner = ? AND kind = ?", (owner, kind)
        ).fetchone()
        return dict(default) if row is None else dict(json.loads(row["json"]))

    def _put_setting(self, owner: str, kind: str, value: Resource) -> Resource:
        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO gm_settings VALUES (?, ?, ?) ON CONFLICT(owner, kind) "
                "DO UPDATE SET json = excluded.json",
                (owner, kind, json.dumps(value)),
            )
        return value

    def get_auto_forwarding(self, user_id: str) -> Resource:
        return self._setting(self.mailbox(user_id), "autoForwarding", {"enabled": False})

    def update_auto_forwarding(self, user_id: str, body: Resource) -> Resource:
        owner = self.mailbox(user_id)
        enabled = bool(body.get("enabled", False))
        value: Resource = {"enabled": enabled}
        if enabled:
            address = str(body.get("emailAddress") or "").lower()
            item = self._item(owner, "forwardingAddresses", address)
            if item is None or item.get("verificationStatus") != "accepted":
                raise ApiError(400, "failedPrecondition", "Unverified forwarding address")
            disposition = body.get("disposition", "leaveInInbox")
            if disposition not in _DISPOSITIONS:
                raise invalid(f"Invalid value '{disposition}' for disposition")
            value.update(emailAddress=address, disposition=disposition)
        return self._put_setting(owner, "autoForwarding", value)

    def get_vacation(self, user_id: str) -> Resource:
        return self._setting(self.mailbox(user_id), "vacation", {"enableAutoReply": False})

    def update_vacation(self, user_id: str, body: Resource) -> Resource:
        owner = self.mailbox(user_id)
        keys = (
            "enableAutoReply",
            "responseSubject",
            "responseBodyPlainText",
            "responseBodyHtml",
            "restrictToContacts",
            "restrictToDomain",
            "startTime",
            "endTime",
        )
        value = {k: body[k] for k in keys if k in body}
        value["enableAutoReply"] = bool(value.get("enableAutoReply", False))
        return self._put_setting(owner, "vacation", value)

    def _item(self, owner: str, kind: str, key: str) -> Resource | None:
        row = self.db.execute(
            "SELECT json FROM gm_items WHERE owner = ? AND kind = ? AND key = ?",
            (owner, kind, key.lower()),
        ).fetchone()
        return None if row is None else dict(json.loads(row["json"]))

    def _items(self, owner: str, kind: str) -> list[Resource]:
        rows = self.db.execute(
            "SELECT json FROM gm_items WHERE owner = ? AND kind = ? ORDER BY key", (owner, kind)
        ).fetchall()
        return [json.loads(r["json"]) for r in rows]

    def _put_item(self, owner: str, kind: str, key: str, value: Resource, *, new: bool) -> Resource:
        with self.store.write() as conn:
            exists = conn.execute(
                "SELECT 1 FROM gm_items WHERE owner = ? AND kind = ? AND key = ?",
                (owner, kind, key.lower()),
            ).fetchone()
            if new and exists:
                raise ApiError(409, "alreadyExists", f"{kind} already exists: {key}")
            conn.execute(
                "INSERT INTO gm_items VALUES (?, ?, ?, ?) ON CONFLICT(owner, kind, key) "
                "DO UPDATE SET json = excluded.json",
                (owner, kind, key.lower(), json.dumps(value)),
            )
        return value

    def _delete_item(self, owner: str, kind: str, key: str) -> None:
        with self.store.write() as conn:
            cur = conn.execute(
                "DELETE FROM gm_items WHERE owner = ? AND kind = ? AND key = ?",
                (owner, kind, key.lower()),
            )
            if cur.rowcount == 0:
                raise not_found("Requested entity was not found.")

    def _address(self, body: Resource, field: str) -> str:
        address = str(body.get(field) or "").strip().lower()
        if not _EMAIL_RE.match(address):
            raise invalid(f"Invalid {field}")
        return address

    # forwardingAddresses
    def forwarding_create(self, user_id: str, body: Resource) -> Resource:
        owner = self.mailbox(user_id)
        address = self._address(body, "forwardingEmail")
        status = "accepted" if self.in_domain(address) else "pending"
        item = {"forwardingEmail": address, "verificationStatus": status}
        return self._put_item(owner, "forwardingAddresses", address, item, new=True)

    def forwarding_get(self, user_id: str, address: str) -> Resource:
        item = self._item(self.mailbox(user_id), "forwardingAddresses", address)
        if item is None:
            raise not_found("Requested entity was not found.")
        return item

    def forwarding_list(self, user_id: str) -> Resource:
        return {"forwardingAddresses": self._items(self.mailbox(user_id), "forwardingAddresses")}

    def forwarding_delete(self, user_id: str, address: str) -> None:
        self._delete_item(self.mailbox(user_id), "forwardingAddresses", address)

    # sendAs
    def _primary_send_as(self, owner: str) -> Resource:
        return {
            "sendAsEmail": owner,
            "displayName": "",
            "replyToAddress": "",
            "signature": "",
            "isPrimary": True,
            "isDefault": True,
            "treatAsAlias": False,
            "verificationStatus": "accepted",
        }

    def send_as_list(self, user_id: str) -> Resource:
        owner = self.mailbox(user_id)
        stored = {i["sendAsEmail"]: i for i in self._items(owner, "sendAs")}
        primary = stored.pop(owner, self._primary_send_as(owner))
        return {"sendAs": [primary, *stored.values()]}

    def send_as_get(self, user_id: str, address: str) -> Resource:
        owner = self.mailbox(user_id)
        item = self._item(owner, "sendAs", address)
        if item is None and address.lower() == owner:
            return self._primary_send_as(owner)
        if item is None:
            raise not_found("Requested entity was not found.")
        return item

    def send_as_create(self, user_id: str, body: Resource) -> Resource:
        owner = self.mailbox(user_id)
        address = self._address(body, "sendAsEmail")
        found = self._user_row(address)
        mine = found is not None and str(found["primary_email"]) == owner
        status = "accepted" if mine else "pending"
        item = {
            "sendAsEmail": address,
            "displayName": str(body.get("displayName", "")),
            "replyToAddress": str(body.get("replyToAddress", "")),
            "signature": str(body.get("signature", "")),
            "isPrimary": False,
            "isDefault": False,
            "treatAsAlias": bool(body.get("treatAsAlias", True)),
            "verificationStatus": status,
        }
        return self._put_item(owner, "sendAs", address, item, new=True)

    def send_as_patch(self, user_id: str, address: str, body: Resource) -> Resource:
        owner = self.mailbox(user_id)
        item = self.send_as_get(owner, address)
        for key in ("displayName", "replyToAddress", "signature", "treatAsAlias", "isDefault"):
            if key in body:
                item[key] = body[key]
        return self._put_item(owner, "sendAs", address, item, new=False)

    def send_as_delete(self, user_id: str, address: str) -> None:
        owner = self.mailbox(user_id)
        if address.lower() == owner:
            raise ApiError(400, "invalidArgument", "Cannot delete primary send-as alias")
        self._delete_item(owner, "sendAs", address)

    # delegates
    def delegates_create(self, user_id: str, body: Resource) -> Resource:
        owner = self.mailbox(user_id)
        address = self._address(body, "delegateEmail")
        found = self._user_row(address)
        if found is None or found["is_suspended"]:
            raise ApiError(400, "invalidArgument", "Invalid delegate")
        if str(found["primary_email"]) == owner:
            raise ApiError(400, "invalidArgument", "Cannot delegate to self")
        item = {"delegateEmail": str(found["primary_email"]), "verificationStatus": "accepted"}
        return self._put_item(owner, "delegates", item["delegateEmail"], item, new=True)

    def delegates_get(self, user_id: str, address: str) -> Resource:
        item = self._item(self.mailbox(user_id), "delegates", address)
        if item is None:
            raise not_found("Requested entity was not found.")
        return item

    def delegates_list(self, user_id: str) -> Resource:
        return {"delegates": self._items(self.mailbox(user_id), "delegates")}

    def delegates_delete(self, user_id: str, address: str) -> None:
        self._delete_item(self.mailbox(user_id), "delegates", address)


def _parse_query(q: str) -> list[tuple[str, str]]:
    """Gmail search terms: ``subject:x``, ``from:x``, ``to:x``, ``in:inbox``, ``is:unread``,
    ``label:x`` and plain words (subject or snippet); quotes group words."""
    terms: list[tuple[str, str]] = []
    for m in re.finditer(r'(?:(\w+):)?(?:"([^"]*)"|(\S+))', q):
        op, quoted, word = m.group(1), m.group(2), m.group(3)
        value = (quoted if quoted is not None else word or "").lower()
        terms.append(((op or "").lower(), value))
    return terms


def _term_matches(term: tuple[str, str], row: Any, labels: list[str]) -> bool:
    op, value = term
    if op == "subject":
        return value in str(row["subject"]).lower()
    if op == "from":
        return value in str(row["sender"]).lower()
    if op == "to":
        return value in str(row["recipients"])
    if op in ("in", "label"):
        return value.upper() in labels
    if op == "is":
        return {"unread": "UNREAD" in labels, "read": "UNREAD" not in labels}.get(value, False)
    text = f"{row['subject']} {row['snippet']}".lower()
    return value in text
