"""The demonstration: one request walked through the procedure on the embedded emulator.

A request for new institutional accounts (the sample "Formato de Creación de Usuarios") goes
through the master notebook and the branch notebooks in batch, each run archived, all tied to
one ProcedureRun, until the first activity whose notebook is not built yet; then the routine
usage report, and a verification of the whole archive. ``walk`` yields each step as it ends so
the CLI can show progress; it prints nothing itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt

from mailops.errors import DefinitionError
from mailops.procedure import ProcedureRun, load_procedure, render_flowchart
from mailops.records import STATUS_LABELS, ArchivedRecord, verify_archive
from mailops.records.master import MASTER_NOTEBOOK
from mailops.records.runner import run_notebook
from mailops.settings import Settings

__all__ = ["DEMO_FORM", "DemoStep", "walk"]

DEMO_FORM = "formatos/ejemplo_solicitudes.csv"  # relative to notebooks/
OPERATOR = "Laura Gómez Rincón"
DIRECTOR = "Director TICS-CTEI"
PROFESSIONAL = "Profesional Universitario"


@dataclass(frozen=True)
class DemoStep:
    """One step of the demonstration: what was done, its archived record, what it showed."""

    title: str
    detail: str
    record: ArchivedRecord | None = None
    ok: bool = True


def _run_file(record: ArchivedRecord) -> str:
    value = record.record.outcomes.get("estado_guardado")
    if not isinstance(value, str) or not value:
        raise DefinitionError(f"the master notebook did not report its run state ({record.folder})")
    return value


def _detail(record: ArchivedRecord, settings: Settings) -> str:
    run: dict[str, Any] | None = record.record.outcomes.get("procedure_run")
    where = ""
    if isinstance(run, dict) and run.get("current") is not None:
        where = f"; la ejecución sigue en la actividad {run['current']}"
    status = STATUS_LABELS.get(record.status, record.status)
    return f"{status} — registro {record.folder.relative_to(settings.archive_root)}{where}"


def _users_detail(record: ArchivedRecord) -> str:
    outcome = record.record.outcomes.get("usuarios")
    result = outcome.get("resultado") if isinstance(outcome, dict) else None
    if not isinstance(result, dict):
        return ""
    created = result.get("cuentas_creadas") or []
    sealed = result.get("archivo_credenciales")
    where = f"; contraseñas iniciales en el archivo sellado {sealed}" if created and sealed else ""
    if created:
        return f"\n       cuentas creadas: {', '.join(created)}{where}"
    return "\n       ninguna cuenta nueva: las del formato ya existían (aplicar de nuevo no duplica nada)"


def walk(settings: Settings, notebooks_dir: Path) -> Iterator[DemoStep]:
    """Run the demonstration against the emulator ``settings`` point at."""
    proc = load_procedure()

    def run(notebook: str, params: dict[str, Any]) -> ArchivedRecord:
        return run_notebook(notebook, params, settings=settings, notebooks_dir=notebooks_dir)

    started = run(
        MASTER_NOTEBOOK,
        {
            "solicitud": "Creación de cuentas de correo institucional (Formato de Creación de Usuarios)",
            "solicitado_por": "Secretaría de Educación",
            "referencia": "Formato 2026-118",
            "operador": OPERATOR,
            "rol_operador": PROFESSIONAL,
        },
    )
    ok = started.status == "passed"
    yield DemoStep(
        "Cuaderno maestro: se inicia la ejecución del procedimiento",
        _detail(started, settings),
        started,
        ok,
    )
    if not ok:
        return
    run_file = _run_file(started)
    steps: list[tuple[str, str, dict[str, Any]]] = [
        (
            "Actividades 1 y 2 — contrato y ¿Servicio OK?",
            "01_verificar_servicio",
            {
                "ejecucion": run_file,
                "operador": OPERATOR,
                "rol_operador": DIRECTOR,
                "espera_segundos": 15,
            },
        ),
        (
            "Actividad 4 — ¿la acción es originada por el dominio de Gobierno en Línea?",
            MASTER_NOTEBOOK,
            {
                "run_file": run_file,
                "operador": OPERATOR,
                "rol_operador": PROFESSIONAL,
                "respuesta": "SI",
                "motivo": "las cuentas se solicitan en el dominio de Gobierno en Línea (cajica.gov.example)",
            },
        ),
        (
            "Actividad 5 — administración de usuarios desde el formato",
            "02_usuarios",
            {
                "ejecucion": run_file,
                "formato": DEMO_FORM,
                "aplicar": True,  # the domain comes from decision 4 (SI: Gobierno en Línea)
                "operador": OPERATOR,
            },
        ),
        (
            "Actividades 6 y 7 — ¿servicio de correo activo?",
            "01_verificar_servicio",
            {
                "ejecucion": run_file,
                "operador": OPERATOR,
                "rol_operador": DIRECTOR,
                "espera_segundos": 15,
            },
        ),
        (
            "Actividad 12 — ¿la acción es originada por una necesidad?",
            MASTER_NOTEBOOK,
            {
                "run_file": run_file,
                "operador": OPERATOR,
                "rol_operador": DIRECTOR,
                "respuesta": "NO",
                "motivo": "es una actividad propia de administración: probar la activación de las cuentas nuevas",
            },
        ),
    ]
    for title, notebook, params in steps:
        record = run(notebook, params)
        yield DemoStep(
            title,
            _detail(record, settings) + _users_detail(record),
            record,
            record.status == "passed",
        )
        if record.status != "passed":
            return
    final = ProcedureRun.load(settings.state_dir / run_file, proc)
    chart = settings.reports_root / "procedimiento" / f"{final.run_id}.png"
    chart.parent.mkdir(parents=True, exist_ok=True)
    figure = render_flowchart(proc, final)
    figure.savefig(chart, dpi=110)
    plt.close(figure)
    yield DemoStep("Diagrama de flujo con el recorrido de la solicitud", f"{chart}")
    current = final.current
    if current is not None:
        activity = proc.activities[current]
        built = bool(activity.notebook) and (notebooks_dir / f"{activity.notebook}.ipynb").is_file()
        state = "disponible" if built else "aún no construido"
        yield DemoStep(
            "Siguiente paso del procedimiento",
            f"actividad {current} — {activity.description} — cuaderno «{activity.notebook}» ({state}); "
            f"recorrido: {' → '.join(map(str, final.visited))}; retome con -p run_file {run_file}",
        )
    report = run("10_reporte_uso", {})
    usage = report.record.outcomes.get("reporte_uso")
    page = (
        f"\n       página del reporte: {usage['archivo']}"
        if isinstance(usage, dict) and usage.get("archivo")
        else ""
    )
    yield DemoStep(
        "Reporte de uso del correo (rutina)",
        _detail(report, settings) + page,
        report,
        report.status == "passed",
    )
    verified = verify_archive(settings.archive_root)
    detail = (
        f"{verified.checked} registros íntegros"
        if verified.ok
        else f"{len(verified.problems)} problemas en: {', '.join(verified.bad_records)}"
    )
    yield DemoStep("Verificación del archivo magnético", detail, None, verified.ok)
