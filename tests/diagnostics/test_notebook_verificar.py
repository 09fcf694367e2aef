"""``notebooks/01_verificar_servicio.ipynb`` runs head-less against the emulator and records
its answers to activities 2 and 7."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from mailops.emulator import EmulatorServer
from mailops.records import read_outcomes
from mailops.records.runner import run_notebook
from mailops.settings import Settings
from tests.conftest import NOTEBOOKS, execute_notebook, point_kernels_at, settings_for
from tests.emulator_apis.support import Clock, running_emulator

NOTEBOOK = NOTEBOOKS / "01_verificar_servicio.ipynb"
CONTRACT = {
    "contrato_numero": "CD-TICS-045-2026",
    "contrato_proveedor": "Distribuidor autorizado",
    "contrato_fin": "2099-12-31",
}


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatorServer]:
    with running_emulator(tmp_path, Clock()) as emu:
        point_kernels_at(monkeypatch, settings_for(emu, tmp_path))
        monkeypatch.delenv("MAILOPS_TEST_MAILBOX", raising=False)
        yield emu


def execute(tmp_path: Path, **parameters: Any) -> Any:
    return execute_notebook(NOTEBOOK, tmp_path / "ejecutado.ipynb", **parameters)


def test_the_committed_notebook_has_outputs_stripped_and_a_parameters_cell() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata.get("tags", [])
    assert "interactive: bool = True" in code[0].source


@pytest.mark.slow
def test_a_healthy_domain_is_recorded_as_ok_and_active(
    server: EmulatorServer, tmp_path: Path
) -> None:
    nb = execute(tmp_path, interactive=False, espera_segundos=5, **CONTRACT)
    outcomes = read_outcomes(nb)
    assert outcomes["decisiones"] == {"2": "Sí", "7": "Sí"}
    assert outcomes["verificacion_servicio"]["correo_activo"] is True
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "¿Servicio OK? (actividad 2): Sí" in text


@pytest.mark.slow
def test_interactive_mode_shows_the_form_and_waits(server: EmulatorServer, tmp_path: Path) -> None:
    nb = execute(tmp_path, interactive=True)
    kinds = {k for c in nb.cells for o in c.get("outputs", []) for k in o.get("data", {})}
    assert "application/vnd.jupyter.widget-view+json" in kinds
    assert read_outcomes(nb) == {}


@pytest.mark.slow
def test_a_batch_run_is_archived_with_its_decisions(server: EmulatorServer, tmp_path: Path) -> None:
    settings = Settings(
        emulator_url=server.base_url,
        state_dir=tmp_path / "estado",
        archive_root=tmp_path / "reports" / "archive",
    )
    archived = run_notebook(
        NOTEBOOK,
        {"espera_segundos": 5, **CONTRACT},
        settings=settings,
        notebooks_dir=NOTEBOOKS,
        operator="Profesional Universitario de turno",
    )
    assert archived.status == "passed", archived.record
    assert archived.record.outcomes["decisiones"] == {"2": "Sí", "7": "Sí"}
    assert archived.folder.is_relative_to(tmp_path / "reports" / "archive")
    assert archived.record.activities == (1, 2, 6, 7)
    assert [(d.activity, d.answer_label) for d in archived.record.decisions] == [
        (2, "SI"),
        (7, "SI"),
    ]
    assert "Admin SDK" in archived.record.decisions[0].reason


@pytest.mark.slow
def test_with_a_procedure_run_it_answers_activity_2_and_the_run_moves_on(
    server: EmulatorServer, tmp_path: Path
) -> None:
    from mailops.procedure import ProcedureRun, load_procedure
    from mailops.records.master import prepare_run

    settings = Settings(
        emulator_url=server.base_url,
        state_dir=tmp_path / "estado",
        archive_root=tmp_path / "reports" / "archive",
    )
    view = prepare_run(
        load_procedure(),
        settings=settings,
        notebooks_dir=NOTEBOOKS,
        solicitud="Verificación del servicio",
        solicitado_por="Dirección TICS-CTEI",
        operador="Laura Gómez",
        rol_operador="Director TICS-CTEI",
    )
    archived = run_notebook(
        NOTEBOOK,
        {
            "espera_segundos": 5,
            "ejecucion": view.run_file,
            "rol_operador": "Director TICS-CTEI",
            **CONTRACT,
        },
        settings=settings,
        notebooks_dir=NOTEBOOKS,
    )
    assert archived.status == "passed", archived.record
    assert archived.record.procedure_run_id == view.run.run_id
    run = ProcedureRun.load(settings.state_dir / view.run_file, load_procedure())
    assert run.visited == [1, 2, 4]
    assert [(d.activity, d.answer_label) for d in run.decisions] == [(2, "SI")]
