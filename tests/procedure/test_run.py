from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from mailops.errors import InputError, MailopsError
from mailops.procedure import (
    LoopLimitExceeded,
    Operator,
    Procedure,
    ProcedureDefinitionError,
    ProcedureRun,
    RunRecordError,
    RunRequest,
    TransitionNotAllowed,
    load_procedure,
)
from tests.procedure.clock import StepClock
from tests.procedure.paths import legal_paths

Clock = Callable[[], dt.datetime]
T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def start(
    proc: Procedure, operator: Operator, request_: RunRequest, clock: Clock, max_loops: int = 3
) -> ProcedureRun:
    return ProcedureRun.start(
        proc,
        request=request_,
        operator=operator,
        clock=clock,
        run_id="run-0001",
        max_loops=max_loops,
    )


def walk(run: ProcedureRun, path: tuple[int, ...] | list[int]) -> None:
    """Follow ``path`` (which starts at the run's current activity) with move_to."""
    assert run.current == path[0]
    for target in path[1:]:
        run.move_to(target, reason=f"camino hacia {target}")


@pytest.fixture
def run(proc: Procedure, operator: Operator, request_: RunRequest, clock: Clock) -> ProcedureRun:
    return start(proc, operator, request_, clock)


def test_a_run_starts_in_activity_1_with_its_notebook(run: ProcedureRun) -> None:
    assert (run.current, run.visited, run.finished) == (1, [1], False)
    assert run.next_notebook == "01_verificar_servicio"
    assert run.allowed_moves == (2,)


@pytest.mark.parametrize("path", legal_paths(load_procedure()), ids=lambda p: "-".join(map(str, p)))
def test_every_legal_path_from_1_to_24_is_accepted(
    path: tuple[int, ...], proc: Procedure, operator: Operator, request_: RunRequest, clock: Clock
) -> None:
    run = start(proc, operator, request_, clock)
    walk(run, path)
    assert run.current == 24 and not run.finished
    run.complete(evidence={"archivo": "formatos archivados"})
    assert run.finished and run.current is None and run.next_notebook is None
    assert tuple(run.visited) == path


def test_the_enumeration_covers_every_edge_of_the_flow(proc: Procedure) -> None:
    paths = legal_paths(proc)
    walked = {edge for p in paths for edge in itertools.pairwise(p)}
    declared = {(a.number, t) for a in proc.activities.values() for t in a.successors}
    assert walked == declared
    assert len(paths) == 240


def test_a_move_the_flow_does_not_allow_is_refused(run: ProcedureRun) -> None:
    with pytest.raises(
        TransitionNotAllowed,
        match=r"no permite pasar de la actividad 1 a la 3: desde la actividad 1 solo se puede pasar a la 2\.",
    ):
        run.move_to(3)
    assert (run.current, len(run.entries)) == (1, 2)


def test_a_decision_only_moves_to_its_yes_or_no_target(run: ProcedureRun) -> None:
    run.complete()
    with pytest.raises(
        TransitionNotAllowed, match=r"desde la actividad 2 solo se puede pasar a la 4 o 3"
    ):
        run.move_to(5, reason="atajo")


def test_completing_a_decision_is_refused(run: ProcedureRun) -> None:
    run.complete()
    with pytest.raises(
        TransitionNotAllowed,
        match=r"La actividad 2 es una decisión \(«Servicio OK \?»\): respóndala con SI o NO",
    ):
        run.complete()


def test_answering_an_activity_that_is_not_a_decision_is_refused(run: ProcedureRun) -> None:
    with pytest.raises(TransitionNotAllowed, match=r"La actividad 1 .* no es una decisión"):
        run.decide(True, "porque sí")


def test_a_decision_without_a_reason_is_refused(run: ProcedureRun) -> None:
    run.complete()
    with pytest.raises(
        InputError, match=r"decisión de la actividad 2: toda decisión necesita el motivo"
    ):
        run.decide(True, "  ")


