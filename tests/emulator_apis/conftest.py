"""Fixtures: an emulator on a fixed clock and the plain client's Reports and Gmail services."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailops.emulator import EmulatorServer
from tests.emulator_apis.support import Clock, client, running_emulator


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server(tmp_path: Path, clock: Clock) -> Iterator[EmulatorServer]:
    with running_emulator(tmp_path, clock) as emu:
        yield emu


@pytest.fixture
def reports(server: EmulatorServer) -> Iterator[Any]:
    with client(server.base_url, "reports") as svc:
        yield svc


@pytest.fixture
def gmail(server: EmulatorServer) -> Iterator[Any]:
    with client(server.base_url, "gmail") as svc:
        yield svc


@pytest.fixture
def directory(server: EmulatorServer) -> Iterator[Any]:
    with client(server.base_url, "directory") as svc:
        yield svc
