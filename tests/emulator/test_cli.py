from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from mailops.cli import cli
from mailops.emulator import EmulatorServer
from tests.emulator.conftest import directory_client

USER = {
    "primaryEmail": "temporal@cajica.example",
    "name": {"givenName": "Temporal", "familyName": "Prueba Uno"},
    "password": "Cl4ve-Segura-2026",
}


def test_emulator_reset_reseeds_a_state_file(tmp_path: Path) -> None:
    state = tmp_path / "estado.sqlite3"
    with EmulatorServer(state) as emu, directory_client(emu.base_url) as directory:
        directory.users().insert(body=USER).execute()
    result = CliRunner().invoke(cli, ["emulator", "reset", "--state", str(state)])
    assert result.exit_code == 0, result.output
    assert "Estado del emulador restaurado" in result.output
    with EmulatorServer(state) as emu, directory_client(emu.base_url) as directory:
        page = directory.users().list(customer="my_customer", query="email:temporal*").execute()
    assert "users" not in page


def test_serve_refuses_a_bad_error_rate_in_spanish(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["emulator", "serve", "--state", str(tmp_path / "s.sqlite3"), "--error-rate", "2"]
    )
    assert result.exit_code != 0
    assert "error_rate" in str(result.exception)


def test_serve_prints_its_url_first_and_says_goodbye_on_ctrl_c(tmp_path: Path) -> None:
    state = tmp_path / "estado" / "emulador.sqlite3"
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
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=20)
    rest = proc.stdout.read()
    proc.stdout.close()
    assert proc.stderr is not None
    errors = proc.stderr.read()
    proc.stderr.close()
    assert re.fullmatch(
        r"Emulador de Google Workspace escuchando en http://127\.0\.0\.1:\d+/\n", first
    )
    assert f"Archivo de estado: {state}" in rest
    assert "Ctrl+C" in rest
    assert rest.rstrip().endswith("Emulador detenido. ¡Hasta pronto!")
    assert proc.returncode == 0, errors
    assert state.exists()
