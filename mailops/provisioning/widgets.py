"""The interactive form of ``notebooks/02_usuarios.ipynb``: load, validate, plan, confirm, apply.

Thin: every button calls the library (``read_form``, ``plan_form``, ``apply_plan``). The filled
form comes from an upload or a path; the plan is shown as a table; "Aplicar" needs the
confirmation box ticked and applies exactly the plan shown. Credentials are never shown: the
outcome says where the sealed file is and how many entries it has.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mailops.errors import MailopsError
from mailops.provisioning.apply import ApplyReport, apply_plan
from mailops.provisioning.changes import Plan
from mailops.provisioning.form import read_form
from mailops.provisioning.naming import NamingRule
from mailops.provisioning.planning import plan_form
from mailops.workspace import Workspace

__all__ = ["UsersForm", "users_form"]


@dataclass
class UsersForm:
    """The widgets and what they produced (``plan``, ``report``), for the notebook to record."""

    box: Any
    path: Any
    upload: Any
    rule: Any
    plan_button: Any
    confirm: Any
    apply_button: Any
    output: Any
    plan: Plan | None = None
    report: ApplyReport | None = None
    message: str = ""
    on_applied: list[Callable[[ApplyReport], None]] = field(default_factory=list)


def _uploaded(upload: Any) -> Path | None:
    value = upload.value
    items = list(value.values()) if isinstance(value, dict) else list(value or ())
    if not items:
        return None
    item = items[-1]
    name = str(item.get("name") or item.get("metadata", {}).get("name", "formato.xlsx"))
    content = bytes(item["content"])
    folder = Path(tempfile.mkdtemp(prefix="mailops-formato-"))
    target = folder / Path(name).name
    target.write_bytes(content)
    return target


def users_form(ws: Workspace, *, form_path: str, rule: str) -> UsersForm:
    """Build the form (the caller displays ``.box``)."""
    import ipywidgets as widgets
    from IPython.display import HTML, display

    style = {"description_width": "initial"}
    path = widgets.Text(value=form_path, description="Ruta del formato", style=style)
    upload = widgets.FileUpload(accept=".xlsx,.csv", multiple=False, description="Cargar formato")
    rule_w = widgets.Text(value=rule, description="Regla de direcciones", style=style)
    plan_button = widgets.Button(description="Validar y planear", button_style="info")
    confirm = widgets.Checkbox(value=False, description="Revisé el plan y confirmo", indent=False)
    apply_button = widgets.Button(description="Aplicar", button_style="danger", disabled=True)
    output = widgets.Output()
    box = widgets.VBox(
        [
            widgets.HTML("<h3>Formato de Creación de Usuarios</h3>"),
            widgets.HBox([path, upload]),
            rule_w,
            plan_button,
            widgets.HBox([confirm, apply_button]),
            output,
        ]
    )
    state = UsersForm(box, path, upload, rule_w, plan_button, confirm, apply_button, output)

    def error(exc: MailopsError) -> None:
        state.message = str(exc)
        display(HTML(f'<p style="color:#b00020"><b>Error:</b> {html.escape(str(exc))}</p>'))  # type: ignore[no-untyped-call]

    def on_plan(_: Any) -> None:
        output.clear_output()
        state.plan = None
        apply_button.disabled = True
        confirm.value = False
        with output:
            try:
                source = _uploaded(upload) or Path(path.value)
                state.plan = plan_form(ws, read_form(source), rule=NamingRule(rule_w.value))
            except MailopsError as exc:
                error(exc)
                return
            c = state.plan.counts
            summary = (
                f"<p>{c['create']} por crear, {c['update']} por actualizar, {c['none']} sin "
                f"cambios, <b>{c['invalid']} con errores</b>.</p>"
            )
            display(HTML(summary))  # type: ignore[no-untyped-call]
            display(state.plan.frame())  # type: ignore[no-untyped-call]
            apply_button.disabled = not state.plan.has_changes

    def on_apply(_: Any) -> None:
        if state.plan is None:
            return
        with output:
            if not confirm.value:
                display(HTML("<p>Marque la confirmación antes de aplicar.</p>"))  # type: ignore[no-untyped-call]
                return
            apply_button.disabled = True
            try:
                state.report = apply_plan(ws, state.plan)
            except MailopsError as exc:
                error(exc)
                return
            display(HTML(f"<pre>{html.escape(state.report.text())}</pre>"))  # type: ignore[no-untyped-call]
            for callback in state.on_applied:
                callback(state.report)

    plan_button.on_click(on_plan)
    apply_button.on_click(on_apply)
    return state
