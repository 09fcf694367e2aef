"""``mailops service verify|status`` as an operator runs them (a subprocess against a running
emulator)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailops.emulator import EmulatorServer
from tests.emulator_apis.support import Clock, running_emulator, set_gmail_outage


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmulatorServer]:
    with running_emulator(tmp_path, Clock()) as emu:
        yield emu


def mailops(server: EmulatorServer, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "MAILOPS_EMULATOR_URL": server.base_url,
        "MAILOPS_STATE_DIR": str(folder / "estado"),
        "MAILOPS_ARCHIVE_ROOT": str(folder / "reports" / "archive"),
    }
    env.pop("MAILOPS_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "mailops", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        timeout=120,
    )


def test_verify_json_reports_a_healthy_mail_service(server: EmulatorServer, tmp_path: Path) -> None:
    out = mailops(server, tmp_path, "service", "verify", "--json", "--espera", "5")
    data = json.loads(out.stdout)
    assert out.returncode == 0, out.stderr
    assert data["correo_activo"] is True
    assert data["servicio_ok"] is None  # no contract recorded in the settings
    assert [c["nombre"] for c in data["verificaciones"]] == [
        "contrato",
        "panel_estado",
        "admin_sdk",
        "prueba_correo",
    ]


def test_verify_during_a_gmail_outage_says_no_and_exits_1(
    server: EmulatorServer, tmp_path: Path
) -> None:
    set_gmail_outage(server.base_url, True)
    out = mailops(server, tmp_path, "service", "verify", "--sin-prueba-correo")
    assert out.returncode == 1
    assert "¿Servicio de correo electrónico activo? (actividad 7): No" in out.stdout
    assert "Google informa:" in out.stdout


def test_status_json_tells_since_when_gmail_is_affected(
    server: EmulatorServer, tmp_path: Path
) -> None:
    set_gmail_outage(server.base_url, True)
    out = mailops(server, tmp_path, "service", "status", "--json")
    data = json.loads(out.stdout)
    assert out.returncode == 0, out.stderr
    assert data["afectado"] is True
    assert data["desde"] == "2026-11-20T15:00:00+00:00"
    assert data["incidentes_abiertos"][0]["impacto"] == "SERVICE_OUTAGE"


def test_status_text_of_a_healthy_service(server: EmulatorServer, tmp_path: Path) -> None:
    out = mailops(server, tmp_path, "service", "status")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Sin incidentes abiertos de Gmail")
