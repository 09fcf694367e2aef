"""The outcome channel: structured results a notebook hands to the record.

Inside a notebook, ``record_outcome(name, data)`` displays a JSON payload under the mailops mime
type; it travels in the executed notebook's outputs (not in widget state, which is never archived)
and the runner reads it back with ``read_outcomes``. It is the idea of nteract's scrapbook, kept
small because scrapbook is unmaintained.

Example, in a notebook cell::

    from mailops.records import record_outcome
    record_outcome("usuarios_creados", {"total": 3})
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from mailops.errors import DefinitionError

if TYPE_CHECKING:
    from mailops.procedure import Procedure, ProcedureRun

__all__ = [
    "OUTCOME_MIME",
    "OUTCOME_VERSION",
    "PROCEDURE_ACTIVITIES_OUTCOME",
    "PROCEDURE_RUN_OUTCOME",
    "OutcomePayload",
    "read_outcomes",
    "record_outcome",
    "record_procedure_run",
]

OUTCOME_MIME = "application/vnd.mailops.outcome+json"
OUTCOME_VERSION = 1
PROCEDURE_RUN_OUTCOME = "procedure_run"
# the activities a branch notebook served outside a ProcedureRun (see mailops.records.steps)
PROCEDURE_ACTIVITIES_OUTCOME = "procedure_activities"


class OutcomePayload(TypedDict):
    """What travels under ``OUTCOME_MIME``."""

    version: int
    name: str
    data: Any


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel, a dependency
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def record_outcome(name: str, data: Any) -> OutcomePayload:
    """Record a named, JSON-able result into the executed notebook's outputs.

    Outside a Jupyter kernel nothing is displayed (the payload is still validated and
    returned), so library code may call it from anywhere. A later outcome with the same name
    replaces an earlier one when read back.
    """
    if not isinstance(name, str) or not name.strip():
        raise DefinitionError(f"record_outcome: el nombre debe ser un texto no vacío, no {name!r}")
    try:
        encoded = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise DefinitionError(
            f"record_outcome «{name}»: los datos no se pueden guardar como JSON ({exc})"
        ) from exc
    payload = OutcomePayload(version=OUTCOME_VERSION, name=name, data=json.loads(encoded))
    if _in_kernel():
        from IPython.display import display

        display(
            {
                OUTCOME_MIME: dict(payload),
                "text/plain": "Resultado registrado para el archivo magnético.",
            },
            raw=True,
        )  # type: ignore[no-untyped-call]
    return payload


def read_outcomes(nb: Mapping[str, Any]) -> dict[str, Any]:
    """The outcomes recorded in an executed notebook, by name (the last one of a name wins).

    Payloads of an unknown version are skipped rather than guessed at.
    """
    found: dict[str, Any] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            if output.get("output_type") not in ("display_data", "execute_result"):
                continue
            payload = (output.get("data") or {}).get(OUTCOME_MIME)
            if isinstance(payload, str):  # some writers keep JSON mime data as text
                try:
                    payload = json.loads(payload)
                except ValueError:
                    continue
            if (
                isinstance(payload, Mapping)
                and payload.get("version") == OUTCOME_VERSION
                and isinstance(payload.get("name"), str)
            ):
                found[payload["name"]] = payload.get("data")
    return found


def record_procedure_run(run: ProcedureRun, procedure: Procedure) -> OutcomePayload:
    """Record a ProcedureRun's state so the archive knows the activities and decisions.

    The runner reads this outcome (named ``procedure_run``) to fill the record's procedure code
    and version, the activities visited and the decisions taken.
    """
    operator = getattr(run, "operator", None)
    request = getattr(run, "request", None)
    data = {
        "run_id": run.run_id,
        "operator": getattr(operator, "name", None),
        "request": getattr(request, "what", None),
        "procedure_code": str(procedure.code),
        "procedure_version": str(procedure.version),
        "visited": [int(a) for a in run.visited],
        "current": run.current,
        "finished": bool(run.finished),
        "decisions": [
            {
                "activity": int(d.activity),
                "answer": bool(d.answer),
                "answer_label": str(d.answer_label),
                "reason": str(d.reason),
                "by": str(d.by.name),
                "at": d.at.isoformat() if hasattr(d.at, "isoformat") else str(d.at),
            }
            for d in run.decisions
        ],
        "state": run.to_dict(),
    }
    return record_outcome(PROCEDURE_RUN_OUTCOME, data)
