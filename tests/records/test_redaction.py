from __future__ import annotations

from pathlib import Path

import pytest

from mailops.records import REDACTED, Redactor, run_notebook
from mailops.records.redaction import secret_values_from_env
from mailops.settings import Settings
from tests.records.factories import NOTEBOOKS

PLANTED = "Zx9-planted-S3cret"


def test_a_secret_planted_in_a_run_is_absent_from_every_archived_file(
    settings: Settings,
) -> None:
    archived = run_notebook(
        "secreto",
        {},
        settings=settings,
        notebooks_dir=NOTEBOOKS,
        kernel_env={"MAILOPS_PRUEBA_PASSWORD": PLANTED},
    )
    assert archived.status == "failed"  # the notebook ends by raising with the secret inside
    files = [p for p in settings.archive_root.rglob("*") if p.is_file()]
    assert any(p.name == "secreto.ipynb" for p in files)
    for path in files:
        content = path.read_bytes()
        for fragment in (PLANTED, "plantedTokenValue", "MIIEplantedKEYmaterial"):
            assert fragment.encode() not in content, f"{fragment} en {path}"
    assert REDACTED in archived.record.failure.error_value  # type: ignore[union-attr]


def test_private_keys_are_removed_whole() -> None:
    text = "antes\n-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\ndespués"
    assert Redactor().text(text) == f"antes\n{REDACTED}\ndespués"


def test_oauth_tokens_and_bearer_headers_are_removed() -> None:
    text = "Authorization: Bearer abcdefghij123 refresh 1//0gAbCdEfGhIjKlMnOpQrStUv"
    cleaned = Redactor().text(text)
    assert "abcdefghij123" not in cleaned
    assert "1//0gAbCdEf" not in cleaned


def test_values_assigned_to_secret_names_are_removed() -> None:
    assert Redactor().text('contraseña = "hola123"') == f'contraseña = "{REDACTED}"'


def test_secret_named_keys_lose_their_values_in_data() -> None:
    data = {"usuario": "ana", "password": "x", "otros": [{"api_key": 1}]}
    assert Redactor().data(data) == {
        "usuario": "ana",
        "password": REDACTED,
        "otros": [{"api_key": REDACTED}],
    }


def test_known_secret_values_are_removed_anywhere() -> None:
    redactor = Redactor(secret_values_from_env({"MI_TOKEN": "valor-muy-secreto", "HOME": "/root"}))
    assert redactor.text("se usó valor-muy-secreto en /root") == f"se usó {REDACTED} en /root"


@pytest.mark.parametrize("short", ["", "abc"])
def test_too_short_values_are_not_treated_as_secrets(short: str) -> None:
    assert secret_values_from_env({"MI_TOKEN": short}) == ()


def test_widget_state_is_dropped_from_a_notebook(tmp_path: Path) -> None:
    from nbformat.v4 import new_notebook

    from mailops.records.redaction import redact_notebook

    nb = new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"x": PLANTED}}
    redact_notebook(nb, Redactor())
    assert "widgets" not in nb.metadata


def test_the_shell_s_working_directory_is_not_taken_for_a_password() -> None:
    from mailops.records.redaction import secret_values_from_env

    env = {"PWD": "/srv/alcaldia/mailops", "OLDPWD": "/srv/alcaldia", "DB_PWD": "s3creta-larga-123"}
    assert secret_values_from_env(env) == ("s3creta-larga-123",)


def test_the_archived_page_does_not_carry_scripts_from_outputs() -> None:
    import nbformat

    from mailops.records.rendering import render_html

    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    cell = nbformat.v4.new_code_cell("x")  # type: ignore[no-untyped-call]
    cell.outputs = [
        nbformat.v4.new_output(  # type: ignore[no-untyped-call]
            "display_data", data={"text/html": "<b>hola</b><script>alert('x')</script>"}
        )
    ]
    nb.cells = [cell]
    page = render_html(nb)
    assert "<b>hola</b>" in page
    assert "<script" not in page and "alert('x')" not in page


def test_the_archived_page_keeps_markdown_headings_and_drops_handlers() -> None:
    import nbformat

    from mailops.records.rendering import render_html

    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    cell = nbformat.v4.new_code_cell("x")  # type: ignore[no-untyped-call]
    cell.outputs = [
        nbformat.v4.new_output(  # type: ignore[no-untyped-call]
            "display_data",
            data={
                "text/html": '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">v</a>'
            },
        )
    ]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Administración de usuarios\n\nTexto **claro**."),
        cell,
    ]  # type: ignore[no-untyped-call]
    page = render_html(nb)
    assert ">Administración de usuarios" in page and "<strong>claro</strong>" in page
    assert "&lt;h1" not in page and "&lt;p&gt;" not in page
    assert "onerror" not in page and "javascript:" not in page
