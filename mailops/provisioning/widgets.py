"""The interactive form of ``notebooks/02_usuarios.ipynb``: load, validate, plan, confirm, apply.

Thin: every button calls the library. The filled form comes from an upload or a path; the plan
is shown as a table (planning changes nothing); "Aplicar" needs the confirmation box ticked and
runs the notebook in batch with ``aplicar=True`` through the records runner, so the change and
its official record happen together, once (the apply is journaled: a plan already applied
changes nothing). Credentials are never shown: the outcome says where the sealed file is.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mailops.errors import MailopsError
from mailops.provisioning.changes import Plan
from mailops.provisioning.form import read_form
from mailops.provisioning.naming import NamingRule
from mailops.provisioning.planning import plan_form
from mailops.ui.tables import archived_summary_html, table
from mailops.workspace import Workspace

__all__ = ["UsersForm", "users_form"]


@dataclass
class UsersForm:
    """The widgets and what they produced (``plan``, the ``archived`` apply run)."""

    box: Any
    path: Any
    upload: Any
    rule: Any
    plan_button: Any
    confirm: Any
    apply_button: Any
    output: Any
    plan: Plan | None = None
    source: Path | None = None
    domain: str | None = None
    archived: Any = None  # the ArchivedRecord of the apply run
    message: str = ""
    on_applied: list[Callable[[Any], None]] = field(default_factory=list)


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


def users_form(
    ws: Workspace,
    *,
    form_path: str,
    rule: str,
    domain: str | None = None,
    run_file: str = "",
    archive_parameters: dict[str, Any] | None = None,
    notebook: str = "02_usuarios",
) -> UsersForm:
    """Build the form (the caller displays ``.box``).

    ``run_file`` pre-fills the procedure run the apply completes an activity of (its decision 4
    chooses the domain when ``domain`` is not given); ``archive_parameters`` are the notebook's
    other parameters for the archived apply run (operator, role...).
    """
    import ipywidgets as widgets
    from IPython.display import HTML

    from mailops.records.steps import ProcedureStep

    style = {"description_width": "200px"}
    wide = widgets.Layout(width="640px")
    path = widgets.Text(value=form_path, description="Ruta del formato", style=style, layout=wide)
    upload = widgets.FileUpload(
        accept=".xlsx,.csv",
        multiple=False,
        description="Cargar formato",
        layout=widgets.Layout(width="auto"),
    )
    rule_w = widgets.Text(value=rule, description="Regla de direcciones", style=style, layout=wide)
    run_w = widgets.Text(
        value=run_file, description="Ejecución del procedimiento", style=style, layout=wide
    )
    plan_button = widgets.Button(description="Validar y planear", button_style="info")
    confirm = widgets.Checkbox(value=False, description="Revisé el plan y confirmo", indent=False)
    apply_button = widgets.Button(
        description="Aplicar y archivar",
        button_style="danger",
        disabled=True,
        layout=widgets.Layout(width="auto"),
    )
    output = widgets.Output()
    box = widgets.VBox(
        [
            widgets.HTML("<h3>Formato de Creación de Usuarios</h3>"),
            widgets.HBox([path, upload]),
            rule_w,
            run_w,
            plan_button,
            widgets.HBox([confirm, apply_button]),
            output,
        ]
    )
    state = UsersForm(box, path, upload, rule_w, plan_button, confirm, apply_button, output)
    extra = dict(archive_parameters or {})

    # Messages are appended to the output's own state (not displayed inside ``with output``),
    # so each click replaces what the previous one showed, in JupyterLab and in tests alike.
    def show(markup: str) -> None:
        output.append_display_data(HTML(markup))  # type: ignore[no-untyped-call]

    def error(exc: MailopsError) -> None:
        state.message = str(exc)
        show(f'<p style="color:#b00020"><b>Error:</b> {html.escape(str(exc))}</p>')

    def procedure_domain() -> str | None:
        # joining checks the run file now, before anything is planned or applied
        step = ProcedureStep.join(
            notebook.rsplit("/", 1)[-1].removesuffix(".ipynb"),
            settings=ws.settings,
            run_file=run_w.value,
            operator=str(extra.get("operador") or "operador"),
            role=str(extra.get("rol_operador") or "Profesional Universitario"),
        )
        return domain or step.request_domain(ws.settings)

    def on_plan(_: Any) -> None:
        output.outputs = ()
        state.plan = None
        apply_button.disabled = True
        confirm.value = False
        try:
            state.domain = procedure_domain()
            source = _uploaded(upload) or Path(path.value)
            state.source = source
            state.plan = plan_form(
                ws, read_form(source), rule=NamingRule(rule_w.value), domain=state.domain
            )
        except MailopsError as exc:
            error(exc)
            return
        c = state.plan.counts
        show(
            f"<p>Dominio: <b>{html.escape(state.domain or ws.settings.primary_domain)}</b>. "
            f"{c['create']} por crear, {c['update']} por actualizar, {c['none']} sin cambios, "
            f"<b>{c['invalid']} con errores</b>.</p>"
        )
        output.append_display_data(table(state.plan.frame()))
        apply_button.disabled = not state.plan.has_changes

    def on_apply(_: Any) -> None:
        if state.plan is None:
            return
        output.outputs = ()
        if not confirm.value:
            show("<p>Marque la confirmación antes de aplicar.</p>")
            return
        apply_button.disabled = True
        output.append_stdout(
            f"Aplicando el plan en una ejecución por lotes de «{notebook}» que queda archivada…\n"
        )
        params = {
            **extra,
            "ejecucion": run_w.value.strip(),
            "dominio": state.domain or "",
            "formato": str(state.source),
            "regla_direcciones": rule_w.value,
            "aplicar": True,
        }
        try:
            from mailops.records.runner import run_notebook

            state.archived = run_notebook(notebook, params)
        except MailopsError as exc:
            error(exc)
            apply_button.disabled = False
            return
        show(archived_summary_html(state.archived))
        outcome = state.archived.record.outcomes.get("usuarios") or {}
        result = outcome.get("resultado") if isinstance(outcome, dict) else None
        if isinstance(result, dict):
            created = result.get("cuentas_creadas") or []
            lines = [f"Cuentas creadas: {', '.join(created) if created else 'ninguna'}."]
            if result.get("archivo_credenciales") and created:
                lines.append(
                    f"Contraseñas iniciales en el archivo sellado {result['archivo_credenciales']}."
                )
            show("<p>" + "<br>".join(html.escape(x) for x in lines) + "</p>")
        confirm.value = False
        for callback in state.on_applied:
            callback(state.archived)

    plan_button.on_click(on_plan)
    apply_button.on_click(on_apply)
    return state
