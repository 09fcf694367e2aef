"""Forms built from a notebook's parameters, the same in interactive and batch runs.

Every notebook follows one pattern: its ``parameters`` cell holds the defaults and an
``interactive`` flag; ``show_form`` then either shows a form pre-filled with those defaults
(interactive) or calls the same library function directly with them (batch, as ``mailops run``
does), so that a papermill run needs no clicks and its results land in ordinary cell output
(widget callback output lives only in widget state, which is never archived)::

    from mailops.ui import show_form
    show_form(
        {"correo": correo, "unidad": unidad, "fecha": fecha},
        on_submit=crear_usuario,          # a library call taking those names
        interactive=interactive,
        labels={"correo": "Correo institucional"},
        choices={"unidad": ["/Educación", "/Tesorería"]},
    )

Field widgets follow the default's type: ``bool`` → Checkbox, ``int`` → IntText, ``float`` →
FloatText, ``datetime.date`` → DatePicker, ``str`` → Text (Dropdown when ``choices`` has it).

The official record: what a person does in an interactive session lives only in that kernel, so
with ``archive_as`` the form also runs the same notebook in batch, through the records runner,
with the values on screen (``mailops run`` would do the same) and shows where the archived record
is. With ``archive_only`` that is the form's only action, for notebooks whose action changes
state (starting a procedure run, applying a plan) and must therefore happen once, on the record.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mailops.errors import DefinitionError, MailopsError

__all__ = ["FieldValue", "Form", "build_form", "show_form"]

FieldValue = str | bool | int | float | dt.date


@dataclass(frozen=True)
class Form:
    """A built form: its field widgets by name, the buttons, the output area, the box.

    ``submit`` runs ``on_submit`` in this kernel (None with ``archive_only``); ``archive`` runs
    the notebook in batch into the archive (None without ``archive_as``).
    """

    fields: Mapping[str, Any]
    submit: Any
    output: Any
    box: Any
    archive: Any = None

    def values(self) -> dict[str, Any]:
        """The current value of every field, by name."""
        return {name: widget.value for name, widget in self.fields.items()}


def _label(name: str, labels: Mapping[str, str]) -> str:
    return labels.get(name) or name.replace("_", " ").capitalize()


def _field(name: str, value: Any, label: str, options: Sequence[str] | None) -> Any:
    import ipywidgets as widgets

    style = {"description_width": "240px"}
    wide = widgets.Layout(width="680px")
    if isinstance(value, bool):
        return widgets.Checkbox(value=value, description=label, indent=False)
    if isinstance(value, int):
        return widgets.IntText(value=value, description=label, style=style)
    if isinstance(value, float):
        return widgets.FloatText(value=value, description=label, style=style)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return widgets.DatePicker(value=value, description=label, style=style)
    if isinstance(value, str):
        if options is not None:
            choices = list(options)
            if value not in choices:
                raise DefinitionError(
                    f"formulario: el valor por defecto de «{name}» ({value!r}) no está entre "
                    f"las opciones {choices}"
                )
            return widgets.Dropdown(options=choices, value=value, description=label, style=style)
        return widgets.Text(value=value, description=label, style=style, layout=wide)
    raise DefinitionError(
        f"formulario: el campo «{name}» tiene un valor de tipo {type(value).__name__}; "
        "use texto, booleano, entero, decimal o fecha"
    )


def _in_kernel() -> bool:
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _show_error(output: Any, exc: MailopsError) -> None:
    from IPython.display import HTML

    message = f'<p style="color:#b00020"><b>Error:</b> {html.escape(str(exc))}</p>'
    output.append_display_data(HTML(message))  # type: ignore[no-untyped-call]


def _run_guarded(output: Any, buttons: Sequence[Any], action: Callable[[], Any]) -> None:
    """Run ``action`` with its prints captured in ``output``; a MailopsError becomes a Spanish
    message there (ipywidgets' Output would otherwise print its English traceback)."""
    output.outputs = ()
    for b in buttons:
        b.disabled = True
    try:
        failed: MailopsError | None = None
        result: Any = None
        # the except must be inside the with: in a kernel, Output's __exit__ prints the
        # traceback (in English) and swallows the exception
        with output:  # also captures what the action prints
            try:
                result = action()
            except MailopsError as exc:
                failed = exc
        if failed is not None:
            _show_error(output, failed)
        else:
            # appended, not displayed inside ``with output``: the widget's own state then holds
            # the result, in JupyterLab and in a kernel with no front-end alike
            for item in result if isinstance(result, tuple) else (result,):
                if item is not None:
                    output.append_display_data(item)
    finally:
        for b in buttons:
            b.disabled = False


def build_form(
    defaults: Mapping[str, FieldValue],
    on_submit: Callable[..., Any] | None,
    *,
    labels: Mapping[str, str] | None = None,
    choices: Mapping[str, Sequence[str]] | None = None,
    submit_label: str = "Ejecutar",
    title: str | None = None,
    archive_as: str | None = None,
    archive_parameters: Mapping[str, Any] | None = None,
    archive_label: str = "Ejecutar y archivar (registro oficial)",
    on_archived: Callable[[Any], Any] | None = None,
    check: Callable[..., None] | None = None,
) -> Form:
    """Build (without showing) a form whose button calls ``on_submit(**values)``.

    The result (if not None) is shown in the form's output area; a ``MailopsError`` is shown
    there as a Spanish message instead of a traceback. With ``archive_as`` (a notebook name) a
    second button runs that notebook in batch with the form's values plus
    ``archive_parameters`` and shows the archived record; ``on_archived(record)`` may return
    something more to show. With ``on_submit=None`` archiving is the only action. ``check``
    (called with the form's values, raising ``MailopsError``) refuses bad values before a batch
    run starts, so a typo does not cost a failed record.
    """
    import ipywidgets as widgets

    labels = labels or {}
    choices = choices or {}
    unknown = sorted(set(choices) - set(defaults))
    if unknown:
        raise DefinitionError(f"formulario: opciones para campos inexistentes: {unknown}")
    if on_submit is None and archive_as is None:
        raise DefinitionError("formulario: sin acción (ni on_submit ni archive_as)")
    fields = {
        name: _field(name, value, _label(name, labels), choices.get(name))
        for name, value in defaults.items()
    }
    output = widgets.Output()
    submit = widgets.Button(description=submit_label, button_style="primary") if on_submit else None
    archive = (
        widgets.Button(
            description=archive_label if on_submit else submit_label,
            button_style="success" if on_submit else "primary",
            layout=widgets.Layout(width="auto"),
        )
        if archive_as
        else None
    )
    buttons = [b for b in (submit, archive) if b is not None]
    header = [widgets.HTML(f"<h3>{html.escape(title)}</h3>")] if title else []
    box = widgets.VBox([*header, *fields.values(), widgets.HBox(buttons), output])
    form = Form(fields=fields, submit=submit, output=output, box=box, archive=archive)

    if submit is not None and on_submit is not None:
        action = on_submit
        submit.on_click(lambda _: _run_guarded(output, buttons, lambda: action(**form.values())))

    if archive is not None and archive_as is not None:
        notebook = archive_as
        extra = dict(archive_parameters or {})

        def run_and_archive() -> tuple[Any, Any]:
            from IPython.display import HTML

            from mailops.records.runner import run_notebook
            from mailops.ui.tables import archived_summary_html

            values = form.values()
            if check is not None:
                check(**values)
            output.append_stdout(f"Ejecutando «{notebook}» en lote y archivándolo…\n")
            archived = run_notebook(notebook, {**extra, **values})
            summary = HTML(archived_summary_html(archived))  # type: ignore[no-untyped-call]
            return summary, on_archived(archived) if on_archived is not None else None

        archive.on_click(lambda _: _run_guarded(output, buttons, run_and_archive))
    return form


def show_form(
    defaults: Mapping[str, FieldValue],
    on_submit: Callable[..., Any],
    interactive: bool,
    *,
    labels: Mapping[str, str] | None = None,
    choices: Mapping[str, Sequence[str]] | None = None,
    submit_label: str = "Ejecutar",
    title: str | None = None,
    archive_as: str | None = None,
    archive_parameters: Mapping[str, Any] | None = None,
    archive_only: bool = False,
    on_archived: Callable[[Any], Any] | None = None,
    check: Callable[..., None] | None = None,
) -> Any:
    """Interactive: display the pre-filled form and return it. Batch: call ``on_submit``.

    In batch mode ``on_submit(**defaults)`` runs at once, its result is displayed in the
    ordinary cell output (so the archived notebook shows it) and returned; errors propagate,
    so the run fails and the failure is recorded. In interactive mode, ``archive_as`` adds the
    button that runs the notebook in batch into the archive (the only button with
    ``archive_only``); see ``build_form``.
    """
    if not interactive:
        result = on_submit(**dict(defaults))
        if result is not None and _in_kernel():
            from IPython.display import display

            display(result)  # type: ignore[no-untyped-call]
        return result
    if archive_only and archive_as is None:
        raise DefinitionError("formulario: archive_only necesita archive_as")
    form = build_form(
        defaults,
        None if archive_only else on_submit,
        labels=labels,
        choices=choices,
        submit_label=submit_label,
        title=title,
        archive_as=archive_as,
        archive_parameters=archive_parameters,
        on_archived=on_archived,
        check=check,
    )
    if _in_kernel():
        from IPython.display import display

        display(form.box)  # type: ignore[no-untyped-call]
    return form
