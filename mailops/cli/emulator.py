"""``mailops emulator``: run the local Google Workspace emulator, or reseed its state file."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from types import FrameType

import click

from mailops.cli.common import get_settings
from mailops.emulator import EmulatorServer, Faults

__all__ = ["emulator"]


@click.group("emulator")
def emulator() -> None:
    """Emulador local de Google Workspace (Admin SDK Directory API)."""


def _state_file(state: Path | None) -> Path:
    path = state if state is not None else get_settings().emulator_state_file
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@emulator.command("serve")
@click.option("--port", type=int, default=8765, show_default=True, help="Puerto (0 = uno libre).")
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Archivo SQLite del estado (por defecto el de la configuración).",
)
@click.option(
    "--seed",
    type=click.Choice(["demo", "empty"]),
    default="demo",
    show_default=True,
    help="Datos iniciales si el archivo de estado es nuevo.",
)
@click.option(
    "--quota-per-minute",
    type=int,
    default=2400,
    show_default=True,
    help="Solicitudes por minuto y por llamador (0 = sin límite).",
)
@click.option(
    "--error-rate",
    type=float,
    default=0.0,
    show_default=True,
    help="Fracción de solicitudes que fallan con un error transitorio (0.0 a 1.0).",
)
@click.option(
    "--latency-ms",
    type=int,
    default=0,
    show_default=True,
    help="Demora añadida a cada solicitud HTTP, en milisegundos.",
)
@click.option(
    "--creation-delay-ms",
    type=int,
    default=0,
    show_default=True,
    help="Tiempo tras crear un usuario durante el cual no se puede modificar.",
)
def serve_cmd(
    port: int,
    state: Path | None,
    seed: str,
    quota_per_minute: int,
    error_rate: float,
    latency_ms: int,
    creation_delay_ms: int,
) -> None:
    """Inicia el emulador y lo deja en marcha hasta Ctrl+C."""
    path = _state_file(state)
    faults = Faults(
        quota_per_minute=quota_per_minute or None,
        error_rate=error_rate,
        latency_ms=latency_ms,
        creation_delay_ms=creation_delay_ms,
    )
    server = EmulatorServer(
        path, seed="empty" if seed == "empty" else "demo", port=port, faults=faults
    )
    server.start()
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        click.echo(f"Emulador de Google Workspace escuchando en {server.base_url}")
        click.echo(f"Archivo de estado: {path}")
        click.echo("Presione Ctrl+C para detenerlo.")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    click.echo("Emulador detenido. ¡Hasta pronto!")


@emulator.command("reset")
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Archivo SQLite del estado (por defecto el de la configuración).",
)
@click.option("--seed", type=click.Choice(["demo", "empty"]), default="demo", show_default=True)
def reset_cmd(state: Path | None, seed: str) -> None:
    """Vuelve a sembrar el archivo de estado con los datos iniciales."""
    path = _state_file(state)
    # a new file rather than emptying tables: this also repairs a file from an older version
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    server = EmulatorServer(path, seed="empty" if seed == "empty" else "demo")
    try:
        server.start()
    finally:
        server.stop()
    click.echo(f"Estado del emulador restaurado ({seed}) en {path}")
