"""The procedure as seen from a branch notebook: which activities it served, and how.

The master notebook starts a ProcedureRun and says which notebook serves the current activity;
that notebook receives the run's file as its ``ejecucion`` parameter and, after doing its work,
completes its activities and answers its decisions through a ``ProcedureStep``::

    paso = ProcedureStep.join("01_verificar_servicio", settings=settings, run_file=ejecucion,
                              operator=operador, role="Profesional Universitario")
    paso.complete(1, evidence={"contrato": ...})
    paso.decide(2, resultado.service_ok, "contrato vigente y Admin SDK con permisos")
    paso.record()        # saves the run, and tells the archive what was done

A step applies only when the run is at that activity, so a notebook can offer all the steps it
serves in the procedure's order and only the ones the run has reached are taken. Without a run
file, the notebook still records which activities it served and what it answered, so every
archived run says which activities it went through and why (with a run: those it applied).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mailops.errors import InputError
from mailops.procedure import Operator, Procedure, ProcedureRun, load_procedure
from mailops.records.master import RUNS_DIR
from mailops.records.outcomes import (
    PROCEDURE_ACTIVITIES_OUTCOME,
    record_outcome,
    record_procedure_run,
)
from mailops.settings import Settings

__all__ = ["ProcedureStep", "StepNote"]


@dataclass(frozen=True)
class StepNote:
    """One activity a notebook served: applied to the run, or only recorded."""

    activity: int
    answer: bool | None
    reason: str
    applied: bool
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def answer_label(self) -> str:
        return "" if self.answer is None else ("SI" if self.answer else "NO")


class ProcedureStep:
    """A branch notebook's part in a procedure run (or, without one, its served activities)."""

    def __init__(
        self,
        notebook: str,
        procedure: Procedure,
        operator: Operator,
        *,
        run: ProcedureRun | None = None,
        run_path: Path | None = None,
    ) -> None:
        self.notebook = notebook
        self.procedure = procedure
        self.operator = operator
        self.run = run
        self.run_path = run_path
        self.notes: list[StepNote] = []

    @classmethod
    def join(
        cls,
        notebook: str,
        *,
        settings: Settings,
        run_file: str = "",
        operator: str,
        role: str,
        procedure: Procedure | None = None,
    ) -> ProcedureStep:
        """Join the run saved at ``run_file`` (relative to the state dir), or work without one."""
        proc = procedure or load_procedure()
        by = Operator(operator, role)
        if not run_file.strip():
            return cls(notebook, proc, by)
        path = settings.state_dir / run_file.strip()
        if not path.is_file():
            raise InputError(
                f"no existe la ejecución del procedimiento {path}; use el valor que da el "
                f"cuaderno maestro (p. ej. «{RUNS_DIR}/<id>.json») o déjelo vacío",
                where="ejecucion",
            )
        return cls(notebook, proc, by, run=ProcedureRun.load(path, proc), run_path=path)

    def _serves(self, activity: int) -> None:
        act = self.procedure.activities.get(activity)
        if act is None:
            raise InputError(
                f"la actividad {activity} no existe en el procedimiento", where=self.notebook
            )
        if act.notebook != self.notebook:
            raise InputError(
                f"la actividad {activity} la atiende «{act.notebook}», no «{self.notebook}»",
                where=self.notebook,
            )

    def answer(self, activity: int) -> bool | None:
        """The run's latest answer to decision ``activity`` (None without a run or an answer)."""
        if self.run is None:
            return None
        answers = [d.answer for d in self.run.decisions if d.activity == activity]
        return answers[-1] if answers else None

    def request_domain(self, settings: Settings) -> str | None:
        """The domain activity 4 chose: SI = the Gobierno en Línea domain, NO = the
        municipality's; None when the run has not answered it."""
        answer = self.answer(4)
        if answer is None:
            return None
        wanted = "gel" if answer else "municipio"
        if wanted == "municipio" and settings.domain(settings.primary_domain).origin == "municipio":
            return settings.primary_domain
        return next((d.name for d in settings.domains if d.origin == wanted), None)

    def at(self, activity: int) -> bool:
        """True when there is a run and it is at ``activity``."""
        return self.run is not None and self.run.current == activity

    def complete(
        self, activity: int, evidence: Mapping[str, Any] | None = None, note: str | None = None
    ) -> bool:
        """Complete ``activity`` if the run is there; True when it was applied to the run."""
        self._serves(activity)
        applied = self.at(activity)
        if applied:
            assert self.run is not None
            self.run.complete(by=self.operator, evidence=evidence, note=note)
        self.notes.append(StepNote(activity, None, note or "", applied, dict(evidence or {})))
        return applied

    def decide(
        self, activity: int, answer: bool, reason: str, evidence: Mapping[str, Any] | None = None
    ) -> bool:
        """Answer decision ``activity`` (True = SI) if the run is there; True when applied."""
        self._serves(activity)
        if not reason.strip():
            raise InputError(
                f"la decisión de la actividad {activity} necesita su motivo", where=self.notebook
            )
        applied = self.at(activity)
        if applied:
            assert self.run is not None
            self.run.decide(answer, reason, by=self.operator, evidence=evidence)
        self.notes.append(StepNote(activity, answer, reason, applied, dict(evidence or {})))
        return applied

    def record(self) -> dict[str, Any]:
        """Save the run (if any) and hand the archive what this notebook did."""
        if self.run is not None and self.run_path is not None:
            self.run.save(self.run_path)
            record_procedure_run(self.run, self.procedure)
        # with a run, what this notebook did is what it applied; without one, what it served
        notes = [n for n in self.notes if n.applied] if self.run is not None else self.notes
        data = {
            "procedure_code": self.procedure.code,
            "procedure_version": self.procedure.version,
            "notebook": self.notebook,
            "run_id": self.run.run_id if self.run else None,
            "visited": [n.activity for n in notes],
            "decisions": [
                {
                    "activity": n.activity,
                    "answer": n.answer,
                    "answer_label": n.answer_label,
                    "reason": n.reason,
                    "by": self.operator.name,
                    "applied": n.applied,
                }
                for n in notes
                if n.answer is not None
            ],
        }
        record_outcome(PROCEDURE_ACTIVITIES_OUTCOME, data)
        return data

    def markdown(self) -> str:
        """Spanish summary of what was served, and where the run goes next."""
        lines = []
        for n in self.notes:
            what = (
                f"respuesta {n.answer_label}: {n.reason}"
                if n.answer is not None
                else (n.reason or "completada")
            )
            where = "aplicada a la ejecución" if n.applied else "registrada"
            lines.append(f"- Actividad {n.activity} ({where}) — {what}")
        if self.run is None:
            lines.append(
                "- Sin ejecución del procedimiento: las actividades quedan registradas en este registro."
            )
        elif self.run.current is None:
            lines.append("- La ejecución del procedimiento terminó (actividad 24).")
        else:
            nxt = self.procedure.activities[self.run.current]
            lines.append(
                f"- Siguiente: actividad {nxt.number} — {nxt.description} (cuaderno «{nxt.notebook}»)"
            )
        return "\n".join(lines)
