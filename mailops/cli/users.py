"""``mailops users``: plan and apply the user creation form, everyday actions, lifecycle."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click

from mailops.cli.common import echo_json, fail, get_settings
from mailops.provisioning import (
    DependenciaMap,
    NamingRule,
    Plan,
    apply_plan,
    expiring_accounts,
    plan_add_alias,
    plan_add_to_group,
    plan_expired_suspension,
    plan_form,
    plan_move_ou,
    plan_offboarding,
    plan_remove_alias,
    plan_remove_from_group,
    plan_reset_password,
    plan_restore,
    plan_suspend,
    read_form,
)
from mailops.workspace import Workspace, connect

__all__ = ["users"]

_YES = click.option("--yes", "-y", is_flag=True, help="Aplicar sin preguntar.")
_JSON = click.option("--json", "as_json", is_flag=True, help="Salida JSON para scripts.")


@click.group("users")
def users() -> None:
    """Administración de usuarios de red y dominio (actividades 3, 5 y 11)."""


def _form_plan(ws: Workspace, form: Path, mapping: Path | None, rule: str | None) -> Plan:
    return plan_form(
        ws,
        read_form(form),
        mapping=DependenciaMap.load(mapping) if mapping else None,
        rule=NamingRule(rule) if rule else None,
    )


def _confirm_and_apply(ws: Workspace, plan: Plan, yes: bool, as_json: bool) -> None:
    if as_json and not yes:
        raise fail("con --json use también --yes: no se puede preguntar", 2)
    if not as_json:
        click.echo(plan.text())
    if not plan.has_changes:
        if as_json:
            echo_json({"plan": plan.to_json(), "resultado": None})
        return
    if not yes:
        if not sys.stdin.isatty():
            raise fail(
                "no hay una terminal para confirmar; revise el plan y use --yes para aplicarlo",
                2,
            )
        if not click.confirm(f"¿Aplicar {len(plan.steps)} cambios?", default=False):
            click.echo("No se aplicó ningún cambio.")
            return
    report = apply_plan(ws, plan, progress=not as_json)
    if as_json:
        echo_json({"plan": plan.to_json(), "resultado": report.to_json()})
    else:
        click.echo("")
        click.echo(report.text())
    if report.failures:
        raise fail(f"{len(report.failures)} cambios fallaron; revise el detalle arriba", 1)


_MAPPING = click.option(
    "--mapeo",
    "mapping",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="JSON de dependencias (por defecto, el de la demostración).",
)
_RULE = click.option("--regla", "rule", help="Regla de direcciones, p. ej. «{nombre}.{apellido}».")
_FORM = click.argument("form", metavar="FORMATO", type=click.Path(path_type=Path, dir_okay=False))


@users.command("plan")
@_FORM
@_MAPPING
@_RULE
@_JSON
def plan_cmd(form: Path, mapping: Path | None, rule: str | None, as_json: bool) -> None:
    """Muestra qué se crearía, actualizaría o dejaría igual a partir del FORMATO (no cambia nada)."""
    with connect(get_settings()) as ws:
        plan = _form_plan(ws, form, mapping, rule)
    if as_json:
        echo_json(plan.to_json())
    else:
        click.echo(plan.text())


@users.command("apply")
@_FORM
@_MAPPING
@_RULE
@_YES
@_JSON
def apply_cmd(form: Path, mapping: Path | None, rule: str | None, yes: bool, as_json: bool) -> None:
    """Aplica el FORMATO: muestra el plan, pide confirmación (o --yes) y lo ejecuta."""
    with connect(get_settings()) as ws:
        _confirm_and_apply(ws, _form_plan(ws, form, mapping, rule), yes, as_json)


def _action(name: str, help_text: str, build: Callable[[Workspace, tuple[str, ...]], Plan]) -> None:
    @users.command(name, help=help_text)
    @click.argument("cuentas", nargs=-1, required=True)
    @_YES
    @_JSON
    def command(cuentas: tuple[str, ...], yes: bool, as_json: bool) -> None:
        with connect(get_settings()) as ws:
            _confirm_and_apply(ws, build(ws, cuentas), yes, as_json)


_action(
    "suspend", "Suspende las CUENTAS (se conserva el buzón).", lambda ws, c: plan_suspend(ws, c)
)
_action("restore", "Reactiva las CUENTAS suspendidas.", lambda ws, c: plan_restore(ws, c))
_action(
    "reset-password",
    "Restablece la contraseña de las CUENTAS (archivo sellado; cambio obligatorio).",
    lambda ws, c: plan_reset_password(ws, c),
)
_action(
    "offboard",
    "Retiro: suspende, quita de todos los grupos y conserva el buzón de las CUENTAS.",
    lambda ws, c: plan_offboarding(ws, c),
)


@users.command("alias")
@click.argument("cuenta")
@click.argument("alias", nargs=-1, required=True)
@click.option("--quitar", is_flag=True, help="Quitar los alias en vez de agregarlos.")
@_YES
@_JSON
def alias_cmd(cuenta: str, alias: tuple[str, ...], quitar: bool, yes: bool, as_json: bool) -> None:
    """Agrega (o con --quitar, quita) ALIAS a la CUENTA."""
    with connect(get_settings()) as ws:
        build = plan_remove_alias if quitar else plan_add_alias
        _confirm_and_apply(ws, build(ws, cuenta, alias), yes, as_json)


@users.command("move")
@click.argument("cuentas", nargs=-1, required=True)
@click.option(
    "--unidad", required=True, help="Unidad organizativa destino, p. ej. «/Oficina Jurídica»."
)
@_YES
@_JSON
def move_cmd(cuentas: tuple[str, ...], unidad: str, yes: bool, as_json: bool) -> None:
    """Mueve las CUENTAS a otra unidad organizativa."""
    with connect(get_settings()) as ws:
        _confirm_and_apply(ws, plan_move_ou(ws, cuentas, unidad), yes, as_json)


@users.command("group")
@click.argument("grupo")
@click.argument("cuentas", nargs=-1, required=True)
@click.option("--quitar", is_flag=True, help="Retirar del grupo en vez de agregar.")
@_YES
@_JSON
def group_cmd(grupo: str, cuentas: tuple[str, ...], quitar: bool, yes: bool, as_json: bool) -> None:
    """Agrega (o con --quitar, retira) las CUENTAS al GRUPO."""
    with connect(get_settings()) as ws:
        build = plan_remove_from_group if quitar else plan_add_to_group
        _confirm_and_apply(ws, build(ws, cuentas, grupo), yes, as_json)


def _today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"fecha inválida «{value}»; use AAAA-MM-DD", 2) from None


@users.command("expired")
@click.option("--fecha", help="Fecha de corte AAAA-MM-DD (por defecto, hoy).")
@_YES
@_JSON
def expired_cmd(fecha: str | None, yes: bool, as_json: bool) -> None:
    """Suspende, en un solo paso revisado, las cuentas cuya vinculación ya terminó."""
    with connect(get_settings()) as ws:
        plan = plan_expired_suspension(ws, _today(fecha))
        if plan is None:
            if as_json:
                echo_json({"plan": None, "resultado": None})
            else:
                click.echo("No hay cuentas activas con la vinculación vencida.")
            return
        _confirm_and_apply(ws, plan, yes, as_json)


@users.command("expiring")
@click.option("--dias", default=30, show_default=True, type=click.IntRange(0, 3650))
@click.option("--fecha", help="Fecha de referencia AAAA-MM-DD (por defecto, hoy).")
@_JSON
def expiring_cmd(dias: int, fecha: str | None, as_json: bool) -> None:
    """Informe de cuentas que vencen en los próximos DIAS días."""
    today = _today(fecha)
    with connect(get_settings()) as ws:
        soon = expiring_accounts(ws, today, dias)
    if as_json:
        echo_json(
            [
                {
                    "correo": e.address,
                    "nombre": e.name,
                    "fecha_fin": e.end.isoformat(),
                    "dias_restantes": e.days_left,
                    "dependencia": e.department,
                }
                for e in soon
            ]
        )
        return
    click.echo(f"{len(soon)} cuentas vencen entre el {today:%d/%m/%Y} y {dias} días después.")
    for e in soon:
        click.echo(
            f"- {e.end:%d/%m/%Y} ({e.days_left} días): {e.address} — {e.name}, {e.department}"
        )
