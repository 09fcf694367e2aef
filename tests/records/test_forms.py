"""mailops.ui forms (kept with the records tests: the interactive/batch pattern of every notebook)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mailops.errors import DefinitionError, InputError
from mailops.ui import build_form, show_form

DEFAULTS: dict[str, Any] = {
    "correo": "ana@cajica.example",
    "activo": True,
    "cupo": 30,
    "fecha": dt.date(2026, 11, 29),
    "unidad": "/Educación",
}
CHOICES = {"unidad": ["/Educación", "/Tesorería"]}


def _echo(**values: Any) -> dict[str, Any]:
    return values


def test_batch_mode_calls_the_function_with_the_defaults() -> None:
    assert show_form(DEFAULTS, _echo, interactive=False, choices=CHOICES) == DEFAULTS


def test_batch_mode_lets_errors_fail_the_run() -> None:
    def refuse(**_: Any) -> None:
        raise InputError("el correo ya existe", where="correo")

    with pytest.raises(InputError, match="correo: el correo ya existe"):
        show_form({"correo": "x"}, refuse, interactive=False)


def test_widgets_follow_the_type_of_each_default() -> None:
    form = show_form(DEFAULTS, _echo, interactive=True, choices=CHOICES)
    kinds = {name: type(w).__name__ for name, w in form.fields.items()}
    assert kinds == {
        "correo": "Text",
        "activo": "Checkbox",
        "cupo": "IntText",
        "fecha": "DatePicker",
        "unidad": "Dropdown",
    }


def test_the_form_is_prefilled_and_labelled_in_spanish() -> None:
    form = build_form(DEFAULTS, _echo, labels={"correo": "Correo institucional"}, choices=CHOICES)
    assert form.values() == DEFAULTS
    assert form.fields["correo"].description == "Correo institucional"
    assert form.fields["cupo"].description == "Cupo"
    assert form.submit.description == "Ejecutar"


def test_the_button_calls_the_function_with_the_edited_values() -> None:
    calls: list[dict[str, Any]] = []
    form = build_form({"correo": "ana@cajica.example"}, lambda **v: calls.append(v))
    form.fields["correo"].value = "luis@cajica.example"
    form.submit.click()
    assert calls == [{"correo": "luis@cajica.example"}]


def test_an_operational_error_is_shown_in_spanish_in_the_output_area() -> None:
    def refuse(**_: Any) -> None:
        raise InputError("el correo ya existe", where="correo")

    form = build_form({"correo": "x"}, refuse)
    form.submit.click()
    html = form.output.outputs[-1]["data"]["text/html"]
    assert "<b>Error:</b> correo: el correo ya existe" in html


def test_a_default_outside_its_choices_is_a_definition_error() -> None:
    with pytest.raises(DefinitionError, match="no está entre las opciones"):
        build_form({"unidad": "/Otra"}, _echo, choices=CHOICES)


def test_an_unsupported_default_type_is_a_definition_error() -> None:
    with pytest.raises(DefinitionError, match="el campo «lista» tiene un valor de tipo list"):
        build_form({"lista": [1, 2]}, _echo)  # type: ignore[dict-item]
