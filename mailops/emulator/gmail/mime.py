"""RFC 2822 messages as Gmail serves them: parsing ``raw`` and building ``payload``."""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import re
from email.message import EmailMessage
from email.utils import getaddresses
from typing import Any

from mailops.emulator.errors import ApiError, invalid

__all__ = ["b64url", "decode_raw", "payload_of", "recipients_of", "snippet_of"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def decode_raw(raw: object) -> tuple[bytes, EmailMessage]:
    """The bytes and parsed message of a base64url ``raw`` field; 400 when unreadable."""
    if not isinstance(raw, str) or not raw:
        raise ApiError(
            400,
            "invalidArgument",
            "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
        )
    try:
        data = base64.urlsafe_b64decode(raw.encode() + b"=" * (-len(raw) % 4))
    except (binascii.Error, ValueError):
        raise invalid("Invalid value for ByteString: raw") from None
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return data, message


def recipients_of(message: EmailMessage) -> list[str]:
    fields = [str(v) for k in ("To", "Cc", "Bcc") for v in message.get_all(k, [])]
    return [addr.lower() for _name, addr in getaddresses(fields) if addr]


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    text = content if isinstance(content, str) else ""
    if part.get_content_subtype() == "html":
        text = re.sub(r"<[^>]+>", " ", text)
    return text


def snippet_of(message: EmailMessage) -> str:
    return " ".join(_text_of(message).split())[:200]


def payload_of(message: EmailMessage, part_id: str = "") -> dict[str, Any]:
    """Gmail's ``MessagePart`` for ``message`` (headers, body, nested parts)."""
    headers = [{"name": k, "value": str(v)} for k, v in message.items()]
    out: dict[str, Any] = {
        "partId": part_id,
        "mimeType": message.get_content_type(),
        "filename": message.get_filename() or "",
        "headers": headers,
    }
    if message.is_multipart():
        out["body"] = {"size": 0}
        out["parts"] = [
            payload_of(sub, f"{part_id}.{i}" if part_id else str(i))  # type: ignore[arg-type]
            for i, sub in enumerate(message.iter_parts())
        ]
    else:
        data = message.get_payload(decode=True)
        body = data if isinstance(data, bytes) else b""
        out["body"] = {"size": len(body), "data": b64url(body)}
    return out
