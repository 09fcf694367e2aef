from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from mailops.errors import DefinitionError
from mailops.records import OUTCOME_MIME, read_outcomes, record_outcome


def _notebook_with(*payloads: object) -> nbformat.NotebookNode:
    cell = new_code_cell("x")
    cell.outputs = [new_output("display_data", data={OUTCOME_MIME: p}) for p in payloads]
    return new_notebook(cells=[cell])


def test_record_outcome_outside_a_kernel_returns_the_payload_and_prints_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    payload = record_outcome("usuarios", {"creados": 3, "nombres": ["Ana", "Luis"]})
    assert payload == {
        "version": 1,
        "name": "usuarios",
        "data": {"creados": 3, "nombres": ["Ana", "Luis"]},
    }
    assert capsys.readouterr() == ("", "")


def test_record_outcome_refuses_data_that_is_not_json() -> None:
    with pytest.raises(DefinitionError, match="no se pueden guardar como JSON"):
        record_outcome("conjunto", {1, 2})


def test_record_outcome_refuses_an_empty_name() -> None:
    with pytest.raises(DefinitionError, match="el nombre debe ser un texto no vacío"):
        record_outcome("  ", 1)


def test_read_outcomes_keeps_the_last_outcome_of_each_name() -> None:
    nb = _notebook_with(
        {"version": 1, "name": "estado", "data": "inicial"},
        {"version": 1, "name": "conteo", "data": 2},
        {"version": 1, "name": "estado", "data": "final"},
    )
    assert read_outcomes(nb) == {"estado": "final", "conteo": 2}


def test_read_outcomes_skips_payloads_of_an_unknown_version() -> None:
    nb = _notebook_with({"version": 99, "name": "futuro", "data": 1})
    assert read_outcomes(nb) == {}


def test_every_public_name_of_mailops_records_is_importable() -> None:
    import mailops.records as records

    missing = [name for name in records.__all__ if getattr(records, name, None) is None]
    assert missing == []
