"""Fixtures: the emulator in-process and as a ``mailops emulator serve`` subprocess, and the
plain google-api-python-client pointed at it (not mailops.workspace: this area tests the
emulator itself)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import googleapiclient
import googleapiclient.discovery
import httplib2
import pytest

from mailops.emulator import EmulatorServer

_DOC = json.loads(
    Path(googleapiclient.__file__)
    .parent.joinpath("discovery_cache/documents/admin.directory_v1.json")
    .read_text()
)

DEFAULT_FAULTS = {
    "quota_per_minute": 2400,
    "error_rate": 0.0,
    "latency_ms": 0,
    "outage": False,
    "creation_delay_ms": 0,
    "fail_next": 0,
}


@contextmanager
def directory_client(base_url: str) -> Iterator[Any]:
    """The Directory service of the plain client, connections closed afterwards."""
    doc = dict(_DOC)
    doc["rootUrl"] = base_url
    doc["mtlsRootUrl"] = base_url
    http = httplib2.Http()
    try:
        yield googleapiclient.discovery.build_from_document(doc, http=http)
    finally:
        http.close()


def control(base_url: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """Call a /_emulator/ route; (status, JSON)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        base_url + "_emulator/" + path,
        data=data,
        method="GET" if body is None else "POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def error_of(exc: Any) -> dict[str, Any]:
    """The ``error`` object of an HttpError's JSON body."""
    err: dict[str, Any] = json.loads(exc.content)["error"]
    return err


def reason_of(exc: Any) -> str:
    return str(error_of(exc)["errors"][0]["reason"])


@dataclass
class Emulator:
    """A running emulator as the tests see it: its URL and its state file."""

    kind: str
    base_url: str
    state: Path

    def faults(self, **changes: Any) -> dict[str, Any]:
        status, body = control(self.base_url, "faults", changes)
        assert status == 200, body
        return dict(body)

    def reset(self) -> None:
        status, _ = control(self.base_url, "reset", {})
        assert status == 200
        self.faults(**DEFAULT_FAULTS)


@pytest.fixture(scope="session")
def inprocess_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    state = tmp_path_factory.mktemp("inprocess") / "state.sqlite3"
    with EmulatorServer(state) as emu:
        yield Emulator("inprocess", emu.base_url, state)


@pytest.fixture(scope="session")
def subprocess_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    state = tmp_path_factory.mktemp("subprocess") / "state.sqlite3"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mailops",
            "emulator",
            "serve",
            "--port",
            "0",
            "--state",
            str(state),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    prefix = "Emulador de Google Workspace escuchando en "
    assert line.startswith(prefix), line + (proc.stderr.read() if proc.stderr else "")
    try:
        yield Emulator("subprocess", line[len(prefix) :], state)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()
        if proc.stderr is not None:
            proc.stderr.close()


@pytest.fixture(params=["inprocess", "subprocess"])
def emulator(request: pytest.FixtureRequest) -> Emulator:
    """Each test that uses it runs against both kinds of server, reset to the demo seed."""
    emu: Emulator = request.getfixturevalue(f"{request.param}_emulator")
    emu.reset()
    return emu


@pytest.fixture
def directory(emulator: Emulator) -> Iterator[Any]:
    with directory_client(emulator.base_url) as svc:
        yield svc
