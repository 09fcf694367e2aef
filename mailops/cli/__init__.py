"""The ``mailops`` command. Thin: it parses arguments, calls the library and speaks Spanish.

Each command group lives in its own module of this package and is loaded only when used, so
that ``mailops --help`` stays fast and one broken area does not break the others.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import click

from mailops.cli import spanish
from mailops.cli.common import run_guarded

__all__ = ["main"]

# command name -> "module:attribute" (modules under mailops.cli)
COMMANDS: dict[str, str] = {
    "demo": "mailops.cli.demo:demo",
    "emulator": "mailops.cli.emulator:emulator",
    "directory": "mailops.cli.directory:directory",
    "procedure": "mailops.cli.procedure:procedure",
    "run": "mailops.cli.records:run",
    "archive": "mailops.cli.records:archive",
    "users": "mailops.cli.users:users",
    "service": "mailops.cli.service:service",
    "report": "mailops.cli.report:report",
    "settings": "mailops.cli.common:settings_cmd",
}


def _available(target: str) -> bool:
    return importlib.util.find_spec(target.split(":")[0]) is not None


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, target in COMMANDS.items() if _available(target))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None or not _available(target):
            return None
        module_name, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    package_name="mailops", message="mailops %(version)s", help="Muestra la versión y termina."
)
def cli() -> None:
    """mailops: administración del correo electrónico institucional (Google Workspace).

    Procedimiento de Administración de Correo Electrónico de la Dirección TICS-CTEI.
    """


def main(argv: list[str] | None = None) -> Any:
    """Entry point of the console script."""
    spanish.install()
    return run_guarded(cli, argv)
