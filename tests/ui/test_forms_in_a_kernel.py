"""The form in a real kernel: errors stay Spanish (not ipywidgets' traceback), and the archive
button runs the notebook in batch into the archive."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

FIXTURES = Path(__file__).resolve().parents[1] / "records" / "notebooks"

CODE = """
import json
NOTEBOOK = NOTEBOOK_PATH
from mailops.errors import InputError
from mailops.ui import show_form

def falla(solicitud, repeticiones):
    raise InputError("«treinta» no es un número", where="repeticiones")

form = show_form({"solicitud": "Prueba", "repeticiones": 2}, falla, True, archive_as=NOTEBOOK,
                 archive_parameters={"operador": "Laura Gómez"})
form.submit.click()
errores = [o for o in form.output.outputs if o.get("output_type") == "error"]
html = [o["data"].get("text/html", "") for o in form.output.outputs if o.get("output_type") == "display_data"]
print(json.dumps({"errores": len(errores), "html": html}))
form.fields["repeticiones"].value = 3
form.archive.click()
html = [o["data"].get("text/html", "") for o in form.output.outputs if o.get("output_type") == "display_data"]
print(json.dumps({"archivo": html}))
"""


@pytest.mark.slow
def test_errors_are_spanish_and_the_archive_button_archives_a_batch_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "archive"
    monkeypatch.setenv("MAILOPS_ARCHIVE_ROOT", str(archive))
    monkeypatch.setenv("MAILOPS_STATE_DIR", str(tmp_path / "estado"))
    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = [
        nbformat.v4.new_code_cell(CODE.replace("NOTEBOOK_PATH", repr(str(FIXTURES / "ok.ipynb"))))
    ]  # type: ignore[no-untyped-call]
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(FIXTURES)}}
    ).execute()
    lines = [
        json.loads(line)
        for o in nb.cells[0].outputs
        if o.get("name") == "stdout"
        for line in o["text"].splitlines()
        if line.startswith("{")
    ]
    first, second = lines
    assert first["errores"] == 0
    assert any("«treinta» no es un número" in h and "Error:" in h for h in first["html"])
    summary = " ".join(second["archivo"])
    assert "Ejecución archivada: completada" in summary
    (folder,) = [p for p in archive.rglob("record.json")]
    record = json.loads(folder.read_text(encoding="utf-8"))
    assert record["notebook"] == "ok"
    assert (
        record["parameters"]["repeticiones"] == 3 and record["parameters"]["interactive"] is False
    )
    assert record["operator"] == "Laura Gómez"