def test_decide_follows_the_answer_and_records_why(run: ProcedureRun, director: Operator) -> None:
    run.complete()
    run.decide(False, "El tablero de estado muestra una interrupción", by=director)
    assert run.current == 3
    [decision] = run.decisions
    assert (decision.activity, decision.answer, decision.answer_label) == (2, False, "NO")
    assert decision.reason == "El tablero de estado muestra una interrupción"
    assert decision.by == director
    assert decision.at == T0 + dt.timedelta(minutes=2)


def test_a_finished_run_refuses_any_further_move(run: ProcedureRun) -> None:
    walk(run, [1, 2, 4, 6, 7, 12, 13, 14, 21, 22, 23, 24])
    run.complete()
    with pytest.raises(
        TransitionNotAllowed, match=r"La ejecución run-0001 ya terminó \(actividad 24\)"
    ):
        run.complete()


def test_a_loop_beyond_the_limit_is_refused(
    proc: Procedure, operator: Operator, request_: RunRequest, clock: Clock
) -> None:
    run = start(proc, operator, request_, clock, max_loops=1)
    walk(run, [1, 2, 4, 6, 7, 8, 9, 10, 7, 8, 9, 10])
    with pytest.raises(
        LoopLimitExceeded, match=r"El ciclo 10 → 7 ya se recorrió 1 veces \(límite 1\)"
    ):
        run.decide(False, "la prueba volvió a fallar")
    assert run.current == 10 and run.loops_taken(10, 7) == 1


def test_the_loop_limit_counts_each_loop_separately(
    proc: Procedure, operator: Operator, request_: RunRequest, clock: Clock
) -> None:
    run = start(proc, operator, request_, clock, max_loops=1)
    walk(run, [1, 2, 4, 6, 7, 8, 9, 10, 7, 12, 9, 10, 11, 12, 13])
    assert (run.loops_taken(10, 7), run.loops_taken(12, 9)) == (1, 1)


def test_a_negative_loop_limit_is_refused(
    proc: Procedure, operator: Operator, request_: RunRequest, clock: Clock
) -> None:
    with pytest.raises(InputError, match=r"max_loops: el límite de vueltas debe ser un entero ≥ 0"):
        start(proc, operator, request_, clock, max_loops=-1)


def test_steps_record_start_end_person_and_evidence(run: ProcedureRun, director: Operator) -> None:
    run.record_evidence(
        {"contrato": "CD-2026-014", "vigente_hasta": "2026-12-31"}, links=["contrato.pdf"]
    )
    run.complete(by=director)
    first, second = run.steps
    assert (first.activity, first.started_at, first.ended_at) == (
        1,
        T0,
        T0 + dt.timedelta(minutes=2),
    )
    assert first.by == director
    [evidence] = first.evidence
    assert evidence.data == {"contrato": "CD-2026-014", "vigente_hasta": "2026-12-31"}
    assert evidence.links == ("contrato.pdf",)
    assert (second.activity, second.ended_at, second.decision) == (2, None, None)


def test_evidence_that_looks_like_a_secret_is_refused(run: ProcedureRun) -> None:
    with pytest.raises(
        InputError,
        match=r"evidencia de la actividad 1: la clave «password_inicial» parece un secreto",
    ):
        run.record_evidence({"usuario": "ana", "detalle": {"password_inicial": "x"}})
    assert len(run.entries) == 2


def test_evidence_that_is_not_json_is_refused(run: ProcedureRun) -> None:
    with pytest.raises(
        InputError,
        match=r"evidencia de la actividad 1: la evidencia debe poderse guardar como JSON",
    ):
        run.record_evidence({"cuando": dt.date(2026, 1, 1)})


