"""The usage report as one self-contained HTML page (charts embedded as PNG), in Spanish."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from mailops.reporting.charts import CHART_TITLES, figure_png, usage_charts
from mailops.reporting.usage import UsageReport

__all__ = [
    "TABLE_HEADINGS",
    "render_usage_html",
    "spanish_table",
    "usage_report_path",
    "write_usage_report",
]

TABLE_HEADINGS: dict[str, str] = {
    "usuario": "Usuario",
    "nombre": "Nombre",
    "dependencia": "Dependencia",
    "suspendido": "Suspendido",
    "activo": "Activo en el periodo",
    "ultimo_acceso": "Último acceso",
    "dias_sin_acceso": "Días sin acceso",
    "verificacion_2_pasos": "Verificación en dos pasos",
    "almacenamiento_mb": "Almacenamiento (MB)",
    "cuota_mb": "Cuota (MB)",
    "porcentaje_cuota": "% de la cuota",
    "recibidos": "Correos recibidos",
    "enviados": "Correos enviados",
    "usuarios": "Cuentas",
    "activos": "Activas",
    "inactivos": "Sin acceso",
    "suspendidos": "Suspendidas",
    "con_2_pasos": "Con dos pasos",
    "pct_2_pasos": "% con dos pasos",
    "fecha": "Fecha",
}
_CSS = """
body{font-family:system-ui,Segoe UI,Arial,sans-serif;margin:2em;color:#222}
h1{color:#1f5fa8} table{border-collapse:collapse;margin:1em 0;font-size:0.9em}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left} th{background:#eef3f9}
.nota{background:#fff6e0;border-left:4px solid #e0a000;padding:0.5em 1em}
img{max-width:100%} .cifras td:first-child{font-weight:bold}
"""


def spanish_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for display: Spanish headings, Sí/No, dates without time zone noise."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == bool or str(out[col].dtype) == "boolean":
            out[col] = out[col].map({True: "Sí", False: "No"}).fillna("")
        elif isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.strftime("%Y-%m-%d %H:%M").fillna("nunca")
    return out.rename(columns=TABLE_HEADINGS)


def _table(frame: pd.DataFrame, empty: str) -> str:
    if frame.empty:
        return f"<p>{html.escape(empty)}</p>"
    return spanish_table(frame).to_html(index=False, escape=True, border=0)


def render_usage_html(report: UsageReport) -> str:
    """The whole report page."""
    charts = usage_charts(report)
    s = report.summary()
    figures = "".join(
        f"<h2>{html.escape(CHART_TITLES[key])}</h2>"
        f'<img alt="{html.escape(CHART_TITLES[key])}" src="data:image/png;base64,'
        f'{base64.b64encode(figure_png(fig)).decode()}">'
        for key, fig in charts.items()
    )
    notes = "".join(f'<p class="nota">{html.escape(n)}</p>' for n in report.notes)
    figures_rows = [
        ("Cuentas", s["usuarios"]),
        ("Cuentas suspendidas", s["suspendidos"]),
        ("Cuentas activas en el periodo", s["activos"]),
        ("Cuentas sin acceso en el periodo", s["inactivos"]),
        (f"Cuentas con más del {report.near_quota_pct} % de la cuota", s["cerca_de_cuota"]),
        ("Adopción de la verificación en dos pasos", f"{s['adopcion_2_pasos_pct']} %"),
        ("Correos recibidos", s["correos_recibidos"]),
        ("Correos enviados", s["correos_enviados"]),
        ("Almacenamiento total", f"{s['almacenamiento_total_gb']} GB"),
    ]
    cifras = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>" for k, v in figures_rows
    )
    inactive = report.inactive[
        ["usuario", "nombre", "dependencia", "ultimo_acceso", "dias_sin_acceso"]
    ]
    near = report.near_quota[
        ["usuario", "nombre", "dependencia", "almacenamiento_mb", "cuota_mb", "porcentaje_cuota"]
    ]
    title = (
        f"Reporte de uso del correo electrónico — {report.start:%Y-%m-%d} a {report.end:%Y-%m-%d}"
    )
    return (
        '<!DOCTYPE html><html lang="es-CO"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        "<p>Alcaldía Municipal — Dirección TICS-CTEI. Procedimiento Administración de Correo "
        "Electrónico, actividades 6 y 23.</p>"
        f"<p>Generado el {report.generated_at:%Y-%m-%d %H:%M} UTC con datos de "
        f"{len(report.dates)} días del API de Reportes de Google Workspace.</p>{notes}"
        f'<h2>Cifras del periodo</h2><table class="cifras">{cifras}</table>'
        f"<h2>Resumen por dependencia</h2>{_table(report.by_dependencia, 'Sin datos.')}"
        f"{figures}"
        "<h2>Cuentas sin acceso en el periodo</h2>"
        f"{_table(inactive, 'Todas las cuentas vigentes accedieron en el periodo.')}"
        f"<h2>Cuentas cerca del límite de cuota (≥ {report.near_quota_pct} %)</h2>"
        f"{_table(near, 'Ninguna cuenta está cerca del límite de su cuota.')}"
        "</body></html>"
    )


def usage_report_path(reports_root: Path, report: UsageReport) -> Path:
    """``<reports_root>/uso/reporte_uso_<desde>_<hasta>.html``."""
    return reports_root / "uso" / f"reporte_uso_{report.start:%Y-%m-%d}_{report.end:%Y-%m-%d}.html"


def write_usage_report(report: UsageReport, path: Path) -> Path:
    """Write the HTML page to ``path`` (folders created); returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_usage_html(report), encoding="utf-8")
    return path
