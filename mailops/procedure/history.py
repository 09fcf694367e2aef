"""The record of a run: who, what was asked, and the append-only entries, with their JSON form.

These are facts, so they are frozen; :mod:`mailops.procedure.run` owns the rules that decide which
entries may be appended. Evidence is checked here: it must be JSON-safe and never carry a secret.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mailops.errors import InputError, MailopsError
from mailops.procedure.definition import Activity

__all__ = [
    "RUN_SCHEMA",
    "DecisionRecord",
    "EntryKind",
    "EvidenceRecord",
    "LoopLimitExceeded",
    "Operator",
    "RunEntry",
    "RunRecordError",
    "RunRequest",
    "StepRecord",
    "TransitionNotAllowed",
    "checked_data",
    "checked_links",
    "decision_dict",
    "entry_dict",
    "entry_from_dict",
    "filled",
    "operator_dict",
    "operator_from_dict",
    "read_json",
    "request_dict",
    "request_from_dict",
    "step_dict",
    "write_json",
]

RUN_SCHEMA = "mailops.procedure_run/1"
# Keys that would put a secret into the record; evidence carrying them is refused.
_SECRET_KEY_FRAGMENTS = (
    "password",
    "passwd",
    "contrasena",
    "contraseña",
    "secret",
    "token",
    "private_key",
    "api_key",
)

EntryKind = Literal["start", "enter", "evidence", "complete", "decision", "correction"]
_ENTRY_KINDS: tuple[str, ...] = ("start", "enter", "evidence", "complete", "decision", "correction")


class TransitionNotAllowed(MailopsError):
    """The flow does not allow this move from the current activity."""


class LoopLimitExceeded(TransitionNotAllowed):
    """A loop of the flow (10 → 7, 12 → 9) was taken more times than the run allows."""


class RunRecordError(InputError):
    """A saved run cannot be read: not JSON, another procedure version, or a broken history."""


@dataclass(frozen=True)
class Operator:
    """Who does an activity: a person and the procedure role they act in."""

    name: str
    role: str

    def __post_init__(self) -> None:
        if not filled(self.name) or not filled(self.role):
            raise InputError(
                "el operador necesita nombre y rol (p. ej. «Profesional Universitario»)",
                where="operador",
            )


@dataclass(frozen=True)
class RunRequest:
    """What started the run: what is asked, who asked, and an optional reference (radicado)."""

    what: str
    requested_by: str
    reference: str | None = None

    def __post_init__(self) -> None:
        if not filled(self.what) or not filled(self.requested_by):
            raise InputError("la solicitud necesita qué se pide y quién lo pide", where="solicitud")


@dataclass(frozen=True)
class RunEntry:
    """One line of the append-only history. ``seq`` starts at 0 and never repeats."""

    seq: int
    kind: EntryKind
    at: dt.datetime
    activity: int | None = None
    by: Operator | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    links: tuple[str, ...] = ()
    answer: bool | None = None
    reason: str | None = None
    note: str | None = None
    refers_to: int | None = None


@dataclass(frozen=True)
class DecisionRecord:
    """The answer given at a decision, and why."""

    activity: int
    answer: bool
    reason: str
    by: Operator
    at: dt.datetime

    @property
    def answer_label(self) -> str:
        return "SI" if self.answer else "NO"


@dataclass(frozen=True)
class EvidenceRecord:
    """Evidence gathered at an activity: structured data and links to outputs."""

    activity: int
    data: Mapping[str, Any]
    links: tuple[str, ...]
    note: str | None
    by: Operator
    at: dt.datetime


@dataclass(frozen=True)
class StepRecord:
    """One pass through one activity (an activity visited twice has two steps)."""

    activity: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    by: Operator | None
    evidence: tuple[EvidenceRecord, ...]
    decision: DecisionRecord | None


def filled(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def checked_data(data: Mapping[str, Any] | None, activity: int | None) -> Mapping[str, Any]:
    where = f"evidencia de la actividad {activity}"
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise InputError("la evidencia debe ser un diccionario de datos", where=where)
    _refuse_secrets(data, where)
    try:
        parsed: dict[str, Any] = json.loads(json.dumps(dict(data), ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"la evidencia debe poderse guardar como JSON (textos, números, listas, diccionarios): {exc}",
            where=where,
        ) from None
    return parsed


def _refuse_secrets(data: Any, where: str) -> None:
    if isinstance(data, Mapping):
        for key, value in data.items():
            lowered = str(key).lower()
            if any(fragment in lowered for fragment in _SECRET_KEY_FRAGMENTS):
                raise InputError(
                    f"la clave «{key}» parece un secreto (contraseña, token o llave): los secretos "
                    "nunca se guardan en el registro; registre solo que se emitió y por qué medio",
                    where=where,
                )
            _refuse_secrets(value, where)
    elif isinstance(data, list | tuple):
        for value in data:
            _refuse_secrets(value, where)


def checked_links(links: Sequence[str], activity: int | None) -> tuple[str, ...]:
    if isinstance(links, str) or not all(isinstance(link, str) and link.strip() for link in links):
        raise InputError(
            "los enlaces deben ser una lista de rutas o URL no vacías",
            where=f"evidencia de la actividad {activity}",
        )
    return tuple(links)


def decision_dict(decision: DecisionRecord) -> dict[str, Any]:
    return {
        "activity": decision.activity,
        "answer": decision.answer_label,
        "reason": decision.reason,
        "by": operator_dict(decision.by),
        "at": decision.at.isoformat(),
    }


def operator_dict(operator: Operator) -> dict[str, str]:
    return {"name": operator.name, "role": operator.role}


def operator_from_dict(raw: Any) -> Operator:
    return Operator(str(raw["name"]), str(raw["role"]))


def entry_dict(entry: RunEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "kind": entry.kind,
        "at": entry.at.isoformat(),
        "activity": entry.activity,
        "by": operator_dict(entry.by) if entry.by else None,
        "data": dict(entry.data),
        "links": list(entry.links),
        "answer": None if entry.answer is None else ("SI" if entry.answer else "NO"),
        "reason": entry.reason,
        "note": entry.note,
        "refers_to": entry.refers_to,
    }


def entry_from_dict(raw: Any) -> RunEntry:
    kind = raw["kind"]
    if kind not in _ENTRY_KINDS:
        raise ValueError(f"tipo de entrada desconocido {kind!r}")
    at = dt.datetime.fromisoformat(raw["at"])
    if at.tzinfo is None:
        raise ValueError(f"fecha sin zona horaria {raw['at']!r}")
    answer = raw.get("answer")
    if answer not in (None, "SI", "NO"):
        raise ValueError(f"respuesta {answer!r} (debe ser SI o NO)")
    activity = raw.get("activity")
    if activity is not None and (isinstance(activity, bool) or not isinstance(activity, int)):
        raise ValueError(f"actividad {activity!r}")
    data = raw.get("data") or {}
    if not isinstance(data, dict):
        raise ValueError("«data» debe ser un objeto")
    return RunEntry(
        seq=int(raw["seq"]),
        kind=kind,
        at=at,
        activity=activity,
        by=operator_from_dict(raw["by"]) if raw.get("by") else None,
        data=data,
        links=tuple(str(link) for link in raw.get("links") or ()),
        answer=None if answer is None else answer == "SI",
        reason=raw.get("reason"),
        note=raw.get("note"),
        refers_to=raw.get("refers_to"),
    )


def request_dict(request: RunRequest) -> dict[str, str | None]:
    return {
        "what": request.what,
        "requested_by": request.requested_by,
        "reference": request.reference,
    }


def request_from_dict(raw: Any) -> RunRequest:
    return RunRequest(str(raw["what"]), str(raw["requested_by"]), raw.get("reference"))


def step_dict(step: StepRecord, activity: Activity) -> dict[str, Any]:
    """One pass through ``activity`` as JSON-safe data for the archive."""
    return {
        "activity": step.activity,
        "description": activity.description,
        "role": activity.role,
        "notebook": activity.notebook,
        "started_at": step.started_at.isoformat(),
        "ended_at": step.ended_at.isoformat() if step.ended_at else None,
        "by": operator_dict(step.by) if step.by else None,
        "evidence": [
            {"data": dict(e.data), "links": list(e.links), "note": e.note, "at": e.at.isoformat()}
            for e in step.evidence
        ],
        "decision": decision_dict(step.decision) if step.decision else None,
    }


def write_json(path: Path, data: Mapping[str, Any], *, what: str) -> None:
    """Write UTF-8 JSON atomically (a crash never leaves half a file)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise RunRecordError(
            f"no se pudo guardar {what} ({exc.strerror}); verifique la carpeta y los permisos",
            where=str(path),
        ) from None


def read_json(path: Path, *, what: str) -> Any:
    """Read a JSON file, with errors that name the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RunRecordError(f"no se pudo leer {what} ({exc.strerror})", where=str(path)) from None
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RunRecordError(f"el archivo no es JSON válido ({exc})", where=str(path)) from None
