"""Tables and archived-run summaries as a person should read them in a notebook.

pandas' default display shows an index column and cuts long text with "…" (a validation
message cut in half is useless); ``table`` shows every column in full, without the index,
with "—" for missing values and with Spanish-readable booleans.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from mailops.records.archive import ArchivedRecord
from mailops.records.record import STATUS_LABELS

__all__ = ["archived_summary_html", "table", "table_html"]

# JupyterLab right-aligns table cells with a more specific rule: outrank it
_STYLE = (
    "<style>table.mailops-tabla{border-collapse:collapse;font-size:13px}"
    ".jp-RenderedHTMLCommon table.mailops-tabla th,table.mailops-tabla th"
    "{text-align:left;background:#eef2f7;padding:4px 8px}"
    ".jp-RenderedHTMLCommon table.mailops-tabla td,table.mailops-tabla td"
    "{text-align:left;padding:3px 8px;border-top:1px solid #dde3ea;vertical-align:top}</style>"
)
# column names written without accents in code, as a person reads them
_ACCENTED = {
    "accion": "acción",
    "descripcion": "descripción",
    "dias": "días",
    "numero": "número",
    "ultimo": "último",
    "vinculacion": "vinculación",
    "organizacion": "organización",
    "razon": "razón",
    "direccion": "dirección",
}


def _heading(column: object) -> str:
    words = [_ACCENTED.get(w, w) for w in str(column).replace("_", " ").split()]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _cell(value: Any) -> str:
    if value is None or (not isinstance(value, list | tuple | dict) and pd.isna(value)):
        return "—"
    if isinstance(value, bool):
        return "Sí" if value else "No"
    if isinstance(value, pd.Timestamp):
        return (
            value.strftime("%Y-%m-%d %H:%M")
            if (value.hour or value.minute)
            else value.strftime("%Y-%m-%d")
        )
    return str(value)


def table_html(frame: pd.DataFrame, *, empty: str = "Ninguno.") -> str:
    """``frame`` as an HTML table: no index, nothing truncated, "—" for missing values."""
    if frame.empty:
        return f"<p><i>{html.escape(empty)}</i></p>"
    head = "".join(f"<th>{html.escape(_heading(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    return f'{_STYLE}<table class="mailops-tabla"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def table(frame: pd.DataFrame, *, empty: str = "Ninguno.") -> Any:
    """An IPython HTML object showing ``frame`` in full (for ``display``)."""
    from IPython.display import HTML

    return HTML(table_html(frame, empty=empty))  # type: ignore[no-untyped-call]


def archived_summary_html(archived: ArchivedRecord) -> str:
    """What a person needs after an archived run: status, where the record and its page are."""
    r = archived.record
    status = STATUS_LABELS.get(r.status, r.status)
    color = "#1b7a3a" if r.status == "passed" else "#b00020"
    lines = [
        f'<p><b style="color:{color}">Ejecución archivada: {html.escape(status)}</b></p>',
        "<ul>",
        f"<li>Registro: <code>{html.escape(str(archived.folder))}</code></li>",
        f"<li>Página del registro: <code>{html.escape(str(archived.html_file))}</code></li>",
    ]
    if r.activities:
        lines.append(f"<li>Actividades: {', '.join(map(str, r.activities))}</li>")
    for d in r.decisions:
        lines.append(
            f"<li>Decisión de la actividad {d.activity}: <b>{html.escape(d.answer_label)}</b> — "
            f"{html.escape(d.reason)}</li>"
        )
    lines.append("</ul>")
    if r.failure is not None:
        # what went wrong, as the form's own errors read (the record has the details)
        lines.append(
            f'<p style="color:#b00020"><b>Error:</b> {html.escape(r.failure.error_value)}</p>'
        )
    return "".join(lines)
