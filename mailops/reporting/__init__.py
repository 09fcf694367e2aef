"""Reports: the usage report of a period (frames, charts, HTML page)."""

from __future__ import annotations

from mailops.reporting.charts import CHART_TITLES, figure_png, usage_charts
from mailops.reporting.html import (
    render_usage_html,
    spanish_table,
    usage_report_path,
    write_usage_report,
)
from mailops.reporting.usage import (
    USAGE_PARAMETERS,
    UsageReport,
    build_usage_report,
    latest_usage_date,
    usage_frames,
)

__all__ = [
    "CHART_TITLES",
    "USAGE_PARAMETERS",
    "UsageReport",
    "build_usage_report",
    "figure_png",
    "latest_usage_date",
    "render_usage_html",
    "spanish_table",
    "usage_charts",
    "usage_frames",
    "usage_report_path",
    "write_usage_report",
]
