"""The master notebook runs head-less through the runner: start a run, then resume it."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from mailops.procedure import Operator, ProcedureRun, load_procedure
from mailops.records import ArchivedRecord, RecordIndex, RecordQuery, run_notebook
from mailops.settings import Settings, load_settings

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
MASTER = NOTEBOOKS / "00_procedimiento.ipynb"


@pytest.fixture(scope="module")
def runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[ArchivedRecord, ArchivedRecord, Settings]:
    root = tmp_path_factory.mktemp("master")
    settings = load_settings(
        env={"MAILOPS_ARCHIVE_ROOT": str(root / "archive"), "MAILOPS_STATE_DIR": str(root / "st")},
        cwd=root,
    )
    params = {"solicitud": "Cuenta para Tesorería", "operador": "Ana Ruiz"}
    first = run_notebook("00_procedimiento", params, settings=settings, notebooks_dir=NOTEBOOKS)
    # Between the two passes, the branch notebook of activities 1 and 2 would do its part.
    proc = load_procedure()
    run_file = first.record.outcomes["estado_guardado"]
    run = ProcedureRun.load(settings.state_dir / run_file, proc)
    ana = Operator("Ana Ruiz", "Director TICS-CTEI")
    run.complete(by=ana)
    run.decide(True, "contrato vigente", by=ana)
    run.save(settings.state_dir / run_file)
    second = run_notebook(
        "00_procedimiento",
        {**params, "run_file": run_file, "respuesta": "NO", "motivo": "dominio del municipio"},
        settings=settings,
        notebooks_dir=NOTEBOOKS,
    )
    return first, second, settings


def test_the_master_notebook_starts_a_run_head_less(
    runs: tuple[ArchivedRecord, ArchivedRecord, Settings],
) -> None:
    first, _, settings = runs
    assert first.status == "passed", first.record.failure
    assert first.record.procedure_code == load_procedure().code
    assert first.record.activities == (1,)
    assert first.record.operator == "Ana Ruiz"
    assert (settings.state_dir / first.record.outcomes["estado_guardado"]).is_file()


def test_the_master_notebook_names_the_next_activity_and_its_notebook(
    runs: tuple[ArchivedRecord, ArchivedRecord, Settings],
) -> None:
    first, second, _ = runs
    assert first.record.outcomes["siguiente"]["notebook"] == "01_verificar_servicio"
    assert second.record.outcomes["siguiente"]["activity"] == 6


def test_a_resumed_run_records_the_decision_taken_in_the_master_notebook(
    runs: tuple[ArchivedRecord, ArchivedRecord, Settings],
) -> None:
    first, second, _ = runs
    assert second.status == "passed", second.record.failure
    assert second.record.procedure_run_id == first.record.procedure_run_id
    assert second.record.activities == (1, 2, 4, 6)
    assert [(d.activity, d.answer_label) for d in second.record.decisions] == [(2, "SI"), (4, "NO")]


def test_the_master_notebook_links_the_earlier_records_of_its_run(
    runs: tuple[ArchivedRecord, ArchivedRecord, Settings],
) -> None:
    first, second, _ = runs
    text = second.notebook_file.read_text(encoding="utf-8")
    assert f"[{first.run_id}](" in text
    assert f"{first.record.relative_folder}/00_procedimiento.html" in text


def test_records_are_found_by_the_decision_taken(
    runs: tuple[ArchivedRecord, ArchivedRecord, Settings],
) -> None:
    _, second, settings = runs
    found = RecordIndex.open(settings.archive_root).search(RecordQuery(decision="4:NO"))
    assert [e.run_id for e in found] == [second.run_id]


def test_the_master_notebook_is_stored_without_outputs_and_parameters_first() -> None:
    nb = nbformat.read(MASTER, as_version=4)
    assert nb.cells[0].metadata.get("tags") == ["parameters"]
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)


def test_interactive_mode_shows_the_prefilled_form_and_waits_for_the_operator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import papermill

    monkeypatch.setenv("MAILOPS_ARCHIVE_ROOT", str(tmp_path / "archive"))
    monkeypatch.setenv("MAILOPS_STATE_DIR", str(tmp_path / "state"))
    nb = papermill.execute_notebook(
        str(MASTER),
        None,
        parameters={"interactive": True},
        progress_bar=False,
        cwd=str(NOTEBOOKS),
        kernel_name="python3",
        store_widget_state=False,
    )
    mimes = [m for c in nb.cells for o in c.get("outputs", []) for m in o.get("data", {})]
    assert "application/vnd.jupyter.widget-view+json" in mimes
    texts = [o["data"].get("text/markdown", "") for c in nb.cells for o in c.get("outputs", [])]
    assert any("pulse **Iniciar o retomar y archivar**" in t for t in texts)
    assert not (tmp_path / "state").exists()  # nothing started until the button is pressed
