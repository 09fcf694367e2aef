"""Shared fixtures: an in-process emulator seeded with the demo domain, and a connected Workspace."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mailops.emulator import EmulatorServer, Faults
from mailops.settings import Settings
from mailops.workspace import Workspace, connect


def settings_for(server: EmulatorServer, tmp: Path, **overrides: object) -> Settings:
    """Settings that point the library at ``server``, with state and archive under ``tmp``."""
    base = Settings(
        emulator_url=server.base_url,
        state_dir=tmp / "estado",
        archive_root=tmp / "reports" / "archive",
    )
    return base.with_overrides(**overrides) if overrides else base


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorServer]:
    """A fresh demo domain for one test (no quota, no faults)."""
    with EmulatorServer(
        tmp_path / "emulador.sqlite3", seed="demo", faults=Faults(quota_per_minute=None)
    ) as server:
        yield server


@pytest.fixture
def workspace(emulator: EmulatorServer, tmp_path: Path) -> Iterator[Workspace]:
    """A Workspace on the per-test emulator, with short retry waits."""
    with connect(
        settings_for(emulator, tmp_path, quota_per_minute=1_000_000), backoff_base=0.01
    ) as ws:
        yield ws


@pytest.fixture(scope="module")
def shared_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    """One demo domain for a whole module of read-only tests."""
    path = tmp_path_factory.mktemp("emu") / "emulador.sqlite3"
    with EmulatorServer(path, seed="demo", faults=Faults(quota_per_minute=None)) as server:
        yield server


@pytest.fixture(scope="module")
def shared_workspace(
    shared_emulator: EmulatorServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workspace]:
    tmp = tmp_path_factory.mktemp("ws")
    with connect(
        settings_for(shared_emulator, tmp, quota_per_minute=1_000_000), backoff_base=0.01
    ) as ws:
        yield ws
