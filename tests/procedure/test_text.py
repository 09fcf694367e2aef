from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from mailops.procedure import (
    Operator,
    Procedure,
    ProcedureDefinitionError,
    ProcedureRun,
    RunRecordError,
    RunRequest,
    parse_procedure,
    procedure_to_dict,
    render_markdown,
    render_text,
)

Clock = Callable[[], dt.datetime]


@pytest.fixture
def run(proc: Procedure, operator: Operator, request_: RunRequest, clock: Clock) -> ProcedureRun:
    run = ProcedureRun.start(proc, request=request_, operator=operator, clock=clock, run_id="run-9")
    run.complete()
    run.decide(False, "El contrato venció el 31 de enero")
    return run


def test_text_shows_header_and_every_activity_in_spanish(proc: Procedure) -> None:
    text = render_text(proc)
    assert "Código GTI-PR-05 · versión 01 · fecha 02/10/2017" in text
    assert "Responsable del procedimiento: Director TICS-CTEI" in text
    for a in proc.activities.values():
        assert f"{a.number:>2}. " in text and a.description in text
    assert "SI → 13 · NO → 9" in text and "fin del procedimiento" in text
    assert "Registro: Formato de Creación de Usuarios" in text


def test_text_shows_the_documents_observations(proc: Procedure) -> None:
    text = render_text(proc)
    assert "Observaciones sobre el documento:" in text
    assert "Observación: El documento envía la respuesta NO de regreso a la actividad 9" in text


def test_text_with_a_run_marks_the_path_current_and_answers(
    proc: Procedure, run: ProcedureRun
) -> None:
    lines = render_text(proc, run).splitlines()
    assert "Recorrido: 1 → 2 → 3" in lines
    assert "Siguiente cuaderno: 02_usuarios" in lines
    assert any(line.startswith("✔  2. [Decisión]") for line in lines)
    assert any(line.startswith("▶  3. [Actividad]") for line in lines)
    assert "      Respuesta: NO (El contrato venció el 31 de enero)" in lines


def test_markdown_is_a_table_with_one_row_per_activity(proc: Procedure) -> None:
    md = render_markdown(proc)
    assert md.startswith("### Procedimiento Administración de Correo Electrónico")
    assert "| | No. | Descripción de la actividad | Responsable | Registro | Siguiente |" in md
    # 24 rows, none marked (the mark column is empty without a run)
    assert len([r for r in md.splitlines() if r.startswith("|  | ")]) == 24


def test_markdown_with_a_run_marks_the_current_activity(proc: Procedure, run: ProcedureRun) -> None:
    md = render_markdown(proc, run)
    assert "| ▶ | 3 | Asignar y programar" in md
    assert "| ✔ | 2 |" in md and "respuesta: NO (El contrato venció el 31 de enero)" in md


def test_json_data_gives_next_or_question_yes_no(proc: Procedure) -> None:
    data = procedure_to_dict(proc)
    assert (data["code"], data["version"], data["date"]) == ("GTI-PR-05", "01", "2017-10-02")
    by_number = {a["number"]: a for a in data["activities"]}
    assert by_number[1]["next"] == 2 and "question" not in by_number[1]
    assert (by_number[10]["question"], by_number[10]["yes"], by_number[10]["no"]) == (
        "Prueba OK ?",
        11,
        7,
    )
    assert "next" not in by_number[10]
    assert by_number[24]["next"] is None
    assert by_number[3]["role"] == "Profesional Universitario"


def test_text_of_something_that_is_not_a_procedure_is_refused() -> None:
    with pytest.raises(ProcedureDefinitionError, match=r"render_text necesita un Procedure"):
        render_text("procedimiento")  # type: ignore[arg-type]


def test_markdown_of_a_run_of_another_version_is_refused(
    run: ProcedureRun, raw_definition: dict[str, object]
) -> None:
    raw_definition["version"] = "02"
    with pytest.raises(
        RunRecordError,
        match=r"render_markdown: la ejecución run-9 es del procedimiento GTI-PR-05 versión 01",
    ):
        render_markdown(parse_procedure(raw_definition), run)
