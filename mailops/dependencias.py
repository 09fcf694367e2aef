"""The municipality's dependencias, and where each one's people go: org unit and group.

One data file, ``mailops/data/dependencias.json``, describes the demo municipality: the
emulator seeds its domain from it and user provisioning maps form rows with it by default. An
office passes its own file with the same shape (``{"dependencias": [{"nombre", "codigo", "org_unit_path",
"group_email", "group_name"}]}``). Names match ignoring case and accents; codes match too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mailops.errors import InputError
from mailops.folding import fold

__all__ = ["DEFAULT_MAPPING", "Dependencia", "DependenciaMap"]

DEFAULT_MAPPING = Path(__file__).resolve().parent / "data" / "dependencias.json"


@dataclass(frozen=True)
class Dependencia:
    nombre: str
    codigo: str
    org_unit_path: str
    group_email: str
    group_name: str = ""


@dataclass(frozen=True)
class DependenciaMap:
    """The office's dependencias, looked up by name or code."""

    dependencias: tuple[Dependencia, ...]

    @classmethod
    def load(cls, path: str | Path | None = None) -> DependenciaMap:
        p = Path(path) if path is not None else DEFAULT_MAPPING
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(
                f"no se pudo leer el mapeo de dependencias: {exc.strerror}", where=str(p)
            ) from exc
        except json.JSONDecodeError as exc:
            raise InputError(
                f"el mapeo de dependencias no es JSON válido (línea {exc.lineno})", where=str(p)
            ) from exc
        items = data.get("dependencias") if isinstance(data, dict) else None
        if not isinstance(items, list) or not items:
            raise InputError("el mapeo debe tener una lista «dependencias» no vacía", where=str(p))
        out: list[Dependencia] = []
        for i, item in enumerate(items, start=1):
            where = f"{p.name}, dependencia {i}"
            if not isinstance(item, dict):
                raise InputError("cada dependencia debe ser un objeto", where=where)
            missing = [
                k for k in ("nombre", "codigo", "org_unit_path", "group_email") if not item.get(k)
            ]
            if missing:
                raise InputError(f"faltan los campos {', '.join(missing)}", where=where)
            if not str(item["org_unit_path"]).startswith("/"):
                raise InputError("org_unit_path debe empezar por «/»", where=where)
            out.append(
                Dependencia(
                    nombre=str(item["nombre"]),
                    codigo=str(item["codigo"]),
                    org_unit_path=str(item["org_unit_path"]),
                    group_email=str(item["group_email"]).lower(),
                    group_name=str(item.get("group_name", "")),
                )
            )
        return cls(tuple(out))

    def find(self, text: str) -> Dependencia | None:
        wanted = fold(text)
        if not wanted:
            return None
        for d in self.dependencias:
            if wanted in (fold(d.nombre), fold(d.codigo)):
                return d
        return None

    def by_group(self, email: str) -> Dependencia | None:
        return next((d for d in self.dependencias if d.group_email == email.lower()), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(d.nombre for d in self.dependencias)
