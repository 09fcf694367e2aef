"""``mailops report``: generated reports (usage of the mail service)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import click

from mailops.cli.common import echo_json, fail, get_settings

__all__ = ["report"]


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option}: «{value}» no es una fecha AAAA-MM-DD.", 2) from None


@click.group("report")
def report() -> None:
    """Reportes generados (uso del correo electrónico)."""


@report.command("usage")
@click.option("--desde", help="Primer día del periodo (AAAA-MM-DD; por defecto 30 días antes).")
@click.option(
    "--hasta", help="Último día (AAAA-MM-DD; por defecto el último día que Google publica)."
)
@click.option(
    "--salida",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archivo HTML (por defecto reports/uso/reporte_uso_<desde>_<hasta>.html).",
)
@click.option(
    "--umbral-cuota",
    type=click.IntRange(1, 100),
    default=80,
    show_default=True,
    help="Porcentaje de cuota desde el que una cuenta se lista como cercana al límite.",
)
@click.option("--json", "as_json", is_flag=True, help="Imprime las cifras en JSON.")
def usage(
    desde: str | None, hasta: str | None, salida: Path | None, umbral_cuota: int, as_json: bool
) -> None:
    """Reporte de uso del periodo: actividad, almacenamiento, volumen y verificación en dos
    pasos, con gráficas, exportado a HTML."""
    from mailops.reporting import (
        build_usage_report,
        latest_usage_date,
        usage_report_path,
        write_usage_report,
    )
    from mailops.workspace import connect

    settings = get_settings()
    with connect(settings) as ws:
        end = _date(hasta, "--hasta") or latest_usage_date(ws)
        start = _date(desde, "--desde") or end - timedelta(days=29)
        result = build_usage_report(ws, start, end, near_quota_pct=umbral_cuota)
    path = write_usage_report(result, salida or usage_report_path(settings.reports_root, result))
    summary = result.summary()
    if as_json:
        echo_json({**summary, "archivo": str(path)})
        return
    click.echo(f"Reporte de uso del {start} al {end} ({summary['dias_con_datos']} días con datos)")
    click.echo(
        f"Cuentas: {summary['usuarios']} — activas {summary['activos']}, sin acceso "
        f"{summary['inactivos']}, suspendidas {summary['suspendidos']}"
    )
    click.echo(
        f"Cerca del límite de cuota: {summary['cerca_de_cuota']}; verificación en dos pasos: "
        f"{summary['adopcion_2_pasos_pct']} %"
    )
    for note in summary["notas"]:
        click.echo(f"Nota: {note}")
    click.echo(f"Archivo: {path}")