def test_a_correction_is_appended_and_the_original_kept(run: ProcedureRun) -> None:
    original = run.record_evidence({"buzones": 120})
    fix = run.correct(original.seq, "Eran 210 buzones, no 120", data={"buzones": 210})
    assert run.entries[original.seq] == original
    assert (fix.kind, fix.refers_to, fix.activity, fix.data) == (
        "correction",
        original.seq,
        1,
        {"buzones": 210},
    )
    assert run.corrections == [fix]


def test_a_correction_of_an_unknown_entry_is_refused(run: ProcedureRun) -> None:
    with pytest.raises(InputError, match=r"no existe la entrada 40 del historial \(hay 2\)"):
        run.correct(40, "no existe")


def test_a_clock_without_time_zone_is_refused(
    proc: Procedure, operator: Operator, request_: RunRequest
) -> None:
    with pytest.raises(
        InputError, match=r"reloj de la ejecución: el reloj debe devolver fechas con zona horaria"
    ):
        start(proc, operator, request_, lambda: dt.datetime(2026, 1, 1))


def test_an_operator_without_name_is_refused() -> None:
    with pytest.raises(InputError, match=r"operador: el operador necesita nombre y rol"):
        Operator(" ", "Profesional Universitario")


def test_a_request_without_what_is_refused() -> None:
    with pytest.raises(
        InputError, match=r"solicitud: la solicitud necesita qué se pide y quién lo pide"
    ):
        RunRequest("", "Hacienda")


def test_save_then_load_gives_the_same_run(
    run: ProcedureRun, proc: Procedure, tmp_path: Path
) -> None:
    run.record_evidence({"estado": "verde"}, links=["reports/estado.html"])
    walk(run, [1, 2, 4, 6, 7, 8, 9, 10, 7])
    loaded = ProcedureRun.load(run.save(tmp_path / "run.json"), proc)
    assert loaded.to_dict() == run.to_dict()
    assert (loaded.current, loaded.visited, loaded.decisions) == (
        run.current,
        run.visited,
        run.decisions,
    )
    assert loaded.loops_taken(10, 7) == 1


def test_a_resumed_run_ends_like_an_uninterrupted_one(
    proc: Procedure, operator: Operator, request_: RunRequest, tmp_path: Path
) -> None:
    path = [1, 2, 3, 4, 5, 6, 7, 12, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]
    straight = start(proc, operator, request_, StepClock())
    walk(straight, path)
    straight.complete()

    clock = StepClock()
    interrupted = start(proc, operator, request_, clock)
    walk(interrupted, path[:9])
    interrupted.save(tmp_path / "run.json")
    resumed = ProcedureRun.load(tmp_path / "run.json", proc, clock=clock)
    walk(resumed, path[8:])
    resumed.complete()
    assert resumed.to_dict() == straight.to_dict()


def test_the_saved_record_is_readable_json_with_the_derived_path(
    run: ProcedureRun, tmp_path: Path
) -> None:
    walk(run, [1, 2, 4])
    data = json.loads(run.save(tmp_path / "run.json").read_text(encoding="utf-8"))
    assert data["procedure"] == {"code": "GTI-PR-05", "version": "01"}
    assert (data["visited"], data["current"], data["finished"]) == ([1, 2, 4], 4, False)
    assert data["decisions"][0]["answer"] == "SI"
    assert [step["activity"] for step in data["steps"]] == [1, 2, 4]
    assert data["steps"][1]["decision"]["reason"] == "camino hacia 4"
    assert data["steps"][2] | {"started_at": None} == {
        "activity": 4,
        "description": data["steps"][2]["description"],
        "role": "Profesional Universitario",
        "notebook": "00_procedimiento",
        "started_at": None,
        "ended_at": None,
        "by": None,
        "evidence": [],
        "decision": None,
    }


def test_loading_a_file_that_is_not_json_names_the_file(proc: Procedure, tmp_path: Path) -> None:
    path = tmp_path / "ejecucion.json"
    path.write_text("esto no es json", encoding="utf-8")
    with pytest.raises(RunRecordError, match=r"ejecucion\.json: el archivo no es JSON válido"):
        ProcedureRun.load(path, proc)


