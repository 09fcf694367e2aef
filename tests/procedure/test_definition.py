from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from mailops.errors import DefinitionError
from mailops.procedure import Procedure, ProcedureDefinitionError, load_procedure

# the document itself (a copy of shared/seed, kept with the tests so a fresh clone checks it too)
DOCUMENT = Path(__file__).parent / "data" / "procedimiento_administracion_correo_v01.txt"

DECISIONS = {
    2: (4, 3),
    4: (5, 6),
    7: (12, 8),
    10: (11, 7),
    12: (13, 9),
    14: (21, 15),
    16: (17, 18),
    18: (19, 20),
}
DIRECTOR_ACTIVITIES = {1, 2, 7, 10, 12, 14, 16, 17, 20}


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "definicion.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def activity(data: dict[str, Any], number: int) -> dict[str, Any]:
    found: dict[str, Any] = next(a for a in data["activities"] if a["number"] == number)
    return found


def test_shipped_definition_has_the_documents_header(proc: Procedure) -> None:
    assert (proc.code, proc.version, proc.date) == ("GTI-PR-05", "01", dt.date(2017, 10, 2))
    assert proc.title == "Procedimiento Administración de Correo Electrónico"
    assert proc.responsible_role == "Director TICS-CTEI"
    assert proc.change_control[0].date == dt.date(2014, 10, 2)


def test_shipped_definition_has_24_activities_from_1_to_24(proc: Procedure) -> None:
    assert list(proc.activities) == list(range(1, 25))
    assert (proc.first, proc.last) == (1, 24)


def test_the_eight_decisions_have_the_documents_targets(proc: Procedure) -> None:
    found = {a.number: (a.yes, a.no) for a in proc.decisions}
    assert found == DECISIONS


def test_every_other_activity_goes_to_the_next_number_and_24_ends(proc: Procedure) -> None:
    for number, a in proc.activities.items():
        if number in DECISIONS:
            assert a.next is None and a.kind == "decision"
        elif number == 24:
            assert (a.kind, a.next, proc.successors(24)) == ("end", None, ())
        else:
            assert (a.kind, a.next) == ("activity", number + 1)


def test_descriptions_are_transcribed_exactly_from_the_document(proc: Procedure) -> None:
    text = " ".join(DOCUMENT.read_text(encoding="utf-8").split())
    for a in proc.activities.values():
        if a.number == 12:  # split by a page break in the document
            assert a.description.startswith("¿La acción requerida es originada por una necesidad?")
            assert "SI: continúe con la siguiente actividad NO: pase a la actividad No. 9" in text
            continue
        assert f"{a.number} {a.description} Dirección TICS-CTEI" in text, a.number


def test_roles_follow_the_documents_quien_column(proc: Procedure) -> None:
    for a in proc.activities.values():
        expected = (
            "Director TICS-CTEI" if a.number in DIRECTOR_ACTIVITIES else "Profesional Universitario"
        )
        assert (a.number, a.role, a.dependencia) == (a.number, expected, "Dirección TICS-CTEI")


def test_activity_3_keeps_the_user_creation_form_as_its_control_record(proc: Procedure) -> None:
    assert proc.activities[3].record == "Formato de Creación de Usuarios"
    assert [a.number for a in proc.activities.values() if a.record] == [3]


def test_decision_questions_are_the_documents(proc: Procedure) -> None:
    assert proc.activities[2].question == "Servicio OK ?"
    assert proc.activities[14].question == "Se restablece el Servicio?"
    assert proc.activities[12].no_text == "pase a la actividad No. 9"


def test_odd_points_of_the_document_are_recorded_as_observations(proc: Procedure) -> None:
    assert "regreso a la actividad 9" in (proc.activities[12].observation or "")
    assert "17 → 18" in (proc.activities[17].observation or "")
    assert "19 → 20" in (proc.activities[19].observation or "")
    joined = " ".join(proc.observations)
    assert "02/10/2014" in joined and "GTI-PR-05" in joined


def test_each_activity_names_the_notebook_that_serves_it(proc: Procedure) -> None:
    assert proc.activities[3].notebook == "02_usuarios"
    assert proc.activities[9].notebook == "03_activacion"
    assert proc.activities[24].notebook == "00_procedimiento"
    assert all(a.notebook for a in proc.activities.values())


def test_the_loops_of_the_flow_are_10_to_7_and_12_to_9(proc: Procedure) -> None:
    assert proc.loop_edges == {(10, 7), (12, 9)}


def test_an_edited_copy_loads_from_a_path(tmp_path: Path, raw_definition: dict[str, Any]) -> None:
    raw_definition["version"] = "02"
    assert load_procedure(write(tmp_path, raw_definition)).version == "02"


