"""``mailops report usage`` as an operator runs it (a subprocess against a running emulator)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailops.emulator import EmulatorServer
from tests.diagnostics.test_service_cli import mailops
from tests.emulator_apis.support import COMPLETE_USER_DAY, Clock, running_emulator


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmulatorServer]:
    with running_emulator(tmp_path, Clock()) as emu:
        yield emu


def test_usage_writes_the_html_report_under_reports_uso(
    server: EmulatorServer, tmp_path: Path
) -> None:
    out = mailops(
        server,
        tmp_path,
        "report",
        "usage",
        "--desde",
        "2026-11-01",
        "--hasta",
        COMPLETE_USER_DAY.isoformat(),
        "--json",
    )
    data = json.loads(out.stdout)
    expected = tmp_path / "reports" / "uso" / f"reporte_uso_2026-11-01_{COMPLETE_USER_DAY}.html"
    assert out.returncode == 0, out.stderr
    assert Path(data["archivo"]) == expected
    assert expected.read_text(encoding="utf-8").count("data:image/png") == 4
    assert data["usuarios"] == 300


def test_usage_text_goes_to_the_chosen_file(server: EmulatorServer, tmp_path: Path) -> None:
    target = tmp_path / "mi_reporte.html"
    out = mailops(
        server,
        tmp_path,
        "report",
        "usage",
        "--desde",
        "2026-11-10",
        "--hasta",
        COMPLETE_USER_DAY.isoformat(),
        "--salida",
        str(target),
    )
    assert out.returncode == 0, out.stderr
    assert "Cuentas: 300" in out.stdout
    assert target.is_file()


def test_a_bad_date_is_refused_in_spanish(server: EmulatorServer, tmp_path: Path) -> None:
    out = mailops(server, tmp_path, "report", "usage", "--desde", "01/11/2026")
    assert out.returncode == 2
    assert "--desde: «01/11/2026» no es una fecha AAAA-MM-DD." in out.stderr


def test_a_period_not_yet_published_is_refused_in_spanish(
    server: EmulatorServer, tmp_path: Path
) -> None:
    out = mailops(
        server, tmp_path, "report", "usage", "--desde", "2026-11-19", "--hasta", "2026-11-20"
    )
    assert out.returncode == 1
    assert "Google aún no publica datos de uso" in out.stderr