def test_loading_a_missing_file_names_the_file(proc: Procedure, tmp_path: Path) -> None:
    with pytest.raises(
        RunRecordError, match=r"falta\.json: no se pudo leer el registro de ejecución"
    ):
        ProcedureRun.load(tmp_path / "falta.json", proc)


def test_loading_a_run_of_another_procedure_version_is_refused(
    run: ProcedureRun, proc: Procedure, tmp_path: Path
) -> None:
    data = run.to_dict()
    data["procedure"]["version"] = "02"
    path = tmp_path / "v02.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        RunRecordError,
        match=r"v02\.json: la ejecución es del procedimiento GTI-PR-05 versión 02, pero está cargado GTI-PR-05 versión 01",
    ):
        ProcedureRun.load(path, proc)


def test_loading_a_history_with_an_illegal_move_is_refused(
    run: ProcedureRun, proc: Procedure, tmp_path: Path
) -> None:
    walk(run, [1, 2, 4])
    data = run.to_dict()
    data["entries"][-1]["activity"] = 5  # 2 answered SI must enter 4, not 5
    path = tmp_path / "alterado.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        RunRecordError,
        match=r"alterado\.json: la entrada 5 \(enter\) no es válida: El procedimiento no permite pasar de la actividad 2 a la 5",
    ):
        ProcedureRun.load(path, proc)


def test_loading_a_history_with_a_missing_entry_is_refused(
    run: ProcedureRun, proc: Procedure
) -> None:
    walk(run, [1, 2, 4])
    data = run.to_dict()
    del data["entries"][2]
    with pytest.raises(
        RunRecordError,
        match=r"la entrada 2 del historial tiene número 3: el historial fue alterado",
    ):
        ProcedureRun.from_dict(data, proc)


def test_loading_something_that_is_not_a_run_record_is_refused(proc: Procedure) -> None:
    with pytest.raises(
        RunRecordError,
        match=r"registro de ejecución: no es un registro de ejecución del procedimiento",
    ):
        ProcedureRun.from_dict({"hola": 1}, proc)


def test_run_errors_are_operational_mailops_errors() -> None:
    assert issubclass(TransitionNotAllowed, MailopsError)
    assert issubclass(RunRecordError, InputError)


def test_starting_with_something_that_is_not_a_request_is_refused(
    proc: Procedure, operator: Operator, clock: Clock
) -> None:
    with pytest.raises(InputError, match=r"solicitud: se esperaba un RunRequest, se recibió str"):
        ProcedureRun.start(proc, request="correo caído", operator=operator, clock=clock)  # type: ignore[arg-type]


def test_an_operator_whose_name_is_not_text_is_refused() -> None:
    with pytest.raises(InputError, match=r"operador: el operador necesita nombre y rol"):
        Operator(None, "Director TICS-CTEI")  # type: ignore[arg-type]


def test_an_answer_that_is_not_si_or_no_is_refused(run: ProcedureRun) -> None:
    run.complete()
    with pytest.raises(
        InputError, match=r"la respuesta debe ser SI \(True\) o NO \(False\), se recibió 'SI'"
    ):
        run.decide("SI", "texto en vez de booleano")  # type: ignore[arg-type]


def test_starting_without_a_procedure_is_a_definition_error(
    operator: Operator, request_: RunRequest
) -> None:
    with pytest.raises(ProcedureDefinitionError, match=r"ProcedureRun necesita un Procedure"):
        ProcedureRun.start(None, request=request_, operator=operator)  # type: ignore[arg-type]


def test_run_ids_and_times_are_injectable_so_records_are_reproducible(
    proc: Procedure, operator: Operator, request_: RunRequest
) -> None:
    one = start(proc, operator, request_, StepClock())
    two = start(proc, operator, request_, StepClock())
    walk(one, [1, 2, 4])
    walk(two, [1, 2, 4])
    assert one.to_dict() == two.to_dict()
