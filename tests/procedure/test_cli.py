from __future__ import annotations

import json
from pathlib import Path

import pytest
from matplotlib.image import imread

from mailops.cli import main
from mailops.procedure import Operator, Procedure, ProcedureRun, RunRequest


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def saved_run(proc: Procedure, operator: Operator, request_: RunRequest, tmp_path: Path) -> Path:
    run = ProcedureRun.start(proc, request=request_, operator=operator, run_id="cli-1")
    for target in (2, 4, 6, 7):
        run.move_to(target, reason="prueba")
    return run.save(tmp_path / "run.json")


def test_show_prints_the_procedure_in_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["procedure", "show"], capsys)
    assert code == 0
    assert "Procedimiento Administración de Correo Electrónico" in out
    assert "24. [Fin] Archivo Magnético de los Formatos de solicitud Tecnológica" in out


def test_show_json_is_parseable_with_the_contract_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["procedure", "show", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and len(data["activities"]) == 24
    assert {"number", "description", "role", "next"} <= set(data["activities"][0])
    assert {"question", "yes", "no"} <= set(data["activities"][1])


def test_show_markdown_with_a_run_marks_its_current_activity(
    saved_run: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["procedure", "show", "--markdown", "--run", str(saved_run)], capsys)
    assert code == 0 and "| ▶ | 7 |" in out


def test_show_refuses_json_and_markdown_together(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["procedure", "show", "--json", "--markdown"], capsys)
    assert (code, err.strip()) == (2, "Error: Use --json o --markdown, no ambos.")


def test_flowchart_writes_a_png_with_the_run_highlighted(
    saved_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_png = tmp_path / "flujo.png"
    code, out, _ = run_cli(
        ["procedure", "flowchart", str(out_png), "--run", str(saved_run), "--dpi", "50"], capsys
    )
    assert code == 0 and out.strip() == f"Diagrama de flujo guardado en {out_png}"
    assert imread(out_png).shape[1] == 600


def test_flowchart_refuses_an_unknown_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(["procedure", "flowchart", str(tmp_path / "flujo.pdf")], capsys)
    assert code == 2 and "debe terminar en .png o .svg (se recibió «.pdf»)" in err


def test_a_broken_run_file_is_reported_in_spanish_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "malo.json"
    bad.write_text("[", encoding="utf-8")
    code, _, err = run_cli(["procedure", "show", "--run", str(bad)], capsys)
    assert code == 1 and f"Error: {bad}: el archivo no es JSON válido" in err


def test_a_broken_definition_is_reported_as_a_definition_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "def.json"
    bad.write_text("{}", encoding="utf-8")
    code, _, err = run_cli(["procedure", "show", "--definicion", str(bad)], capsys)
    assert code == 3 and "la clave «schema» debe ser «mailops.procedure/1»" in err
