"""``mailops users``: plan as text and JSON, apply with --yes, refusal without a terminal."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from mailops.cli import cli
from mailops.settings import Settings
from mailops.workspace import Workspace
from tests.provisioning.conftest import person, write_csv


def run(settings: Settings, *args: str) -> Result:
    env = {
        "MAILOPS_EMULATOR_URL": settings.emulator_url or "",
        "MAILOPS_STATE_DIR": str(settings.state_dir),
        "MAILOPS_ARCHIVE_ROOT": str(settings.archive_root),
        "MAILOPS_CONFIG": "",
    }
    return CliRunner().invoke(cli, ["users", *args], env=env, catch_exceptions=False)


def form(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "f.csv", [person(), person(documento="80234567", fecha_inicio="30/02/2026")]
    )


def test_plan_json_lists_each_row_with_address_action_and_errors(
    settings: Settings, tmp_path: Path
) -> None:
    result = run(settings, "plan", str(form(tmp_path)), "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["filas"]
    assert [(r["fila"], r["correo"], r["accion"]) for r in rows] == [
        (2, "maria.munoz@cajica.example", "create"),
        (3, "", "invalid"),
    ]
    assert rows[1]["errores"] == [
        {
            "fila": 3,
            "columna": "Fecha de inicio",
            "mensaje": "«30/02/2026» no es una fecha válida (use DD/MM/AAAA)",
        }
    ]


def test_plan_text_is_spanish(settings: Settings, tmp_path: Path) -> None:
    result = run(settings, "plan", str(form(tmp_path)))
    assert "1 por crear, 0 por actualizar, 0 sin cambios, 1 con errores" in result.output


def test_apply_without_yes_and_without_a_terminal_refuses(
    settings: Settings, tmp_path: Path, ws: Workspace
) -> None:
    result = run(settings, "apply", str(form(tmp_path)))
    assert result.exit_code != 0
    assert "no hay una terminal para confirmar" in result.output
    assert ws.directory.users_find("maria.munoz@cajica.example") is None


def test_apply_with_yes_creates_and_says_where_the_credentials_are(
    settings: Settings, tmp_path: Path, ws: Workspace
) -> None:
    result = run(settings, "apply", str(form(tmp_path)), "--yes")
    assert result.exit_code == 0, result.output
    assert "Contraseñas iniciales: 1 en el archivo sellado" in result.output
    assert ws.directory.users_find("maria.munoz@cajica.example") is not None
    again = run(settings, "apply", str(form(tmp_path)), "--yes")
    assert "No hay nada que cambiar." in again.output


def test_a_missing_form_is_a_spanish_error(settings: Settings, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["users", "plan", str(tmp_path / "no.xlsx")],
        env={
            "MAILOPS_EMULATOR_URL": settings.emulator_url or "",
            "MAILOPS_STATE_DIR": str(tmp_path),
        },
    )
    assert result.exit_code != 0
    assert "no existe el archivo del formato" in str(result.exception or result.output)


def test_suspend_and_expiring_commands(settings: Settings, ws: Workspace) -> None:
    user = next(u for u in ws.directory.users_list("isSuspended=false") if not u.is_admin)
    result = run(settings, "suspend", user.primary_email, "--yes", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["resultado"]["aplicados"] == 1
    assert ws.directory.users_get(user.primary_email).suspended
    listing = run(settings, "expiring", "--dias", "3650", "--fecha", "2020-01-01", "--json")
    assert listing.exit_code == 0 and json.loads(listing.output)


def test_every_action_command_plans_and_applies(settings: Settings, ws: Workspace) -> None:
    user = next(
        u
        for u in ws.directory.users_list("isSuspended=false")
        if not u.is_admin and u.org_unit_path != "/Oficina Jurídica"
    )
    email = user.primary_email
    commands = [
        ["alias", email, "ventanilla.unica"],
        ["alias", email, "ventanilla.unica", "--quitar"],
        ["group", "tics", email],
        ["group", "tics", email, "--quitar"],
        ["move", email, "--unidad", "/Oficina Jurídica"],
        ["reset-password", email],
        ["offboard", email],
        ["restore", email],
    ]
    for command in commands:
        result = run(settings, *command, "--yes", "--json")
        assert result.exit_code == 0, (command, result.output)
        assert json.loads(result.output)["resultado"]["fallidos"] == []
    after = ws.directory.users_get(email)
    assert after.org_unit_path == "/Oficina Jurídica" and not after.suspended
    assert ws.directory.groups_list(user_key=email) == []


def test_expired_command_suspends_lapsed_contracts_in_one_step(
    settings: Settings, ws: Workspace
) -> None:
    result = run(settings, "expired", "--fecha", "2100-01-01", "--yes", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["resultado"]["aplicados"] == len(data["plan"]["filas"]) > 0
    again = run(settings, "expired", "--fecha", "2100-01-01")
    assert "No hay cuentas activas con la vinculación vencida." in again.output
