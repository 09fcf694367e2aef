"""Row-by-row validation: every error names its row and column, in Spanish."""

from __future__ import annotations

import pytest

from mailops.dependencias import DependenciaMap
from mailops.provisioning.form import FilledForm
from mailops.provisioning.validation import RowResult, normalize_phone, validate_form
from tests.provisioning.conftest import person

DEPS = DependenciaMap.load()


def check(**changes: str) -> RowResult:
    form = FilledForm.from_records([person(**changes)], "f.csv")
    (result,) = validate_form(form, DEPS, own_domains=["cajica.example"])
    return result


def only_error(**changes: str) -> str:
    result = check(**changes)
    assert result.person is None
    (error,) = result.errors
    return str(error)


def test_a_complete_approved_row_becomes_a_person() -> None:
    result = check()
    assert result.person is not None
    assert result.person.dependencia.org_unit_path == "/Secretaría de Hacienda"
    assert result.person.phone == "+573001234567"


@pytest.mark.parametrize(
    ("key", "header"),
    [
        ("nombres", "Nombres"),
        ("apellidos", "Apellidos"),
        ("documento", "Documento de identidad"),
        ("cargo", "Cargo"),
        ("fecha_inicio", "Fecha de inicio"),
        ("solicitado_por", "Solicitado por"),
    ],
)
def test_a_missing_required_field_names_row_and_column(key: str, header: str) -> None:
    assert only_error(**{key: ""}) == f"Fila 2, columna «{header}»: es obligatorio y está vacío"


def test_an_unknown_dependencia_lists_the_known_ones() -> None:
    message = only_error(dependencia="Secretaría de Turismo")
    assert message.startswith(
        "Fila 2, columna «Dependencia»: la dependencia «Secretaría de Turismo» no existe"
    )
    assert "Secretaría de Hacienda" in message


def test_dependencias_match_by_code_and_without_accents() -> None:
    for text in ("hacienda", "SECRETARIA DE HACIENDA", "secretaría de hacienda"):
        result = check(dependencia=text)
        assert result.person is not None and result.person.dependencia.codigo == "hacienda"


def test_a_bad_date_is_reported() -> None:
    assert only_error(fecha_inicio="31/02/2026") == (
        "Fila 2, columna «Fecha de inicio»: «31/02/2026» no es una fecha válida (use DD/MM/AAAA)"
    )


def test_an_end_before_the_start_is_reported() -> None:
    assert only_error(vinculacion="contratista", fecha_fin="15/01/2026") == (
        "Fila 2, columna «Fecha de fin»: la fecha de fin 15/01/2026 es anterior a la de inicio "
        "01/02/2026"
    )


def test_a_contractor_without_end_date_is_reported() -> None:
    assert only_error(vinculacion="Contratista") == (
        "Fila 2, columna «Fecha de fin»: es obligatoria para la vinculación «contratista»"
    )


def test_an_unknown_vinculacion_is_reported() -> None:
    assert "«honorario» no es un tipo de vinculación conocido" in only_error(
        vinculacion="honorario"
    )


def test_a_malformed_personal_email_is_reported() -> None:
    assert only_error(correo_personal="mj.munoz@gmail") == (
        "Fila 2, columna «Correo personal»: «mj.munoz@gmail» no es una dirección de correo válida"
    )


def test_an_institutional_address_is_not_a_personal_email() -> None:
    assert "es institucional" in only_error(correo_personal="jefe@cajica.example")


def test_a_malformed_phone_is_reported() -> None:
    assert only_error(telefono="12345") == (
        "Fila 2, columna «Teléfono»: «12345» no es un teléfono válido (celular de 10 dígitos, "
        "fijo con indicativo 60X, o internacional con +)"
    )


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("3001234567", "+573001234567"),
        ("300-123-4567", "+573001234567"),
        ("+57 300 123 4567", "+573001234567"),
        ("(601) 879 5000", "+576018795000"),
        ("+1 202 555 0143", "+12025550143"),
    ],
)
def test_phones_become_e164(text: str, e164: str) -> None:
    assert normalize_phone(text) == e164


def test_an_unapproved_row_is_not_valid() -> None:
    assert only_error(aprobado_por="  ") == (
        "Fila 2, columna «Aprobado por»: la solicitud no está aprobada; sin aprobación no se "
        "crea la cuenta"
    )


def test_a_malformed_documento_is_reported() -> None:
    assert "«52-12#34» no es un número de documento válido" in only_error(documento="52-12#34")


def test_documento_dots_are_ignored() -> None:
    result = check(documento="52.123.456")
    assert result.person is not None and result.person.document_id == "52123456"


def test_a_documento_repeated_in_the_form_invalidates_the_later_row_only() -> None:
    form = FilledForm.from_records([person(), person(nombres="Otra"), person(documento="1234567")])
    first, second, third = validate_form(form, DEPS)
    assert first.ok and third.ok and not second.ok
    assert str(second.errors[0]) == (
        "Fila 3, columna «Documento de identidad»: el documento 52123456 ya aparece en la fila "
        "2; una persona solo puede tener una cuenta"
    )


def test_every_error_of_a_row_is_reported_not_only_the_first() -> None:
    result = check(nombres="", telefono="x", aprobado_por="")
    assert [e.column for e in result.errors] == ["Nombres", "Teléfono", "Aprobado por"]
