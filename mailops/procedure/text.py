"""Spanish renderings of the procedure (and of a run): terminal text, markdown, and JSON data."""

from __future__ import annotations

from typing import Any

from mailops.procedure.definition import Activity, Procedure
from mailops.procedure.run import ProcedureRun, ensure_run_of

__all__ = ["procedure_to_dict", "render_markdown", "render_text"]


def procedure_to_dict(proc: Procedure) -> dict[str, Any]:
    """The procedure as JSON-safe data for scripts (``mailops procedure show --json``).

    A decision carries ``question``, ``yes`` and ``no`` instead of ``next``; the last activity
    has ``"next": None``.
    """
    ensure_run_of(proc, None, "procedure_to_dict")
    activities: list[dict[str, Any]] = []
    for a in proc.activities.values():
        item: dict[str, Any] = {
            "number": a.number,
            "description": a.description,
            "kind": a.kind,
            "dependencia": a.dependencia,
            "role": a.role,
            "record": a.record,
            "notebook": a.notebook,
        }
        if a.kind == "decision":
            item.update(question=a.question, yes=a.yes, no=a.no)
        else:
            item["next"] = a.next
        item["observation"] = a.observation
        activities.append(item)
    return {
        "code": proc.code,
        "version": proc.version,
        "date": proc.date.isoformat(),
        "title": proc.title,
        "responsible_role": proc.responsible_role,
        "first": proc.first,
        "last": proc.last,
        "observations": list(proc.observations),
        "activities": activities,
    }


def _flow(a: Activity) -> str:
    if a.kind == "decision":
        return f"SI → {a.yes} · NO → {a.no}"
    if a.next is None:
        return "fin del procedimiento"
    return f"→ {a.next}"


def _marks(proc: Procedure, run: ProcedureRun | None) -> dict[int, str]:
    if run is None:
        return {}
    marks = dict.fromkeys(run.visited, "✔")
    if run.current is not None:
        marks[run.current] = "▶"
    return marks


def _answers(run: ProcedureRun | None) -> dict[int, list[str]]:
    answers: dict[int, list[str]] = {}
    if run is not None:
        for d in run.decisions:
            answers.setdefault(d.activity, []).append(f"{d.answer_label} ({d.reason})")
    return answers


def _run_header(run: ProcedureRun) -> list[str]:
    state = "terminada" if run.finished else f"en curso, actividad actual {run.current}"
    lines = [
        f"Ejecución {run.run_id} ({state})",
        f"Solicitud: {run.request.what} — solicitada por {run.request.requested_by}"
        + (f" (ref. {run.request.reference})" if run.request.reference else ""),
        f"Operador: {run.operator.name} ({run.operator.role})",
        "Recorrido: " + " → ".join(str(n) for n in run.visited),
    ]
    if run.next_notebook:
        lines.append(f"Siguiente cuaderno: {run.next_notebook}")
    return lines


def render_text(proc: Procedure, run: ProcedureRun | None = None) -> str:
    """The procedure as Spanish text for the terminal; with a run, its path is marked.

    ``✔`` marks a visited activity and ``▶`` the current one.
    """
    ensure_run_of(proc, run, "render_text")
    lines = [
        f"{proc.title}",
        f"Código {proc.code} · versión {proc.version} · fecha {proc.date:%d/%m/%Y}",
        f"Responsable del procedimiento: {proc.responsible_role}",
    ]
    if run is not None:
        lines += ["", *_run_header(run)]
    lines.append("")
    marks = _marks(proc, run)
    answers = _answers(run)
    for a in proc.activities.values():
        mark = marks.get(a.number, " ")
        kind = "Decisión" if a.kind == "decision" else ("Fin" if a.kind == "end" else "Actividad")
        lines.append(f"{mark} {a.number:>2}. [{kind}] {a.description}")
        lines.append(f"      Responsable: {a.role} ({a.dependencia}) · {_flow(a)}")
        if a.record:
            lines.append(f"      Registro: {a.record}")
        for answer in answers.get(a.number, []):
            lines.append(f"      Respuesta: {answer}")
        if a.observation:
            lines.append(f"      Observación: {a.observation}")
    if proc.observations:
        lines += ["", "Observaciones sobre el documento:"]
        lines += [f"  - {o}" for o in proc.observations]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(proc: Procedure, run: ProcedureRun | None = None) -> str:
    """The procedure as a markdown table for a notebook cell; with a run, its path is marked."""
    ensure_run_of(proc, run, "render_markdown")
    lines = [
        f"### {proc.title}",
        "",
        f"**Código:** {proc.code} · **Versión:** {proc.version} · "
        f"**Fecha:** {proc.date:%d/%m/%Y} · **Responsable:** {proc.responsible_role}",
        "",
    ]
    if run is not None:
        lines += [f"- {line}" for line in _run_header(run)] + [""]
    marks = _marks(proc, run)
    answers = _answers(run)
    lines += [
        "| | No. | Descripción de la actividad | Responsable | Registro | Siguiente |",
        "|---|---:|---|---|---|---|",
    ]
    for a in proc.activities.values():
        flow = _flow(a)
        if answers.get(a.number):
            flow += " — respuesta: " + "; ".join(answers[a.number])
        description = _cell(a.description)
        if a.observation:
            description += f" <br>*Observación: {_cell(a.observation)}*"
        lines.append(
            f"| {marks.get(a.number, '')} | {a.number} | {description} | {a.role} | "
            f"{_cell(a.record)} | {_cell(flow)} |"
        )
    if proc.observations:
        lines += ["", "**Observaciones sobre el documento:**", ""]
        lines += [f"- {o}" for o in proc.observations]
    return "\n".join(lines) + "\n"
