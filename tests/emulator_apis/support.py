"""Shared by the tests of the Reports, Gmail and Status areas and of their library modules:
an emulator on a settable clock, plain google-api-python-client services pointed at it, and
its control routes."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httplib2
from googleapiclient.discovery import build_from_document

from mailops.emulator import EmulatorServer
from mailops.settings import Settings
from mailops.workspace import Workspace, connect
from mailops.workspace.services import discovery_document

# 15:00 UTC = 07:00 in Google's reporting zone (PST): "today" for reports is 2026-11-20.
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)
LAST_USER_DAY = TODAY - timedelta(days=2)  # latest date user reports answer
COMPLETE_USER_DAY = TODAY - timedelta(days=4)  # latest date with complete user data
ADMIN = "admin@cajica.example"


@dataclass
class Clock:
    """A clock the test moves by hand."""

    now: datetime = field(default=NOW)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now = self.now + timedelta(**delta)


@contextmanager
def running_emulator(folder: Path, clock: Clock) -> Iterator[EmulatorServer]:
    with EmulatorServer(folder / "emu.sqlite3", seed="demo", clock=clock) as server:
        yield server


@contextmanager
def client(base_url: str, api: str) -> Iterator[Any]:
    """The plain client's service for ``api`` ("reports", "gmail", "directory")."""
    doc = discovery_document(api)
    doc["rootUrl"] = base_url
    doc["mtlsRootUrl"] = base_url
    http = httplib2.Http()
    try:
        yield build_from_document(doc, http=http)
    finally:
        http.close()


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def post_json(url: str, body: Any) -> tuple[int, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def set_gmail_outage(base_url: str, on: bool) -> Any:
    status, body = post_json(base_url + "_emulator/status", {"gmail_outage": on})
    assert status == 200, body
    return body


def settings_for(server: EmulatorServer, folder: Path, **changes: Any) -> Settings:
    return Settings(
        emulator_url=server.base_url, state_dir=folder, archive_root=folder / "archive"
    ).with_overrides(**changes)


@contextmanager
def workspace(server: EmulatorServer, folder: Path, **changes: Any) -> Iterator[Workspace]:
    with connect(settings_for(server, folder, **changes), backoff_base=0.01) as ws:
        yield ws


def params_of(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A usage report's parameters by name."""
    return {p["name"]: p for p in report["parameters"]}
