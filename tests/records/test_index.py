from __future__ import annotations

from pathlib import Path

import pytest

from mailops.errors import InputError
from mailops.records import Decision, RecordIndex, RecordQuery
from tests.records.factories import SteppingClock, archive_drafts, draft


@pytest.fixture
def archive(tmp_path: Path, clock: SteppingClock) -> Path:
    decision_no = Decision(10, False, "NO", "la prueba SMTP falló", "Ana Ruiz", "2026-11-29")
    decision_si = Decision(7, True, "SI", "servicio activo", "Ana Ruiz", "2026-11-29")
    archive_drafts(
        tmp_path,
        [
            draft(
                "20261127T090000Z-000001",
                notebook="00_procedimiento",
                started_at="2026-11-27T09:00:00.000+00:00",
                request="Creación de cuenta para la Secretaría de Educación",
                operator="Ana Ruiz",
                activities=(1, 2, 4, 6, 7),
                decisions=(decision_si,),
                procedure_run_id="run-a",
            ),
            draft(
                "20261128T100000Z-000002",
                notebook="03_activacion",
                status="failed",
                started_at="2026-11-28T10:00:00.000+00:00",
                request="Activación del dominio cajica.gov.example",
                operator="Luis Gómez",
                activities=(8, 9, 10),
                decisions=(decision_no,),
                procedure_run_id="run-b",
            ),
            draft(
                "20261129T110000Z-000003",
                notebook="00_procedimiento",
                started_at="2026-11-29T11:00:00.000+00:00",
                request="Creación de cuenta para Tesorería",
                operator="Ana Ruiz",
                activities=(12, 23, 24),
                procedure_run_id="run-a",
            ),
        ],
        clock,
    )
    return tmp_path


def _ids(root: Path, **filters: object) -> list[str]:
    return [e.run_id[-1] for e in RecordIndex.open(root).search(RecordQuery(**filters))]  # type: ignore[arg-type]


def test_an_empty_query_lists_every_record_in_chain_order(archive: Path) -> None:
    assert _ids(archive) == ["1", "2", "3"]


def test_search_by_date_range(archive: Path) -> None:
    assert _ids(archive, date_from="2026-11-28", date_to="2026-11-28") == ["2"]


def test_search_by_notebook(archive: Path) -> None:
    assert _ids(archive, notebook="00_procedimiento") == ["1", "3"]


def test_search_by_activity_visited(archive: Path) -> None:
    assert _ids(archive, activity=9) == ["2"]


def test_search_by_decision_and_answer(archive: Path) -> None:
    assert _ids(archive, decision="10:NO") == ["2"]
    assert _ids(archive, decision="10:SI") == []
    assert _ids(archive, decision="7") == ["1"]


def test_search_by_status_accepts_the_spanish_label(archive: Path) -> None:
    assert _ids(archive, status="fallida") == ["2"]
    assert _ids(archive, status="passed") == ["1", "3"]


def test_search_by_request_ignores_case_and_accents(archive: Path) -> None:
    assert _ids(archive, request="creacion de CUENTA") == ["1", "3"]


def test_search_by_operator(archive: Path) -> None:
    assert _ids(archive, operator="gomez") == ["2"]


def test_search_by_procedure_run(archive: Path) -> None:
    assert _ids(archive, procedure_run_id="run-a") == ["1", "3"]


def test_free_text_matches_every_word_anywhere_in_the_record(archive: Path) -> None:
    assert _ids(archive, text="smtp falló") == ["2"]
    assert _ids(archive, text="tesoreria") == ["3"]


def test_a_malformed_decision_filter_is_refused_in_spanish(archive: Path) -> None:
    with pytest.raises(InputError, match="no es una decisión válida"):
        _ids(archive, decision="diez")


def test_the_index_is_rebuilt_identically_from_the_records(archive: Path) -> None:
    index = RecordIndex(archive)
    before = index.dump()
    index.path.unlink()
    assert index.rebuild() == 3
    assert index.dump() == before


def test_a_lost_index_is_rebuilt_when_opened(archive: Path) -> None:
    (archive / "index.sqlite3").unlink()
    assert _ids(archive, notebook="03_activacion") == ["2"]
