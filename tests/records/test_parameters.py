from __future__ import annotations

from pathlib import Path

import pytest

from mailops.errors import InputError
from mailops.records import inspect_parameters, looks_secret, run_notebook
from mailops.records.parameters import coerce_parameter
from mailops.settings import Settings
from tests.records.factories import NOTEBOOKS


@pytest.fixture
def no_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if execution is attempted: refusals must happen before any kernel."""
    import papermill

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("papermill.execute_notebook no debía llamarse")

    monkeypatch.setattr(papermill, "execute_notebook", forbidden)


def test_inspection_reads_types_defaults_and_spanish_help() -> None:
    params = inspect_parameters(NOTEBOOKS / "ok.ipynb")
    assert params["repeticiones"].type_name == "int"
    assert params["repeticiones"].default_source == "2"
    assert params["solicitud"].help == "qué se solicita"
    assert not params["solicitud"].secret


@pytest.mark.parametrize("name", ["password", "admin_token", "contrasena", "clave", "api_key"])
def test_secret_looking_names_are_recognised(name: str) -> None:
    assert looks_secret(name)


@pytest.mark.parametrize("name", ["solicitud", "operador", "monkey_count", "interactive"])
def test_ordinary_names_are_not_taken_for_secrets(name: str) -> None:
    assert not looks_secret(name)


def test_an_unknown_parameter_is_refused_before_execution(
    settings: Settings, no_kernel: None
) -> None:
    with pytest.raises(InputError, match="«color» no es un parámetro del cuaderno"):
        run_notebook("ok", {"color": "azul"}, settings=settings, notebooks_dir=NOTEBOOKS)
    assert not settings.archive_root.exists()


def test_an_ill_typed_parameter_is_refused_before_execution(
    settings: Settings, no_kernel: None
) -> None:
    with pytest.raises(InputError, match="«repeticiones» debe ser de tipo int, no str"):
        run_notebook("ok", {"repeticiones": "dos"}, settings=settings, notebooks_dir=NOTEBOOKS)


def test_a_secret_parameter_is_refused_and_told_to_use_the_environment(
    settings: Settings, no_kernel: None
) -> None:
    with pytest.raises(InputError, match=r"«password» parece un secreto.*variables de entorno"):
        run_notebook("ok", {"password": "x"}, settings=settings, notebooks_dir=NOTEBOOKS)


def test_a_notebook_declaring_a_secret_parameter_is_refused(
    settings: Settings, no_kernel: None, tmp_path: Path
) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    cell = new_code_cell('usuario: str = ""  # cuenta\ncodigo_admin: str = ""  # secreto')
    cell.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, tmp_path / "malo.ipynb")
    with pytest.raises(InputError, match=r"declara parámetros secretos \(codigo_admin\)"):
        run_notebook(tmp_path / "malo.ipynb", {}, settings=settings)


def test_an_unknown_notebook_is_refused_listing_the_available_ones(settings: Settings) -> None:
    with pytest.raises(InputError, match=r"no existe el cuaderno «99_nada».*ok"):
        run_notebook("99_nada", {}, settings=settings, notebooks_dir=NOTEBOOKS)


def test_command_line_values_take_the_declared_type() -> None:
    params = inspect_parameters(NOTEBOOKS / "ok.ipynb")
    assert coerce_parameter(params["repeticiones"], "7") == 7
    assert coerce_parameter(params["interactive"], "no") is False
    assert coerce_parameter(params["solicitud"], "123") == "123"


def test_the_municipality_s_secretariats_are_not_secrets() -> None:
    from mailops.records.parameters import looks_secret

    assert not looks_secret("secretaria")
    assert not looks_secret("Secretaría_de_Hacienda")
    assert not looks_secret("secretario_general")
    assert looks_secret("secretaria_token")
    assert looks_secret("client_secret")
