"""``notebooks/02_usuarios.ipynb`` runs head-less against the emulator and keeps secrets out."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from mailops.provisioning.credentials import CredentialsFile
from mailops.records import read_outcomes
from mailops.records.runner import run_notebook
from mailops.settings import Settings
from mailops.workspace import Workspace
from tests.conftest import NOTEBOOKS, execute_notebook, point_kernels_at
from tests.provisioning.conftest import people, write_csv

NOTEBOOK = NOTEBOOKS / "02_usuarios.ipynb"


@pytest.fixture
def kernel_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    point_kernels_at(monkeypatch, settings)
    return settings


def test_the_committed_notebook_has_outputs_stripped_and_a_parameters_cell() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata.get("tags", [])
    assert "interactive: bool = True" in code[0].source


@pytest.mark.slow
def test_the_notebook_plans_and_applies_headless_and_records_its_outcome(
    kernel_env: Settings, ws: Workspace, tmp_path: Path
) -> None:
    form = write_csv(tmp_path / "solicitudes.csv", people(3))
    out = tmp_path / "ejecutado.ipynb"
    executed = execute_notebook(NOTEBOOK, out, formato=str(form), aplicar=True, interactive=False)
    outcome = read_outcomes(executed)["usuarios"]
    assert outcome["resultado"]["cuentas_creadas"] == [
        "andres.pena@cajica.example",
        "beatriz.pena@cajica.example",
        "camilo.pena@cajica.example",
    ]
    assert ws.directory.users_find("andres.pena@cajica.example") is not None
    creds_path = Path(outcome["resultado"]["archivo_credenciales"])
    creds = CredentialsFile(creds_path)
    text = out.read_text(encoding="utf-8")
    for doc in ("70000000", "70000001", "70000002"):
        password = creds.password_for(doc)
        assert password and password not in text


@pytest.mark.slow
def test_the_archived_run_holds_no_password(kernel_env: Settings, tmp_path: Path) -> None:
    form = write_csv(tmp_path / "solicitudes.csv", people(2))
    archived = run_notebook(
        NOTEBOOK,
        {"formato": str(form), "aplicar": True},
        settings=kernel_env,
        notebooks_dir=NOTEBOOKS,
    )
    assert archived.status == "passed", archived.record
    record_text = "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in archived.folder.rglob("*")
        if p.is_file()
    )
    (creds_file,) = (kernel_env.state_dir / "credenciales").glob("*.csv")
    creds = CredentialsFile(creds_file)
    for doc in ("70000000", "70000001"):
        password = creds.password_for(doc)
        assert password and password not in record_text
    assert json.dumps("credenciales_emitidas")[1:-1] in record_text
    # without a procedure run, the record still says which activities the notebook served
    assert archived.record.activities == (3, 5)


@pytest.mark.slow
def test_the_notebook_runs_headless_with_its_interactive_form_too(
    kernel_env: Settings, ws: Workspace, tmp_path: Path
) -> None:
    form = write_csv(tmp_path / "solicitudes.csv", people(1))
    executed = execute_notebook(
        NOTEBOOK, tmp_path / "interactivo.ipynb", formato=str(form), aplicar=True, interactive=True
    )
    kinds = {k for c in executed.cells for o in c.get("outputs", []) for k in o.get("data", {})}
    assert "application/vnd.jupyter.widget-view+json" in kinds  # the form is shown
    # interactive: the plan and the apply come from the form's buttons, and the official record
    # from the archived batch run they start; the notebook's own cells record nothing
    assert read_outcomes(executed) == {}
    assert ws.directory.users_find("andres.pena@cajica.example") is None
