"""``notebooks/10_reporte_uso.ipynb`` runs head-less against the emulator: charts in the
output, the HTML report in reports/uso, the figures in the record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from mailops.emulator import EmulatorServer
from mailops.records import read_outcomes
from tests.conftest import NOTEBOOKS, execute_notebook, point_kernels_at, settings_for
from tests.emulator_apis.support import LAST_USER_DAY, Clock, running_emulator

NOTEBOOK = NOTEBOOKS / "10_reporte_uso.ipynb"


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatorServer]:
    with running_emulator(tmp_path, Clock()) as emu:
        point_kernels_at(monkeypatch, settings_for(emu, tmp_path))
        yield emu


def test_the_committed_notebook_has_outputs_stripped_and_a_parameters_cell() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata.get("tags", [])
    assert "interactive: bool = True" in code[0].source


@pytest.mark.slow
def test_the_report_runs_headless_with_its_charts_and_html_export(
    server: EmulatorServer, tmp_path: Path
) -> None:
    nb = execute_notebook(
        NOTEBOOK, tmp_path / "ejecutado.ipynb", interactive=False, desde="", hasta=""
    )
    pngs = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    outcome = read_outcomes(nb)["reporte_uso"]
    html = Path(outcome["archivo"])
    assert len(pngs) == 4
    assert outcome["hasta"] == LAST_USER_DAY.isoformat()
    assert outcome["dias_con_datos"] == 30
    assert html.parent == tmp_path / "reports" / "uso"
    assert html.read_text(encoding="utf-8").count("data:image/png") == 4
