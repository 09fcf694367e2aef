"""What a plan is made of: steps (one API change each), items (one per person), the plan.

A ``Plan`` is a value: planning never changes anything, and applying executes its steps.
It shows itself as a DataFrame (``frame()``), as Spanish text (``text()``) and as JSON
(``to_json()``: each row with its number, proposed address, action and, for invalid rows,
the errors).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import pandas as pd

from mailops.provisioning.validation import RowError

__all__ = ["ACTION_LABELS", "Action", "Plan", "PlanItem", "Step", "StepKind"]

Action = Literal["create", "update", "none", "invalid"]
StepKind = Literal[
    "create",
    "move_ou",
    "add_group",
    "remove_group",
    "add_alias",
    "remove_alias",
    "suspend",
    "restore",
    "reset_password",
]

ACTION_LABELS: dict[str, str] = {
    "create": "crear",
    "update": "actualizar",
    "none": "sin cambios",
    "invalid": "inválida",
}


@dataclass(frozen=True)
class Step:
    """One change to one account. ``key`` identifies it in the journal across runs.

    ``body`` (create only) is the user resource without password: the password hash is added
    at apply time, after the credential is on file.
    """

    kind: StepKind
    user: str
    target: str = ""
    document_id: str = ""
    body: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> str:
        who = self.document_id or self.user
        return f"{who}|{self.kind}|{self.target}"

    def describe(self) -> str:
        """The step in Spanish, for plans and reports."""
        t = self.target
        return {
            "create": f"crear la cuenta {self.user} en {t}",
            "move_ou": f"mover a la unidad {t}",
            "add_group": f"agregar al grupo {t}",
            "remove_group": f"retirar del grupo {t}",
            "add_alias": f"agregar el alias {t}",
            "remove_alias": f"quitar el alias {t}",
            "suspend": "suspender la cuenta (se conserva el buzón)",
            "restore": "reactivar la cuenta",
            "reset_password": "restablecer la contraseña (cambio obligatorio al ingresar)",
        }[self.kind]


@dataclass(frozen=True)
class PlanItem:
    """What the plan proposes for one person (one form row, or one account)."""

    row: int | None
    document_id: str
    name: str
    address: str
    action: Action
    steps: tuple[Step, ...] = ()
    reasons: tuple[str, ...] = ()
    errors: tuple[RowError, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "fila": self.row,
            "documento": self.document_id,
            "nombre": self.name,
            "correo": self.address,
            "accion": self.action,
            "cambios": [s.describe() for s in self.steps],
            "motivos": list(self.reasons),
        }
        if self.errors:
            data["errores"] = [
                {"fila": e.row, "columna": e.column, "mensaje": e.message} for e in self.errors
            ]
        return data


@dataclass(frozen=True)
class Plan:
    """Proposed changes. ``batch_id`` names its journal and its credentials file."""

    batch_id: str
    title: str
    domain: str
    items: tuple[PlanItem, ...]
    created_at: datetime
    source: str = ""

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(s for item in self.items for s in item.steps)

    @property
    def counts(self) -> dict[str, int]:
        c: Counter[str] = Counter(item.action for item in self.items)
        return {a: c.get(a, 0) for a in ACTION_LABELS}

    @property
    def invalid(self) -> tuple[PlanItem, ...]:
        return tuple(i for i in self.items if i.action == "invalid")

    @property
    def has_changes(self) -> bool:
        return bool(self.steps)

    def frame(self) -> pd.DataFrame:
        """One row per person, Spanish column names."""
        return pd.DataFrame(
            [
                {
                    "fila": item.row,
                    "documento": item.document_id,
                    "nombre": item.name,
                    "correo": item.address,
                    "accion": ACTION_LABELS[item.action],
                    "cambios": "; ".join(s.describe() for s in item.steps),
                    "motivo": "; ".join(item.reasons),
                    "errores": "; ".join(str(e) for e in item.errors),
                }
                for item in self.items
            ],
            columns=[
                "fila",
                "documento",
                "nombre",
                "correo",
                "accion",
                "cambios",
                "motivo",
                "errores",
            ],
        )

    def text(self) -> str:
        """The plan as Spanish text."""
        c = self.counts
        lines = [
            f"Plan «{self.title}» (lote {self.batch_id}), dominio {self.domain}",
            f"{len(self.items)} personas: {c['create']} por crear, {c['update']} por "
            f"actualizar, {c['none']} sin cambios, {c['invalid']} con errores; "
            f"{len(self.steps)} cambios en total.",
            "",
        ]
        for item in self.items:
            where = f"Fila {item.row}: " if item.row is not None else ""
            who = item.name or item.address
            head = f"{where}{who}"
            if item.address and item.address != who:
                head += f" <{item.address}>"
            lines.append(f"- {head} — {ACTION_LABELS[item.action]}")
            lines.extend(f"    · {s.describe()}" for s in item.steps)
            lines.extend(f"    motivo: {r}" for r in item.reasons)
            lines.extend(f"    error: {e}" for e in item.errors)
        if not self.steps:
            lines.append("")
            lines.append("No hay nada que cambiar.")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "lote": self.batch_id,
            "titulo": self.title,
            "dominio": self.domain,
            "origen": self.source,
            "creado": self.created_at.isoformat(timespec="seconds"),
            "resumen": {ACTION_LABELS[k]: v for k, v in self.counts.items()},
            "filas": [item.to_json() for item in self.items],
        }
