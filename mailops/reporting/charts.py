"""Charts of the usage report: matplotlib figures drawn off-screen (Agg), Spanish labels.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot, no display), so the library
works head-less; ``figure_png`` renders one to PNG bytes for HTML or a notebook.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from mailops.reporting.usage import UsageReport

__all__ = [
    "CHART_TITLES",
    "chart_2sv",
    "chart_active_by_dependencia",
    "chart_storage",
    "chart_volume",
    "figure_png",
    "usage_charts",
]

CHART_TITLES: dict[str, str] = {
    "actividad": "Usuarios activos e inactivos por dependencia",
    "almacenamiento": "Almacenamiento: distribución y buzones más grandes",
    "volumen": "Volumen de correo por día",
    "dos_pasos": "Adopción de la verificación en dos pasos",
}
_BLUE, _GREY, _RED, _GREEN = "#1f5fa8", "#b9c2cc", "#c0392b", "#2e8b57"


def _figure(width: float = 9.0, height: float = 5.0) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_active_by_dependencia(report: UsageReport) -> Figure:
    data = report.by_dependencia.sort_values("usuarios")
    fig = _figure(9, max(4.0, 0.35 * len(data) + 1.5))
    ax = fig.add_subplot()
    y = range(len(data))
    ax.barh(y, data["activos"], color=_BLUE, label="Activos en el periodo")
    ax.barh(
        y, data["inactivos"], left=data["activos"], color=_GREY, label="Sin acceso en el periodo"
    )
    ax.barh(
        y,
        data["suspendidos"],
        left=data["activos"] + data["inactivos"],
        color=_RED,
        label="Suspendidos",
    )
    ax.set_yticks(list(y), list(data["dependencia"]))
    ax.set_xlabel("Número de cuentas")
    ax.set_title(f"{CHART_TITLES['actividad']} ({report.start:%Y-%m-%d} a {report.end:%Y-%m-%d})")
    ax.legend(loc="lower right")
    return fig


def chart_storage(report: UsageReport) -> Figure:
    fig = _figure(11, 5)
    left, right = fig.subplots(1, 2)
    alive = report.users[~report.users["suspendido"]]
    left.hist(alive["porcentaje_cuota"], bins=list(range(0, 105, 5)), color=_BLUE)
    left.axvline(
        report.near_quota_pct, color=_RED, linestyle="--", label=f"Umbral {report.near_quota_pct} %"
    )
    left.set_xlabel("Porcentaje de la cuota usado")
    left.set_ylabel("Número de cuentas")
    left.set_title("Distribución del almacenamiento")
    left.legend()
    top = report.largest.iloc[::-1]
    right.barh(range(len(top)), top["almacenamiento_mb"] / 1024, color=_GREEN)
    right.set_yticks(list(range(len(top))), list(top["usuario"]), fontsize=8)
    right.set_xlabel("Almacenamiento usado (GB)")
    right.set_title("Buzones más grandes")
    fig.suptitle(CHART_TITLES["almacenamiento"])
    return fig


def chart_volume(report: UsageReport) -> Figure:
    fig = _figure(10, 4.5)
    ax = fig.add_subplot()
    vol = report.volume
    ax.plot(vol["fecha"], vol["recibidos"], marker="o", color=_BLUE, label="Recibidos")
    ax.plot(vol["fecha"], vol["enviados"], marker="o", color=_GREEN, label="Enviados")
    ax.set_xlabel("Fecha")
    ax.set_ylabel("Correos por día")
    ax.set_title(CHART_TITLES["volumen"])
    ax.legend()
    ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    return fig


def chart_2sv(report: UsageReport) -> Figure:
    data = report.by_dependencia.sort_values("pct_2_pasos")
    fig = _figure(9, max(4.0, 0.35 * len(data) + 1.5))
    ax = fig.add_subplot()
    ax.barh(range(len(data)), data["pct_2_pasos"].fillna(0), color=_BLUE)
    ax.axvline(
        100 * report.adoption_2sv,
        color=_RED,
        linestyle="--",
        label=f"Total de la entidad: {100 * report.adoption_2sv:.0f} %",
    )
    ax.set_yticks(list(range(len(data))), list(data["dependencia"]))
    ax.set_xlim(0, 100)
    ax.set_xlabel("Cuentas vigentes con verificación en dos pasos (%)")
    ax.set_title(CHART_TITLES["dos_pasos"])
    ax.legend(loc="lower right")
    return fig


def usage_charts(report: UsageReport) -> dict[str, Figure]:
    """Every chart of the report, by key of ``CHART_TITLES``."""
    return {
        "actividad": chart_active_by_dependencia(report),
        "almacenamiento": chart_storage(report),
        "volumen": chart_volume(report),
        "dos_pasos": chart_2sv(report),
    }
