"""A branch notebook's part in a procedure run (mailops.records.steps)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailops.errors import InputError
from mailops.procedure import ProcedureRun, load_procedure
from mailops.records.master import prepare_run
from mailops.records.runner import _procedure_fields
from mailops.records.steps import ProcedureStep
from mailops.settings import Settings

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def start_run(settings: Settings) -> str:
    view = prepare_run(
        load_procedure(),
        settings=settings,
        notebooks_dir=NOTEBOOKS,
        solicitud="Verificación mensual del servicio",
        solicitado_por="Dirección TICS-CTEI",
        operador="Laura Gómez",
        rol_operador="Profesional Universitario",
    )
    return view.run_file


def join(settings: Settings, run_file: str = "") -> ProcedureStep:
    return ProcedureStep.join(
        "01_verificar_servicio",
        settings=settings,
        run_file=run_file,
        operator="Laura Gómez",
        role="Director TICS-CTEI",
    )


def test_steps_apply_only_where_the_run_is_and_in_the_procedure_s_order(settings: Settings) -> None:
    run_file = start_run(settings)
    step = join(settings, run_file)
    assert step.complete(1, evidence={"contrato": "CD-1", "dias_restantes": 60})
    assert step.decide(2, True, "contrato vigente y Admin SDK con permisos")
    assert not step.complete(6)  # the run went on to activity 4, served by the master notebook
    assert not step.decide(7, True, "mensaje de prueba recibido")
    data = step.record()
    assert data["visited"] == [1, 2]  # what this notebook applied to the run
    assert [(d["activity"], d["applied"]) for d in data["decisions"]] == [(2, True)]
    assert data["run_id"] is not None
    saved = ProcedureRun.load(settings.state_dir / run_file, load_procedure())
    assert saved.current == 4
    assert [(d.activity, d.answer_label) for d in saved.decisions] == [(2, "SI")]
    assert "Siguiente: actividad 4" in step.markdown()


def test_without_a_run_the_served_activities_still_reach_the_record(settings: Settings) -> None:
    step = join(settings)
    step.complete(1)
    step.decide(2, False, "el contrato venció el 2026-01-31")
    data = step.record()
    fields = _procedure_fields({"procedure_activities": data})
    assert fields["activities"] == (1, 2)
    assert fields["procedure_code"] == load_procedure().code
    assert [(d.activity, d.answer_label, d.reason) for d in fields["decisions"]] == [
        (2, "NO", "el contrato venció el 2026-01-31")
    ]
    assert "Sin ejecución del procedimiento" in step.markdown()


def test_a_notebook_cannot_serve_another_notebook_s_activity(settings: Settings) -> None:
    with pytest.raises(InputError, match="la actividad 5 la atiende «02_usuarios»"):
        join(settings).complete(5)


def test_a_decision_needs_its_reason(settings: Settings) -> None:
    with pytest.raises(InputError, match="necesita su motivo"):
        join(settings).decide(2, True, "  ")


def test_an_unknown_run_file_is_refused_naming_the_parameter(settings: Settings) -> None:
    with pytest.raises(InputError) as info:
        join(settings, "procedimiento/no-existe.json")
    assert info.value.where == "ejecucion"


@pytest.mark.parametrize(
    ("answer", "domain"), [(True, "cajica.gov.example"), (False, "cajica.example")]
)
def test_decision_4_chooses_the_domain_of_the_request(
    settings: Settings, answer: bool, domain: str
) -> None:
    run_file = start_run(settings)
    first = join(settings, run_file)
    assert first.request_domain(settings) is None  # not answered yet
    first.complete(1)
    first.decide(2, True, "servicio contratado y activo")
    first.record()
    view = prepare_run(
        load_procedure(),
        settings=settings,
        notebooks_dir=NOTEBOOKS,
        solicitud="x",
        solicitado_por="y",
        operador="Laura Gómez",
        rol_operador="Profesional Universitario",
        run_file=run_file,
        respuesta="SI" if answer else "NO",
        motivo="según el dominio de la solicitud",
    )
    assert view.run.decisions[-1].activity == 4
    step = ProcedureStep.join(
        "02_usuarios",
        settings=settings,
        run_file=run_file,
        operator="Laura Gómez",
        role="Profesional Universitario",
    )
    assert step.answer(4) is answer
    assert step.request_domain(settings) == domain
