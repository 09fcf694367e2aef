from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mailops.emulator import EmulatorServer


def run_cli(
    args: list[str], env_extra: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, **env_extra}
    return subprocess.run(
        [sys.executable, "-m", "mailops", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def test_directory_summary_json_reads_the_running_emulator(
    shared_emulator: EmulatorServer, tmp_path: Path
) -> None:
    out = run_cli(
        ["directory", "summary", "--json"],
        {"MAILOPS_EMULATOR_URL": shared_emulator.base_url},
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["organizacion"] == "Alcaldía Municipal de Cajicá"
    assert data["usuarios"] >= 290


def test_directory_users_with_a_query(shared_emulator: EmulatorServer, tmp_path: Path) -> None:
    out = run_cli(
        ["directory", "users", "-q", "isSuspended=true"],
        {"MAILOPS_EMULATOR_URL": shared_emulator.base_url},
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert "usuarios." in out.stdout


def test_a_bad_setting_is_a_spanish_error_with_exit_code_1(tmp_path: Path) -> None:
    out = run_cli(["directory", "summary"], {"MAILOPS_BATCH_SIZE": "cero"}, tmp_path)
    assert out.returncode == 1
    assert "Configuración inválida «batch_size»: debe ser un número entero" in out.stderr
    assert "Traceback" not in out.stderr


def test_an_unreachable_emulator_is_a_clear_error(tmp_path: Path) -> None:
    out = run_cli(
        ["directory", "summary"],
        {"MAILOPS_EMULATOR_URL": "http://127.0.0.1:9/", "MAILOPS_MAX_TRIES": "2"},
        tmp_path,
    )
    assert out.returncode == 1
    assert "Servicio no disponible" in out.stderr
    assert "Traceback" not in out.stderr


def test_click_s_own_messages_are_spanish(tmp_path: Path) -> None:
    out = run_cli(["directory", "--opcion-que-no-existe"], {}, tmp_path)
    assert out.returncode == 2
    assert "No existe la opción '--opcion-que-no-existe'" in out.stderr
    assert "Pruebe «mailops directory --help» para ver la ayuda." in out.stderr
    helped = run_cli(["--help"], {}, tmp_path)
    assert "Muestra esta ayuda y termina." in helped.stdout and "Comandos:" in helped.stdout
