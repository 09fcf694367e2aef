"""click's own messages ("Usage:", "No such option", ...) in Spanish.

click looks its messages up through ``gettext`` at run time; mailops has no message catalogue
of its own, so the few dozen strings click can show are translated here and installed into
click's modules when the CLI starts. Anything not listed stays in click's English.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

__all__ = ["install"]

MESSAGES: dict[str, str] = {
    "%(prog)s, version %(version)s": "%(prog)s, versión %(version)s",
    "Aborted!": "¡Cancelado!",
    "Commands": "Comandos",
    "Options": "Opciones",
    "Usage:": "Uso:",
    "Positional arguments": "Argumentos",
    "Show this message and exit.": "Muestra esta ayuda y termina.",
    "Show the version and exit.": "Muestra la versión y termina.",
    "Confirm the action without prompting.": "Confirma la acción sin preguntar.",
    "Do you want to continue?": "¿Desea continuar?",
    "Error: {message}": "Error: {message}",
    "Error: invalid input": "Error: entrada inválida",
    "Error: The two entered values do not match.": "Error: los dos valores no coinciden.",
    "Invalid value for {param_hint}: {message}": "Valor inválido para {param_hint}: {message}",
    "Invalid value: {message}": "Valor inválido: {message}",
    "Missing argument": "Falta el argumento",
    "Missing command.": "Falta el comando.",
    "Missing option": "Falta la opción",
    "Missing parameter": "Falta el parámetro",
    "Missing parameter: {param_name}": "Falta el parámetro: {param_name}",
    "Missing {param_type}": "Falta {param_type}",
    "No such command {name!r}.": "No existe el comando {name!r}.",
    "No such option {name!r}.": "No existe la opción {name!r}.",
    "Option {name!r} does not take a value.": "La opción {name!r} no recibe valor.",
    "Try '{command} {option}' for help.": "Pruebe «{command} {option}» para ver la ayuda.",
    "Could not open file {filename!r}: {message}": "No se pudo abrir el archivo {filename!r}: {message}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} no existe.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} es una carpeta.",
    "{name} {filename!r} is a file.": "{name} {filename!r} es un archivo.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} no se puede leer.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} no se puede escribir.",
    "{value!r} is not a valid {number_type}.": "{value!r} no es un {number_type} válido.",
    "{value} is not in the range {range}.": "{value} no está en el rango {range}.",
    "default: {default}": "por defecto: {default}",
    "env var: {var}": "variable de entorno: {var}",
    "file": "archivo",
    "directory": "carpeta",
    "path": "ruta",
    "integer": "entero",
    "float": "número",
    "Got unexpected extra argument ({args})": "Argumento adicional inesperado ({args})",
    "Got unexpected extra arguments ({args})": "Argumentos adicionales inesperados ({args})",
    "Option {name!r} requires an argument.": "La opción {name!r} requiere un valor.",
    "Option {name!r} requires {nargs} arguments.": "La opción {name!r} requiere {nargs} valores.",
    "{value!r} is not one of {choices}.": "{value!r} no es uno de {choices}.",
    "{value!r} is not {choice}.": "{value!r} no es {choice}.",
    "Did you mean {possibility}?": "¿Quiso decir {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(¿Quiso decir uno de: {possibilities}?)",
    "{value!r} does not match the format {format}.": "{value!r} no tiene el formato {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} no tiene ninguno de los formatos {formats}.",
}

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui")


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


_METAVARS = {"[OPTIONS]": "[OPCIONES]", "COMMAND [ARGS]...": "COMANDO [ARGUMENTOS]..."}
_ORIGINAL_USAGE: dict[type[click.Command], Any] = {
    cls: cls.collect_usage_pieces for cls in (click.Command, click.Group)
}


def _spanish_usage(cls: type[click.Command]) -> Any:
    original = _ORIGINAL_USAGE[cls]

    def pieces(self: Any, ctx: click.Context) -> list[str]:
        return [_METAVARS.get(piece, piece) for piece in original(self, ctx)]

    return pieces


def install() -> None:
    """Make click speak Spanish (idempotent)."""
    for cls in _ORIGINAL_USAGE:
        cls.collect_usage_pieces = _spanish_usage(cls)  # type: ignore[method-assign]
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
