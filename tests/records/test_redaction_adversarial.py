"""Hostile tests of redaction: secrets planted where a careless run would leak them."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from mailops.records import REDACTED, Redactor, run_notebook
from mailops.records.redaction import redact_notebook
from mailops.settings import Settings
from tests.records.factories import NOTEBOOKS

ENV_SECRET = "EnvPlanted-S3cret-42"
PLANTED = (
    ENV_SECRET,
    "UrlPlantedPw99",
    "YWRtaW46QmFzaWNQbGFudGVk",
    "lQOYBFpgpPlantedMaterial",
    "QuotedPlanted77",
)


def test_secrets_planted_in_a_hostile_run_reach_no_archived_file_nor_the_index(
    settings: Settings,
) -> None:
    archived = run_notebook(
        "secreto_hostil",
        {},
        settings=settings,
        notebooks_dir=NOTEBOOKS,
        kernel_env={"MAILOPS_ADMIN_PASSWORD": ENV_SECRET},
    )
    assert archived.status == "failed"
    files = [p for p in settings.archive_root.rglob("*") if p.is_file()]
    assert any(p.name == "secreto_hostil.html" for p in files)
    for path in files:
        content = path.read_bytes()
        for fragment in PLANTED:
            assert fragment.encode() not in content, f"{fragment} en {path}"
    rows = sqlite3.connect(settings.archive_root / "index.sqlite3").iterdump()
    dump = "\n".join(rows)
    for fragment in PLANTED:
        assert fragment.lower() not in dump.lower()


def test_a_known_secret_split_across_two_stream_outputs_is_removed() -> None:
    nb = new_notebook(cells=[new_code_cell("x")])
    nb.cells[0].outputs = [
        new_output("stream", name="stdout", text=ENV_SECRET[:8]),
        new_output("stream", name="stdout", text=ENV_SECRET[8:] + "\n"),
    ]
    redact_notebook(nb, Redactor([ENV_SECRET]))
    text = "".join(o["text"] for o in nb.cells[0].outputs)
    assert ENV_SECRET[:8] not in text and ENV_SECRET[8:] not in text


def test_a_private_key_in_a_multiline_list_is_removed_whole() -> None:
    nb = new_notebook(cells=[new_code_cell("x")])
    lines = ["-----BEGIN PRIVATE KEY-----\n", "MIIEsecretMaterial\n", "-----END PRIVATE KEY-----\n"]
    nb.cells[0].outputs = [new_output("stream", name="stdout", text=lines)]
    redact_notebook(nb, Redactor())
    assert "MIIEsecretMaterial" not in "".join(nb.cells[0].outputs[0]["text"])


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("https://admin:UrlPlantedPw99@smtp.example/", "UrlPlantedPw99"),
        ("Authorization: Basic YWRtaW46QmFzaWNQbGFudGVk", "YWRtaW46QmFzaWNQbGFudGVk"),
        ("invalid password 'QuotedPlanted77' for ana", "QuotedPlanted77"),
        ('password="a\\"QuotedPlanted77"', "QuotedPlanted77"),
        (
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----",
            "lQOYBF",
        ),
    ],
)
def test_secrets_in_common_shapes_are_removed(text: str, secret: str) -> None:
    assert secret not in Redactor().text(text)


@pytest.mark.parametrize(
    "text",
    [
        "Secretaría: Hacienda",
        "secretaria=Ana Ruiz",
        "Secretario: Luis Gómez",
        "Dependencia: Secretaría de Educación",
    ],
)
def test_the_secretariat_is_not_a_secret(text: str) -> None:
    assert Redactor().text(text) == text


def test_redaction_time_grows_linearly_with_hyphenated_text() -> None:
    text = "a-" * 50_000  # 100 KB: quadratic backtracking took minutes
    started = time.perf_counter()
    assert Redactor().text(text) == text
    assert time.perf_counter() - started < 5


def test_binary_image_data_is_left_intact() -> None:
    png = "iVBORw0KGgo+1//abcdefghijklmnopqrs+AIzaSyA1234567890abcdefghijklmnopqrstu=="
    nb = new_notebook(cells=[new_code_cell("x")])
    nb.cells[0].outputs = [new_output("display_data", data={"image/png": png})]
    redact_notebook(nb, Redactor())
    assert nb.cells[0].outputs[0]["data"]["image/png"] == png


def test_every_archived_file_of_a_redacted_notebook_is_valid(tmp_path: Path) -> None:
    # guard for the helpers above: nbformat accepts the notebooks they build
    import nbformat

    nb = new_notebook(cells=[new_code_cell("x")])
    nb.cells[0].outputs = [new_output("stream", name="stdout", text="hola\n")]
    redact_notebook(nb, Redactor())
    nbformat.validate(nb)  # type: ignore[no-untyped-call]
    assert REDACTED not in nbformat.writes(nb)  # type: ignore[no-untyped-call]
