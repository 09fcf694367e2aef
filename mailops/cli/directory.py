"""``mailops directory``: look at the domain (users, groups, org units) from the terminal."""

from __future__ import annotations

import click

from mailops.cli.common import echo_json, get_settings
from mailops.overview import domain_overview
from mailops.workspace import connect

__all__ = ["directory"]


@click.group("directory")
def directory() -> None:
    """Consulta el directorio de Google Workspace (usuarios, grupos, unidades organizativas)."""


@directory.command("summary")
@click.option("--json", "as_json", is_flag=True, help="Salida JSON para scripts.")
def summary(as_json: bool) -> None:
    """Resumen del dominio: usuarios por dependencia, grupos y unidades organizativas."""
    with connect(get_settings()) as ws:
        overview = domain_overview(ws)
    if as_json:
        echo_json(overview.as_dict())
    else:
        click.echo(overview.as_text())


@directory.command("users")
@click.option("--query", "-q", default=None, help='Consulta de Google, p. ej. "isSuspended=true".')
@click.option("--json", "as_json", is_flag=True, help="Salida JSON para scripts.")
def users(query: str | None, as_json: bool) -> None:
    """Lista los usuarios (todas las páginas), opcionalmente filtrados."""
    with connect(get_settings()) as ws:
        frame = ws.directory.users_frame(query)
    if as_json:
        echo_json(frame.to_dict(orient="records"))
        return
    if frame.empty:
        click.echo("No hay usuarios que coincidan.")
        return
    cols = ["correo", "nombres", "apellidos", "dependencia", "suspendido"]
    click.echo(frame[cols].to_string(index=False))
    click.echo(f"\n{len(frame)} usuarios.")