def test_a_missing_target_names_the_activity_and_rule(
    tmp_path: Path, raw_definition: dict[str, Any]
) -> None:
    activity(raw_definition, 14)["yes"] = 99
    with pytest.raises(
        ProcedureDefinitionError,
        match=r"actividad 14: la respuesta SI apunta a la actividad 99, que no existe",
    ) as err:
        load_procedure(write(tmp_path, raw_definition))
    assert (err.value.activity, err.value.rule) == (14, "destino-existente")
    assert isinstance(err.value, DefinitionError)


def test_a_missing_next_target_is_refused(tmp_path: Path, raw_definition: dict[str, Any]) -> None:
    activity(raw_definition, 22)["next"] = 30
    with pytest.raises(
        ProcedureDefinitionError, match=r"actividad 22: la siguiente actividad .* 30, que no existe"
    ):
        load_procedure(write(tmp_path, raw_definition))


def test_a_decision_without_its_no_answer_is_refused(
    tmp_path: Path, raw_definition: dict[str, Any]
) -> None:
    del activity(raw_definition, 10)["no"]
    with pytest.raises(
        ProcedureDefinitionError, match=r"actividad 10: es una decisión y le falta «no»"
    ) as err:
        load_procedure(write(tmp_path, raw_definition))
    assert err.value.rule == "decision-completa"


def test_a_decision_whose_answers_agree_is_refused(
    tmp_path: Path, raw_definition: dict[str, Any]
) -> None:
    activity(raw_definition, 16)["no"] = 17
    with pytest.raises(
        ProcedureDefinitionError,
        match=r"actividad 16: las respuestas SI y NO llevan ambas a la actividad 17",
    ):
        load_procedure(write(tmp_path, raw_definition))


def test_an_unreachable_activity_is_named(tmp_path: Path, raw_definition: dict[str, Any]) -> None:
    activity(raw_definition, 2)["no"] = 4  # nothing leads to 3 any more
    activity(raw_definition, 2)["yes"] = 5
    with pytest.raises(
        ProcedureDefinitionError,
        match=r"actividad 3: no se puede llegar a ella desde la actividad 1 \(regla",
    ) as err:
        load_procedure(write(tmp_path, raw_definition))
    assert err.value.rule == "alcanzable"


def test_an_activity_that_cannot_reach_the_end_is_named(
    tmp_path: Path, raw_definition: dict[str, Any]
) -> None:
    activity(raw_definition, 20)["next"] = 19  # 19 <-> 20 is a trap with no way out
    with pytest.raises(
        ProcedureDefinitionError,
        match=r"actividad 15: desde ella no se llega a la actividad final 24 \(tampoco las actividades 16, 17, 18, 19, 20\)",
    ) as err:
        load_procedure(write(tmp_path, raw_definition))
    assert err.value.rule == "llega-al-fin"


def test_an_unknown_role_is_refused(tmp_path: Path, raw_definition: dict[str, Any]) -> None:
    activity(raw_definition, 5)["role"] = "Secretario"
    with pytest.raises(
        ProcedureDefinitionError, match=r"actividad 5: el rol «Secretario» no está entre los roles"
    ):
        load_procedure(write(tmp_path, raw_definition))


def test_a_repeated_number_is_refused(tmp_path: Path, raw_definition: dict[str, Any]) -> None:
    activity(raw_definition, 6)["number"] = 5
    with pytest.raises(ProcedureDefinitionError, match=r"actividad 5: el número está repetido"):
        load_procedure(write(tmp_path, raw_definition))


def test_two_end_activities_are_refused(tmp_path: Path, raw_definition: dict[str, Any]) -> None:
    activity(raw_definition, 23).update(kind="end", next=None)
    with pytest.raises(
        ProcedureDefinitionError,
        match=r"exactamente una actividad de tipo «end» y hay 2 \(23, 24\)",
    ):
        load_procedure(write(tmp_path, raw_definition))


def test_a_file_that_is_not_json_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "roto.json"
    path.write_text("{ no es json", encoding="utf-8")
    with pytest.raises(
        ProcedureDefinitionError, match=r"roto\.json: el archivo no es JSON válido \(línea 1"
    ):
        load_procedure(path)


def test_a_missing_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(
        ProcedureDefinitionError, match=r"no_existe\.json: no se pudo leer el archivo de definición"
    ):
        load_procedure(tmp_path / "no_existe.json")


def test_a_file_of_another_schema_is_refused(
    tmp_path: Path, raw_definition: dict[str, Any]
) -> None:
    raw_definition["schema"] = "otra-cosa"
    with pytest.raises(
        ProcedureDefinitionError, match=r"la clave «schema» debe ser «mailops.procedure/1»"
    ):
        load_procedure(write(tmp_path, raw_definition))


def test_asking_for_an_activity_that_does_not_exist_names_it(proc: Procedure) -> None:
    with pytest.raises(
        ProcedureDefinitionError,
        match=r"actividad 25: no existe en el procedimiento GTI-PR-05 versión 01",
    ):
        proc.successors(25)
