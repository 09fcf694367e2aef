"""Hostile input over raw sockets: every answer is an HTTP response with Google's error JSON
(or a multipart with per-part errors), and the server keeps serving afterwards."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from mailops.emulator import EmulatorServer

USERS = "/admin/directory/v1/users"


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with EmulatorServer(seed="empty") as emu:
        yield emu.port


def _exchange(port: int, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes; (status, headers, body) of the one answer. Fails on a dropped
    connection or a silent server."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = sock.recv(65536)
            assert chunk, f"connection dropped without an answer (got {received!r})"
            received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        match = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
        assert match, lines[0]
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])
        }
        length = int(headers["content-length"])
        while len(body) < length:
            chunk = sock.recv(65536)
            assert chunk, "connection dropped in the middle of the body"
            body += chunk
    return int(match.group(1)), headers, body


def _request(
    port: int,
    method: str,
    path: str,
    body: bytes = b"",
    *,
    content_type: str = "application/json",
    length: str | None = None,
) -> bytes:
    return (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body) if length is None else length}\r\nConnection: close\r\n\r\n"
    ).encode() + body


def _google_error(status: int, headers: dict[str, str], body: bytes, code: int) -> dict[str, Any]:
    assert status == code, body
    assert headers["content-type"].startswith("application/json"), headers
    error: dict[str, Any] = json.loads(body)["error"]
    assert error["code"] == code
    assert set(error) == {"code", "message", "errors", "status"}
    assert {"message", "domain", "reason"} <= set(error["errors"][0])
    return error


def _still_serving(port: int) -> None:
    status, _, body = _exchange(port, _request(port, "GET", "/_emulator/health"))
    assert status == 200, body


@pytest.mark.parametrize("length", ["-5", "abc", "1e3"])
def test_a_malformed_content_length_is_a_google_400(port: int, length: str) -> None:
    answer = _exchange(port, _request(port, "POST", USERS, b"{}", length=length))
    _google_error(*answer, 400)
    _still_serving(port)


def test_a_huge_content_length_is_a_google_413(port: int) -> None:
    answer = _exchange(port, _request(port, "POST", "/batch", length="99999999999"))
    error = _google_error(*answer, 413)
    assert error["errors"][0]["reason"] == "uploadTooLarge"
    _still_serving(port)


def test_a_chunked_body_is_refused_with_a_google_411(port: int) -> None:
    data = (
        f"POST {USERS} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        "Connection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
    ).encode()
    _google_error(*_exchange(port, data), 411)
    _still_serving(port)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"BASURA\r\n\r\n", 400),
        (b"GET / HTTP/9.9\r\n\r\n", 505),
        (b"BREW /cafe HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        (b"GET / HTTP/1.1\r\nX: " + b"a" * 70000 + b"\r\n\r\n", 431),
    ],
)
def test_a_malformed_request_is_answered_in_google_json(port: int, data: bytes, code: int) -> None:
    _google_error(*_exchange(port, data), code)
    _still_serving(port)


@pytest.mark.parametrize(
    "body", [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000]
)
def test_a_deeply_nested_json_body_is_a_google_400(port: int, body: bytes) -> None:
    _google_error(*_exchange(port, _request(port, "POST", USERS, body)), 400)
    _still_serving(port)


def test_a_deeply_nested_fields_selector_is_a_google_400(port: int) -> None:
    fields = "a(" * 5000 + "b" + ")" * 5000
    path = f"{USERS}?customer=my_customer&fields={fields}"
    _google_error(*_exchange(port, _request(port, "GET", path)), 400)
    _still_serving(port)


def _batch(*parts: str) -> bytes:
    return ("".join(f"--b\r\n{p}\r\n" for p in parts) + "--b--").encode()


def test_a_batch_part_with_an_unparsable_target_is_a_google_400(port: int) -> None:
    body = _batch(
        "Content-Type: application/http\r\nContent-ID: <1>\r\n\r\nGET http://[x/a HTTP/1.1\r\n"
    )
    answer = _exchange(
        port, _request(port, "POST", "/batch", body, content_type="multipart/mixed; boundary=b")
    )
    _google_error(*answer, 400)
    _still_serving(port)


def test_a_deeply_nested_json_in_a_batch_part_is_a_per_part_400(port: int) -> None:
    inner = f"POST {USERS} HTTP/1.1\r\nContent-Type: application/json\r\n\r\n" + "[" * 100_000
    body = _batch(f"Content-Type: application/http\r\nContent-ID: <1>\r\n\r\n{inner}")
    status, headers, payload = _exchange(
        port, _request(port, "POST", "/batch", body, content_type="multipart/mixed; boundary=b")
    )
    assert status == 200, payload
    assert headers["content-type"].startswith("multipart/mixed")
    assert b"Content-ID: <response-1>" in payload
    assert b"HTTP/1.1 400 Bad Request" in payload
    _still_serving(port)


def test_a_body_that_never_arrives_is_a_google_408_and_frees_the_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mailops.emulator import server as server_module

    monkeypatch.setattr(server_module._Handler, "body_timeout", 0.5)
    with EmulatorServer(seed="empty") as emu:
        data = _request(emu.port, "POST", USERS, b"{}", length="100")  # 2 of 100 bytes
        _google_error(*_exchange(emu.port, data), 408)
        _still_serving(emu.port)


def test_a_body_cut_short_by_the_client_is_not_served(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        # a complete-looking body, but shorter than announced: the request was cut
        sock.sendall(
            _request(port, "POST", "/_emulator/faults", b'{"latency_ms": 0}', length="100")
        )
        sock.shutdown(socket.SHUT_WR)
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 400"), answer
    _still_serving(port)


def test_a_keep_alive_connection_idle_past_the_body_timeout_still_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    from mailops.emulator import server as server_module
    from tests.emulator.conftest import directory_client

    monkeypatch.setattr(server_module._Handler, "body_timeout", 0.3)
    with EmulatorServer(seed="empty") as emu, directory_client(emu.base_url) as directory:
        directory.users().list(customer="my_customer").execute()
        time.sleep(1)  # idle longer than the body timeout: the connection stays open
        body = {
            "primaryEmail": "inactiva@cajica.example",
            "name": {"givenName": "Ana", "familyName": "Ruiz"},
            "password": "Clave-de-prueba-123",
        }
        directory.users().insert(body=body).execute()
        listed = directory.users().list(customer="my_customer").execute().get("users", [])
        assert [u["primaryEmail"] for u in listed].count("inactiva@cajica.example") == 1


@pytest.mark.parametrize(
    "cid", ["<1>\rX-Inyectada: si", "<1>\x0bX-Inyectada: si", "<1\u2028X-Inyectada: si>"]
)
def test_a_content_id_cannot_inject_a_header_into_the_answer(port: int, cid: str) -> None:
    part = f"Content-Type: application/http\r\nContent-ID: {cid}\r\n\r\nGET {USERS}/nadie@x.example HTTP/1.1\r\n"
    status, _, payload = _exchange(
        port,
        _request(port, "POST", "/batch", _batch(part), content_type="multipart/mixed; boundary=b"),
    )
    assert status == 200
    heads = [line for line in payload.split(b"\r\n") if line.lower().startswith(b"x-inyectada")]
    assert heads == []
    _still_serving(port)
