"""The library behind the master notebook (``notebooks/00_procedimiento.ipynb``).

It starts or resumes a ProcedureRun for a request, applies what the master notebook itself
serves (the decisions of activities 4 and 12, completing 23 and 24), saves the run state in the
state directory, says which activity comes next and which notebook serves it, and lists the
archived records of the run.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mailops.errors import InputError
from mailops.procedure import Operator, Procedure, ProcedureRun, RunRequest
from mailops.records.index import IndexEntry, RecordIndex, RecordQuery
from mailops.records.record import STATUS_LABELS
from mailops.settings import Settings

__all__ = [
    "MASTER_NOTEBOOK",
    "RUNS_DIR",
    "MasterView",
    "NextStep",
    "flowchart_png",
    "prepare_run",
    "records_markdown",
    "records_of_run",
]

MASTER_NOTEBOOK = "00_procedimiento"
RUNS_DIR = "procedimiento"  # under the state dir: one JSON per ProcedureRun


@dataclass(frozen=True)
class NextStep:
    """What comes next in a run and which notebook serves it."""

    activity: int | None
    description: str
    kind: str
    notebook: str | None
    notebook_exists: bool

    @property
    def served_here(self) -> bool:
        return self.notebook == MASTER_NOTEBOOK

    def to_dict(self) -> dict[str, Any]:
        return {
            "activity": self.activity,
            "description": self.description,
            "kind": self.kind,
            "notebook": self.notebook,
            "notebook_exists": self.notebook_exists,
        }

    def markdown(self) -> str:
        if self.activity is None:
            return "**El procedimiento terminó** (actividad 24: archivo magnético)."
        what = "Decisión" if self.kind == "decision" else "Actividad"
        text = f"**Siguiente: {what} {self.activity}** — {self.description}\n\n"
        if self.notebook is None:
            return text + "Ningún cuaderno atiende esta actividad: se realiza fuera de mailops."
        if self.served_here:
            return text + (
                f"La atiende este mismo cuaderno (`{MASTER_NOTEBOOK}`): vuelva a ejecutarlo con "
                "`run_file` y, si es una decisión, `respuesta` (SI/NO) y `motivo`; si no, "
                "`completar = True`."
            )
        state = (
            "disponible"
            if self.notebook_exists
            else "**todavía no existe** en esta instalación; realice la actividad a mano y "
            "registre el resultado"
        )
        return text + f"La atiende el cuaderno `{self.notebook}.ipynb` ({state})."


@dataclass(frozen=True)
class MasterView:
    """The outcome of one pass of the master notebook."""

    run: ProcedureRun
    saved_to: Path
    run_file: str  # relative to the state dir: pass it as ``run_file`` to resume
    resumed: bool
    action: str | None  # what this pass did to the run, in Spanish
    next: NextStep

    def _repr_markdown_(self) -> str:
        verb = "Se retomó" if self.resumed else "Se inició"
        lines = [
            f"{verb} la ejecución del procedimiento **{self.run.run_id}** para la solicitud "
            f"«{self.run.request.what}» ({self.run.request.requested_by}).",
            "",
            f"- Actividades recorridas: {', '.join(map(str, self.run.visited)) or '—'}",
        ]
        if self.action:
            lines.append(f"- En este paso: {self.action}")
        lines += [f"- Estado guardado en `{self.run_file}` (directorio de estado)", ""]
        lines.append(self.next.markdown())
        return "\n".join(lines)


def _next_step(run: ProcedureRun, proc: Procedure, notebooks_dir: Path) -> NextStep:
    current = run.current
    if current is None:
        return NextStep(None, "", "end", None, False)
    activity = proc.activities[current]
    notebook = activity.notebook
    exists = bool(notebook) and (notebooks_dir / f"{notebook}.ipynb").is_file()
    return NextStep(current, activity.description, activity.kind, notebook, exists)


def _act_here(
    run: ProcedureRun, proc: Procedure, respuesta: str, motivo: str, completar: bool, by: Operator
) -> str | None:
    current = run.current
    answer = respuesta.strip().upper().replace("SÍ", "SI")
    if not answer and not completar:
        return None
    if current is None:
        raise InputError("la ejecución ya terminó; no hay actividad que atender", where="run_file")
    activity = proc.activities[current]
    if activity.notebook != MASTER_NOTEBOOK:
        raise InputError(
            f"la actividad actual ({current}) la atiende el cuaderno «{activity.notebook}», no "
            "este; ejecute ese cuaderno",
            where="respuesta" if answer else "completar",
        )
    if activity.kind == "decision":
        if answer not in ("SI", "NO"):
            raise InputError(
                f"la actividad {current} es una decisión: responda SI o NO (se recibió "
                f"«{respuesta}»)",
                where="respuesta",
            )
        run.decide(answer == "SI", motivo, by=by)
        return f"decisión de la actividad {current}: {answer} ({motivo})"
    run.complete(by=by, note=motivo or None)
    return f"actividad {current} completada"


def prepare_run(
    proc: Procedure,
    *,
    settings: Settings,
    notebooks_dir: Path,
    solicitud: str,
    solicitado_por: str,
    operador: str,
    rol_operador: str,
    referencia: str = "",
    run_file: str = "",
    respuesta: str = "",
    motivo: str = "",
    completar: bool = False,
    run_id: str | None = None,
) -> MasterView:
    """Start (empty ``run_file``) or resume a run, apply this notebook's step, save the state.

    Keyword names are the master notebook's parameters, so its form can call this directly.
    """
    operator = Operator(operador, rol_operador)
    state_root = settings.state_dir
    if run_file.strip():
        path = state_root / run_file.strip()
        if not path.is_file():
            raise InputError(
                f"no existe la ejecución guardada {path}; revise el nombre (relativo al "
                f"directorio de estado {state_root}) o deje run_file vacío para iniciar una",
                where="run_file",
            )
        run = ProcedureRun.load(path, proc)
        resumed = True
    else:
        request = RunRequest(solicitud, solicitado_por, referencia.strip() or None)
        run = ProcedureRun.start(proc, request=request, operator=operator, run_id=run_id)
        resumed = False
    action = _act_here(run, proc, respuesta, motivo, completar, operator)
    relative = f"{RUNS_DIR}/{run.run_id}.json"
    (state_root / RUNS_DIR).mkdir(parents=True, exist_ok=True)
    saved_to = run.save(state_root / relative)
    return MasterView(
        run=run,
        saved_to=saved_to,
        run_file=relative,
        resumed=resumed,
        action=action,
        next=_next_step(run, proc, notebooks_dir),
    )


def flowchart_png(proc: Procedure, run: ProcedureRun | None = None, *, dpi: int = 80) -> bytes:
    """The procedure flowchart (with the run's path, if given) as PNG bytes."""
    from mailops.procedure import render_flowchart

    buffer = io.BytesIO()
    render_flowchart(proc, run).savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def records_of_run(archive_root: Path, procedure_run_id: str) -> list[IndexEntry]:
    """The archived records that belong to one ProcedureRun, in chain order."""
    index = RecordIndex.open(archive_root)
    return index.search(RecordQuery(procedure_run_id=procedure_run_id))


def records_markdown(entries: list[IndexEntry], archive_root: Path, relative_to: Path) -> str:
    """A Spanish markdown list linking each record's HTML rendering."""
    if not entries:
        return "Aún no hay registros archivados de esta ejecución del procedimiento."
    lines = [f"{len(entries)} registro(s) archivados de esta ejecución:", ""]
    for e in entries:
        html = archive_root / e.folder / f"{e.notebook}.html"
        link = Path(os.path.relpath(html, relative_to)).as_posix()
        label = STATUS_LABELS.get(e.status, e.status)
        lines.append(f"- [{e.run_id}]({link}) — `{e.notebook}`, {label}, {e.date}")
    return "\n".join(lines)
