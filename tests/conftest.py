"""Shared fixtures: an in-process emulator seeded with the demo domain, and a connected Workspace."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailops.emulator import EmulatorServer, Faults
from mailops.records.runner import settings_env
from mailops.settings import Settings
from mailops.workspace import Workspace, connect

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def settings_for(server: EmulatorServer, tmp: Path, **overrides: object) -> Settings:
    """Settings that point the library at ``server``, with state and archive under ``tmp``."""
    base = Settings(
        emulator_url=server.base_url,
        state_dir=tmp / "estado",
        archive_root=tmp / "reports" / "archive",
    )
    return base.with_overrides(**overrides) if overrides else base


def point_kernels_at(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    """Notebook kernels started by this test see ``settings`` (as the records runner does)."""
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)


def execute_notebook(notebook: Path, out: Path, **parameters: Any) -> Any:
    """Run ``notebook`` head-less with papermill into ``out`` (cwd = notebooks/); its node."""
    import nbformat
    import papermill

    papermill.execute_notebook(
        str(notebook),
        str(out),
        parameters=parameters,
        cwd=str(NOTEBOOKS),
        kernel_name="python3",
        progress_bar=False,
    )
    return nbformat.read(out, as_version=4)  # type: ignore[no-untyped-call]


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
