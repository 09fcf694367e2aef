"""The usage report against the emulator: frames, charts and the HTML page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from mailops.errors import InputError
from mailops.reporting import (
    CHART_TITLES,
    UsageReport,
    build_usage_report,
    figure_png,
    usage_charts,
    usage_report_path,
    write_usage_report,
)
from mailops.workspace import Workspace
from tests.emulator_apis.support import (
    LAST_USER_DAY,
    TODAY,
    Clock,
    running_emulator,
    workspace,
)

START = TODAY - timedelta(days=30)
GENERATED = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    folder = tmp_path_factory.mktemp("uso")
    with running_emulator(folder, Clock()) as server, workspace(server, folder) as connected:
        yield connected


@pytest.fixture(scope="module")
def report(ws: Workspace) -> UsageReport:
    return build_usage_report(ws, START, LAST_USER_DAY, clock=lambda: GENERATED)


def test_the_report_has_one_row_per_user(report: UsageReport) -> None:
    assert len(report.users) == 300
    assert report.users["usuario"].is_unique
    assert report.users["dependencia"].ne("(sin dependencia)").all()


def test_the_report_covers_every_published_day_of_the_period(report: UsageReport) -> None:
    assert report.dates[0] == START
    assert report.dates[-1] == LAST_USER_DAY
    assert len(report.volume) == len(report.dates)


def test_each_dependencia_adds_up(report: UsageReport) -> None:
    dep = report.by_dependencia
    assert (dep["activos"] + dep["inactivos"] + dep["suspendidos"] == dep["usuarios"]).all()
    assert dep["usuarios"].sum() == 300


def test_inactive_accounts_did_not_log_in_during_the_period(report: UsageReport) -> None:
    inactive = report.inactive
    start = pd.Timestamp(START, tz=UTC)
    assert len(inactive) > 0
    assert not inactive["suspendido"].any()
    assert (inactive["ultimo_acceso"].isna() | (inactive["ultimo_acceso"] < start)).all()


def test_accounts_near_quota_are_over_the_threshold_largest_first(report: UsageReport) -> None:
    near = report.near_quota["porcentaje_cuota"]
    assert len(near) > 0
    assert (near >= 80).all()
    assert near.is_monotonic_decreasing


def test_the_largest_mailboxes_are_the_top_ten(report: UsageReport) -> None:
    assert len(report.largest) == 10
    assert report.largest["almacenamiento_mb"].is_monotonic_decreasing
    assert (
        report.largest["almacenamiento_mb"].iloc[-1]
        >= report.users["almacenamiento_mb"].nlargest(10).iloc[-1]
    )


def test_recent_days_are_noted_as_partial(report: UsageReport) -> None:
    assert any("Datos parciales" in n and LAST_USER_DAY.isoformat() in n for n in report.notes)


def test_the_summary_is_json_figures(report: UsageReport) -> None:
    s = report.summary()
    assert s["usuarios"] == 300
    assert s["activos"] + s["inactivos"] + s["suspendidos"] == 300
    assert 0 < s["adopcion_2_pasos_pct"] < 100
    assert s["correos_recibidos"] > s["correos_enviados"] > 0


def test_a_period_google_has_not_published_is_refused(ws: Workspace) -> None:
    with pytest.raises(InputError) as info:
        build_usage_report(ws, TODAY - timedelta(days=1), TODAY)
    assert "Google aún no publica datos de uso" in str(info.value)
    assert LAST_USER_DAY.isoformat() in str(info.value)


def test_a_period_ending_before_it_starts_is_refused(ws: Workspace) -> None:
    with pytest.raises(InputError) as info:
        build_usage_report(ws, TODAY, START)
    assert "es anterior a la inicial" in str(info.value)


def test_the_four_charts_have_spanish_titles_and_render_as_png(report: UsageReport) -> None:
    charts = usage_charts(report)
    assert list(charts) == list(CHART_TITLES)
    titles = [
        fig.axes[0].get_title() if not fig.get_suptitle() else fig.get_suptitle()
        for fig in charts.values()
    ]
    assert titles[0].startswith("Usuarios activos e inactivos por dependencia")
    assert titles[1] == "Almacenamiento: distribución y buzones más grandes"
    assert figure_png(charts["volumen"]).startswith(b"\x89PNG")


def test_the_html_page_is_written_under_reports_uso(report: UsageReport, tmp_path: Path) -> None:
    path = write_usage_report(report, usage_report_path(tmp_path, report))
    page = path.read_text(encoding="utf-8")
    assert path == tmp_path / "uso" / f"reporte_uso_{START}_{LAST_USER_DAY}.html"
    assert page.count('src="data:image/png;base64,') == 4
    assert '<html lang="es-CO">' in page
    assert "Cuentas sin acceso en el periodo" in page
    assert "Cuentas cerca del límite de cuota (≥ 80 %)" in page
