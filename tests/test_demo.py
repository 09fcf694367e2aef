"""The demonstration walk: one request through the procedure, every step archived."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailops.demo import walk
from mailops.emulator import EmulatorServer
from mailops.procedure import ProcedureRun, load_procedure
from mailops.records import RecordIndex, RecordQuery
from tests.conftest import NOTEBOOKS, point_kernels_at, settings_for


@pytest.mark.slow
def test_the_demo_walks_the_procedure_and_archives_every_step(
    emulator: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(emulator, tmp_path)
    point_kernels_at(monkeypatch, settings)
    steps = list(walk(settings, NOTEBOOKS))
    assert all(s.ok for s in steps), [(s.title, s.detail) for s in steps if not s.ok]
    archived = [s.record for s in steps if s.record is not None]
    assert [r.record.notebook for r in archived] == [
        "00_procedimiento",
        "01_verificar_servicio",
        "00_procedimiento",
        "02_usuarios",
        "01_verificar_servicio",
        "00_procedimiento",
        "10_reporte_uso",
    ]
    (run_file,) = (settings.state_dir / "procedimiento").glob("*.json")
    run = ProcedureRun.load(run_file, load_procedure())
    assert run.visited == [1, 2, 4, 5, 6, 7, 12, 9]
    assert [(d.activity, d.answer_label) for d in run.decisions] == [
        (2, "SI"),
        (4, "SI"),
        (7, "SI"),
        (12, "NO"),
    ]
    # each record says what that notebook did in the run
    assert [r.record.activities for r in archived[1:2] + archived[3:5]] == [(1, 2), (5,), (6, 7)]
    # the branch notebooks' records belong to the run and are found by it
    index = RecordIndex.open(settings.archive_root)
    found = index.search(RecordQuery(procedure_run_id=run.run_id))
    assert len(found) == 6
    assert (
        steps[-1].title == "Verificación del archivo magnético"
        and "7 registros íntegros" in steps[-1].detail
    )
    # the accounts of the sample form now exist in the Gobierno en Línea domain
    created = archived[3].record.outcomes["usuarios"]["resultado"]["cuentas_creadas"]
    assert created and all(a.endswith("@cajica.gov.example") for a in created)
    assert (settings.reports_root / "procedimiento" / f"{run.run_id}.png").is_file()
    # paths in the record are kept (not mistaken for secrets) and point at the usage page
    page = Path(archived[-1].record.outcomes["reporte_uso"]["archivo"])
    assert page.is_file() and page.is_relative_to(settings.reports_root / "uso")
    assert str(page) in steps[-2].detail
    assert "cuentas creadas:" in steps[3].detail
