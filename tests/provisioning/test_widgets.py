"""The notebook's interactive form: plan on click, apply only once confirmed."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailops.provisioning.widgets import users_form
from mailops.settings import Settings
from mailops.workspace import Workspace
from tests.conftest import point_kernels_at
from tests.provisioning.conftest import people, write_csv

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "02_usuarios.ipynb"


@pytest.mark.slow
def test_the_form_plans_then_applies_in_an_archived_run_only_after_confirmation(
    ws: Workspace,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    point_kernels_at(monkeypatch, settings)
    form_path = write_csv(tmp_path / "f.csv", people(2))
    form = users_form(
        ws,
        form_path=str(form_path),
        rule="{nombre}.{apellido}",
        archive_parameters={"operador": "Laura Gómez"},
        notebook=str(NOTEBOOK),
    )
    assert form.apply_button.disabled
    form.plan_button.click()
    assert form.plan is not None and form.plan.counts["create"] == 2
    assert not form.apply_button.disabled
    form.apply_button.click()  # not confirmed yet
    assert form.archived is None
    form.confirm.value = True
    form.apply_button.click()
    assert form.archived is not None and form.archived.status == "passed"
    created = form.archived.record.outcomes["usuarios"]["resultado"]["cuentas_creadas"]
    assert created == ["andres.pena@cajica.example", "beatriz.pena@cajica.example"]
    assert form.archived.record.operator == "Laura Gómez"
    assert form.archived.record.parameters["formato"] == str(form_path)
    assert ws.directory.users_find("andres.pena@cajica.example") is not None
    capsys.readouterr()


def test_a_bad_path_shows_a_spanish_error_and_no_plan(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = users_form(ws, form_path=str(tmp_path / "no.csv"), rule="{nombre}.{apellido}")
    form.plan_button.click()
    assert form.plan is None and form.apply_button.disabled
    assert "no existe el archivo del formato" in form.message
    capsys.readouterr()


def test_a_bad_procedure_run_file_is_refused_before_planning(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form_path = write_csv(tmp_path / "f.csv", people(1))
    form = users_form(
        ws, form_path=str(form_path), rule="{nombre}.{apellido}", run_file="procedimiento/no.json"
    )
    form.plan_button.click()
    assert form.plan is None and form.apply_button.disabled
    assert "no existe la ejecución del procedimiento" in form.message
    capsys.readouterr()
