from __future__ import annotations

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
