"""What parameters a notebook takes, and checking the ones a run passes before any kernel starts.

The ``parameters`` cell of a notebook holds literals with annotations and trailing help comments
(``solicitud: str = "..."  # qué se solicita``); papermill's inspection reads it. A run may only
pass declared parameters, of the declared type, and never a secret: secrets reach the kernel
through the environment or the credentials file, not through parameters (papermill copies every
parameter into the notebook).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mailops.errors import InputError

__all__ = [
    "NotebookParameter",
    "coerce_parameter",
    "inspect_parameters",
    "looks_secret",
    "validate_parameters",
]

_SECRET_WORDS = ("password", "passwd", "contrasena", "contraseña", "token", "secret", "apikey")
_SECRET_PARTS = {"key", "clave", "pwd", "pass", "pin", "credential", "credentials", "credencial"}
_SECRET_PARTS |= {"credenciales", "secreto", "privatekey"}


# a name that starts by saying it is a place (the sealed credentials *file*) holds a path
_PLACES = {"archivo", "ruta", "carpeta", "path", "file"}


def looks_secret(name: str) -> bool:
    """True when a name (parameter, variable, key) looks like it holds a secret."""
    lowered = name.lower()
    if re.split(r"[^a-zñ0-9]+", lowered)[0] in _PLACES:
        return False
    # «secretaría» / «secretario» (the municipality's offices) contain "secret" but hold none
    compact = re.sub(r"secretar[ií]", "", lowered.replace("_", "").replace("-", ""))
    if any(word in compact for word in _SECRET_WORDS):
        return True
    return any(part in _SECRET_PARTS for part in re.split(r"[^a-zñ0-9]+", lowered))


@dataclass(frozen=True)
class NotebookParameter:
    """One entry of a notebook's ``parameters`` cell."""

    name: str
    type_name: str  # the annotation as written ("str", "bool", "list[str]"), "" when none
    default_source: str  # the default as source text (papermill does not evaluate it)
    help: str
    secret: bool  # the name looks secret or the help comment says «secreto»

    @property
    def type_label(self) -> str:
        return self.type_name or "cualquiera"


def inspect_parameters(notebook: Path) -> dict[str, NotebookParameter]:
    """The parameters a notebook declares, read with papermill's inspection."""
    import papermill

    if not notebook.is_file():
        raise InputError("no existe el cuaderno", where=str(notebook))
    try:
        raw = papermill.inspect_notebook(str(notebook))
    except Exception as exc:  # papermill raises bare exceptions on unreadable notebooks
        raise InputError(
            f"no se pudieron leer los parámetros del cuaderno: {exc}", where=str(notebook)
        ) from exc
    out: dict[str, NotebookParameter] = {}
    for name, info in raw.items():
        type_name = str(info.get("inferred_type_name") or "")
        if type_name == "None":  # papermill's marker for "no annotation"
            type_name = ""
        help_text = str(info.get("help") or "").strip()
        secret = looks_secret(name) or bool(re.search(r"\bsecret[oa]?\b", help_text.lower()))
        out[name] = NotebookParameter(
            name=name,
            type_name=type_name.replace(" ", ""),
            default_source=str(info.get("default") or ""),
            help=help_text,
            secret=secret,
        )
    return out


def _split_union(type_name: str) -> list[str]:
    text = type_name
    match = re.fullmatch(r"(?:typing\.)?Optional\[(.+)\]", text)
    if match:
        text = f"{match.group(1)}|None"
    return [part for part in text.split("|") if part]


def _matches(value: Any, type_name: str) -> bool:
    if not type_name:
        return _is_literal(value)
    for option in _split_union(type_name):
        base, _, inner = option.partition("[")
        inner = inner.rstrip("]")
        if base == "None" and value is None:
            return True
        if base == "str" and isinstance(value, str):
            return True
        if base == "bool" and isinstance(value, bool):
            return True
        if base == "int" and isinstance(value, int) and not isinstance(value, bool):
            return True
        if (
            base == "float"
            and isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
        ):
            return True
        if base in ("list", "List", "tuple") and isinstance(value, list | tuple):
            item = inner.split(",")[0] if inner else ""
            if all(_matches(v, item) for v in value):
                return True
        if base in ("dict", "Dict") and isinstance(value, Mapping) and _is_literal(value):
            return True
        if base in ("Any", "object") and _is_literal(value):
            return True
    return False


def _is_literal(value: Any) -> bool:
    if value is None or isinstance(value, str | bool | int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list | tuple):
        return all(_is_literal(v) for v in value)
    if isinstance(value, Mapping):
        return all(isinstance(k, str) and _is_literal(v) for k, v in value.items())
    return False


def validate_parameters(
    declared: Mapping[str, NotebookParameter], parameters: Mapping[str, Any], *, notebook: str
) -> None:
    """Refuse unknown, ill-typed or secret parameters, naming each one, before execution.

    Raises ``InputError`` whose ``where`` is the notebook and whose message lists every problem.
    """
    problems: list[str] = []
    for name, value in parameters.items():
        param = declared.get(name)
        if looks_secret(name) or (param is not None and param.secret):
            problems.append(
                f"«{name}» parece un secreto: los secretos no se pasan como parámetros "
                "(quedarían en el registro); use las variables de entorno o el archivo de "
                "credenciales"
            )
        elif param is None:
            known = ", ".join(sorted(declared)) or "(ninguno)"
            problems.append(f"«{name}» no es un parámetro del cuaderno (acepta: {known})")
        elif not _matches(value, param.type_name):
            problems.append(
                f"«{name}» debe ser de tipo {param.type_label}, no {type(value).__name__} "
                f"({value!r})"
            )
    if problems:
        raise InputError("parámetros rechazados: " + "; ".join(problems), where=notebook)


_TRUE = {"true", "1", "sí", "si", "s", "yes", "y", "verdadero"}
_FALSE = {"false", "0", "no", "n", "falso"}


def coerce_parameter(param: NotebookParameter | None, text: str) -> Any:
    """Turn a value typed on the command line into the declared type (for ``-p name value``).

    Unknown parameters and unannotated ones are sniffed like papermill does (True/False/None,
    numbers, else text); validation happens later and names the culprit.
    """
    options = _split_union(param.type_name) if param and param.type_name else []
    bases = [o.partition("[")[0] for o in options]
    stripped = text.strip()
    if "None" in bases and stripped in ("None", ""):
        return None
    if "bool" in bases:
        if stripped.lower() in _TRUE:
            return True
        if stripped.lower() in _FALSE:
            return False
    if "int" in bases and re.fullmatch(r"[+-]?\d+", stripped):
        return int(stripped)
    if "float" in bases:
        try:
            return float(stripped)
        except ValueError:
            pass
    if any(b in ("list", "List", "tuple", "dict", "Dict") for b in bases):
        try:
            return yaml.safe_load(stripped)
        except yaml.YAMLError:
            return text
    if "str" in bases:
        return text
    if stripped in ("True", "False"):
        return stripped == "True"
    if stripped == "None":
        return None
    for kind in (int, float):
        try:
            return kind(stripped)
        except ValueError:
            continue
    return text
