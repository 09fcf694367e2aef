"""``mailops demo``: the procedure on the embedded emulator, from a fresh machine."""

from __future__ import annotations

import os

import click

from mailops.cli.common import get_settings
from mailops.emulator import EmulatorServer
from mailops.overview import domain_overview
from mailops.workspace import connect

__all__ = ["demo"]


@click.command("demo")
def demo() -> None:
    """Demostración: emulador embebido con el dominio de la Alcaldía (ficticio) y el procedimiento."""
    settings = get_settings()
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    click.echo(
        "mailops — demostración sobre el emulador local de Google Workspace (sin conexión a Google)"
    )
    with EmulatorServer(settings.emulator_state_file, seed="demo") as server:
        demo_settings = settings.with_overrides(backend="emulator", emulator_url=server.base_url)
        # notebooks run in their own kernels: they reach this emulator through the environment
        os.environ["MAILOPS_BACKEND"] = "emulator"
        os.environ["MAILOPS_EMULATOR_URL"] = server.base_url
        click.echo(f"Emulador en {server.base_url} (estado: {settings.emulator_state_file})\n")
        with connect(demo_settings) as ws:
            click.echo(domain_overview(ws).as_text())
