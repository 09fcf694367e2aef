"""The batch endpoint: ``multipart/mixed`` in and out, as ``BatchHttpRequest`` speaks it.

Inner requests arrive with ``\\n`` line ends (the client's email Generator); both ``\\n`` and
``\\r\\n`` are accepted. Each answer part carries ``Content-ID: <response-{id}>`` and an
``HTTP/1.1 ...\\r\\n`` status, headers, CRLF CRLF and the JSON body.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping
from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

from mailops.emulator.errors import bad_request
from mailops.emulator.routing import Request, Response, Router

__all__ = ["MAX_PARTS", "handle_batch", "register"]

MAX_PARTS = 1000
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


def _split_head(blob: bytes) -> tuple[bytes, bytes]:
    """Headers and rest at the first blank line (CRLF or LF style)."""
    candidates = [(blob.find(sep), sep) for sep in (b"\r\n\r\n", b"\n\n")]
    found = [(i, sep) for i, sep in candidates if i >= 0]
    if not found:
        return blob, b""
    i, sep = min(found)
    return blob[:i], blob[i + len(sep) :]


def _headers(block: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in block.decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip().lower()] = value.strip()
    return out


def parse_batch(content_type: str, body: bytes) -> list[tuple[str | None, Request]]:
    """(Content-ID, inner request) of each part; 400 on a malformed or oversized batch."""
    m = _BOUNDARY.search(content_type or "")
    if not content_type.lower().startswith("multipart/mixed") or m is None:
        raise bad_request("Batch requests must be multipart/mixed with a boundary.")
    delimiter = b"--" + m.group(1).encode()
    chunks = body.split(delimiter)[1:]
    parts: list[tuple[str | None, Request]] = []
    for chunk in chunks:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.lstrip(b"\r\n")
        if chunk.endswith(b"\r\n"):
            chunk = chunk[:-2]
        elif chunk.endswith(b"\n"):
            chunk = chunk[:-1]
        outer, inner = _split_head(chunk)
        outer_headers = _headers(outer)
        head, payload = _split_head(inner)
        lines = head.decode("utf-8", "replace").splitlines()
        if not lines or len(lines[0].split(" ")) < 2:
            raise bad_request("Malformed batch part: missing request line.")
        method, target = lines[0].split(" ")[:2]
        try:
            url = urlsplit(target)
        except ValueError:
            raise bad_request(f"Malformed batch part: invalid request target {target!r}.") from None
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        headers = _headers("\n".join(lines[1:]).encode())
        parts.append(
            (outer_headers.get("content-id"), Request(method, url.path, query, headers, payload))
        )
        if len(parts) > MAX_PARTS:
            raise bad_request(f"Too many requests in batch: the limit is {MAX_PARTS}.")
    if not parts:
        raise bad_request("Empty batch request.")
    return parts


def _part(content_id: str | None, index: int, response: Response) -> bytes:
    cid = (content_id or f"<{index}>").strip()
    if cid.startswith("<") and cid.endswith(">"):
        cid = cid[1:-1]
    payload = response.payload()
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = "Unknown"
    lines = [f"HTTP/1.1 {response.status} {phrase}"]
    if payload:
        lines.append("Content-Type: application/json; charset=UTF-8")
    lines += [f"{k}: {v}" for k, v in response.headers.items()]
    lines.append(f"Content-Length: {len(payload)}")
    head = (
        "Content-Type: application/http\r\n"
        f"Content-ID: <response-{cid}>\r\n\r\n" + "\r\n".join(lines) + "\r\n\r\n"
    )
    return head.encode() + payload


def handle_batch(req: Request, dispatch_part: Callable[[Request], Response]) -> Response:
    """Dispatch every part and answer one multipart/mixed response."""
    content_type = next((v for k, v in req.headers.items() if k.lower() == "content-type"), "")
    parts = parse_batch(content_type, req.body)
    boundary = "batch_" + secrets.token_hex(12)
    out: list[bytes] = []
    for index, (content_id, inner) in enumerate(parts, start=1):
        merged: dict[str, str] = dict(inner.headers)
        if "authorization" not in {k.lower() for k in merged}:
            auth = next((v for k, v in req.headers.items() if k.lower() == "authorization"), None)
            if auth:
                merged["authorization"] = auth
        inner = Request(inner.method, inner.path, inner.query, merged, inner.body)
        out.append(
            b"--"
            + boundary.encode()
            + b"\r\n"
            + _part(content_id, index, dispatch_part(inner))
            + b"\r\n"
        )
    out.append(b"--" + boundary.encode() + b"--\r\n")
    return Response(200, b"".join(out), {"Content-Type": f"multipart/mixed; boundary={boundary}"})


def register(router: Router, dispatch_part: Callable[[Request], Response]) -> None:
    """The batch endpoint and its legacy path."""

    def handler(req: Request, groups: Mapping[str, str]) -> Response:
        return handle_batch(req, dispatch_part)

    router.add("POST", r"/batch", handler, name="batch")
    router.add("POST", r"/batch/admin/directory_v1", handler, name="batch")
