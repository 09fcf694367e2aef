"""Reading filled forms: both encodings, both separators, XLSX, headers, the template."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from mailops.errors import InputError
from mailops.provisioning.form import COLUMNS, read_form
from mailops.provisioning.template import write_templates
from tests.provisioning.conftest import HEADERS, KEYS, person, write_csv

FORMATOS = Path(__file__).resolve().parents[2] / "notebooks" / "formatos"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ";"), ("utf-8", ","), ("cp1252", ";"), ("cp1252", ","), ("utf-8-sig", ";")],
)
def test_csv_forms_read_the_same_in_every_encoding_and_separator(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = write_csv(
        tmp_path / "f.csv",
        [person(), person(nombres="Óscar", apellidos="Castañeda", documento="80234567")],
        encoding=encoding,
        delimiter=delimiter,
    )
    form = read_form(path)
    assert [r.get("nombres") for r in form.rows] == ["María José", "Óscar"]
    assert form.rows[1].get("apellidos") == "Castañeda"
    assert [r.number for r in form.rows] == [2, 3]
    assert form.header("vinculacion") == "Tipo de vinculación"


def test_an_xlsx_form_reads_dates_and_numbers_as_text(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Formato"
    sheet.append(["Alcaldía Municipal de Cajicá — Formato de Creación de Usuarios"])
    sheet.append(HEADERS)
    row = person(nombres="Ñuflo")
    values: list[object] = [row[k] for k in KEYS]
    values[KEYS.index("documento")] = 52123456
    values[KEYS.index("fecha_inicio")] = datetime(2026, 2, 1)
    values[KEYS.index("telefono")] = 3001234567.0
    sheet.append(values)
    book.save(tmp_path / "f.xlsx")
    form = read_form(tmp_path / "f.xlsx")
    (only,) = form.rows
    assert only.number == 3
    assert (only.get("nombres"), only.get("documento")) == ("Ñuflo", "52123456")
    assert only.get("fecha_inicio") == date(2026, 2, 1).isoformat()
    assert only.get("telefono") == "3001234567"


def test_blank_rows_are_skipped_but_row_numbers_stay_those_of_the_sheet(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", [person(), {}, person(documento="80234567")])
    assert [r.number for r in read_form(path).rows] == [2, 4]


def test_headers_match_without_accents_or_case(tmp_path: Path) -> None:
    text = (
        "NOMBRES;apellidos;documento de identidad;DEPENDENCIA;cargo;tipo de vinculacion;"
        "fecha de inicio;solicitado por;aprobado por\nAna;Ruiz;123456;tics;Técnica;planta;"
        "01/02/2026;Director;Secretario\n"
    )
    (tmp_path / "f.csv").write_text(text, encoding="utf-8")
    (row,) = read_form(tmp_path / "f.csv").rows
    assert row.get("vinculacion") == "planta" and row.get("aprobado_por") == "Secretario"


def test_a_form_without_required_columns_is_refused_naming_them(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text("Nombres;Apellidos;Cargo\nAna;Ruiz;Técnica\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_form(tmp_path / "f.csv")
    assert "faltan columnas obligatorias: Documento de identidad, Dependencia" in str(info.value)
    assert info.value.where == "f.csv"


def test_a_file_without_the_header_row_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    with pytest.raises(InputError, match="no se encontró la fila de encabezados"):
        read_form(tmp_path / "f.csv")


def test_an_unsupported_file_type_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match=re.escape("formato de archivo no soportado «.pdf»")):
        read_form(tmp_path / "f.pdf")


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no existe el archivo del formato"):
        read_form(tmp_path / "nada.xlsx")


def test_the_same_rows_give_the_same_fingerprint_in_any_encoding(tmp_path: Path) -> None:
    a = write_csv(tmp_path / "a.csv", [person()], encoding="cp1252", delimiter=";")
    b = write_csv(tmp_path / "b.csv", [person()], encoding="utf-8", delimiter=",")
    assert read_form(a).fingerprint == read_form(b).fingerprint


def test_the_shipped_templates_have_every_column_and_no_rows() -> None:
    for name in ("formato_creacion_usuarios.xlsx", "formato_creacion_usuarios.csv"):
        form = read_form(FORMATOS / name)
        assert form.rows == ()
        assert [form.header(c.key) for c in COLUMNS] == HEADERS


def test_templates_can_be_regenerated(tmp_path: Path) -> None:
    xlsx, csv_path = write_templates(tmp_path)
    assert read_form(xlsx).headers == read_form(csv_path).headers
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbfNombres;Apellidos;")
