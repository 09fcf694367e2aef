"""``mailops demo``: the procedure on the embedded emulator, from a fresh machine."""

from __future__ import annotations

import os

import click

from mailops.cli.common import fail, get_settings
from mailops.demo import walk
from mailops.emulator import EmulatorServer
from mailops.overview import domain_overview
from mailops.records.runner import default_notebooks_dir
from mailops.workspace import connect

__all__ = ["demo"]


@click.command("demo")
def demo() -> None:
    """Demostración: el procedimiento sobre el emulador con el dominio (ficticio) de la Alcaldía."""
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
        click.echo(
            "\nUna solicitud recorre el procedimiento; cada cuaderno se ejecuta en lote y queda archivado:"
        )
        failed = False
        for n, step in enumerate(
            walk(demo_settings, default_notebooks_dir(demo_settings)), start=1
        ):
            mark = "✓" if step.ok else "✗"
            click.echo(f"  {mark} {n}. {step.title}\n       {step.detail}")
            failed = failed or not step.ok
        click.echo(f"\nArchivo magnético: {settings.archive_root}")
        click.echo(
            "Consulte: mailops archive list · mailops archive verify · mailops procedure show"
        )
        if failed:
            raise fail(
                "La demostración encontró un paso fallido (vea el registro indicado arriba)."
            )
