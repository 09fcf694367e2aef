from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailops.cli import main
from tests.records.factories import NOTEBOOKS, SteppingClock, archive_simple


@pytest.fixture
def archive_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "archive"
    monkeypatch.setenv("MAILOPS_ARCHIVE_ROOT", str(root))
    monkeypatch.setenv("MAILOPS_STATE_DIR", str(tmp_path / "state"))
    return root


def _invoke(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_run_archives_the_notebook_and_prints_the_record_folder(
    archive_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    params = tmp_path / "params.yaml"
    params.write_text("solicitud: Creación de buzón\nrepeticiones: 5\n", encoding="utf-8")
    code, out, _ = _invoke(
        capsys,
        "run",
        str(NOTEBOOKS / "ok.ipynb"),
        "-f",
        str(params),
        "-p",
        "repeticiones",
        "2",
        "--operador",
        "Ana Ruiz",
        "--json",
    )
    assert code == 0
    summary = json.loads(out)
    assert summary["estado"] == "passed"
    assert summary["estado_texto"] == "completada"
    assert summary["solicitud"] == "Creación de buzón"
    record = json.loads((Path(summary["carpeta"]) / "record.json").read_text(encoding="utf-8"))
    assert record["parameters"]["repeticiones"] == 2  # -p wins over the file


def test_run_refuses_bad_parameters_in_spanish_without_archiving(
    archive_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _invoke(
        capsys, "run", str(NOTEBOOKS / "ok.ipynb"), "-p", "repeticiones", "muchas"
    )
    assert code == 1
    assert "«repeticiones» debe ser de tipo int" in err
    assert not archive_root.exists()


def test_archive_list_shows_records_in_chain_order(
    archive_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = archive_simple(archive_root, 3, SteppingClock())
    code, out, _ = _invoke(capsys, "archive", "list", "--json")
    assert code == 0
    assert [e["ejecucion"] for e in json.loads(out)] == [r.run_id for r in records]


def test_archive_show_prints_the_record_in_spanish(
    archive_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (record,) = archive_simple(archive_root, 1, SteppingClock())
    code, out, _ = _invoke(capsys, "archive", "show", record.run_id)
    assert code == 0
    assert "Estado: completada" in out
    assert "Operador: Carlos Pérez" in out


def test_archive_show_of_an_unknown_run_says_so_in_spanish(
    archive_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _invoke(capsys, "archive", "show", "2099")
    assert code == 1
    assert "No hay ningún registro «2099»" in err


def test_archive_search_finds_by_free_text(
    archive_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive_simple(archive_root, 2, SteppingClock())
    code, out, _ = _invoke(capsys, "archive", "search", "ana", "ruiz", "--operador", "perez")
    assert code == 0
    assert "2 registro(s)." in out


def test_archive_verify_passes_on_an_intact_archive(
    archive_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive_simple(archive_root, 2, SteppingClock())
    code, out, _ = _invoke(capsys, "archive", "verify")
    assert code == 0
    assert "Archivo íntegro: 2 registro(s) verificados" in out


def test_archive_verify_exits_non_zero_naming_each_bad_record(
    archive_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = archive_simple(archive_root, 3, SteppingClock())
    folder = records[1].folder
    folder.chmod(0o755)
    (folder / "02_usuarios.html").chmod(0o644)
    (folder / "02_usuarios.html").write_text("<html>alterado</html>")
    code, out, err = _invoke(capsys, "archive", "verify")
    name = folder.relative_to(archive_root).as_posix()
    assert code == 1
    assert f"{name}: el archivo 02_usuarios.html fue modificado" in out
    assert f"1 registro(s) con problemas: {name}" in err
