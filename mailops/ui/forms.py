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
    """A built form: its field widgets by name, the submit button, the output area, the box."""

    fields: Mapping[str, Any]
    submit: Any
    output: Any
    box: Any

    def values(self) -> dict[str, Any]:
        """The current value of every field, by name."""
        return {name: widget.value for name, widget in self.fields.items()}


def _label(name: str, labels: Mapping[str, str]) -> str:
    return labels.get(name) or name.replace("_", " ").capitalize()


def _field(name: str, value: Any, label: str, options: Sequence[str] | None) -> Any:
    import ipywidgets as widgets

    style = {"description_width": "initial"}
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
        return widgets.Text(value=value, description=label, style=style)
    raise DefinitionError(
        f"formulario: el campo «{name}» tiene un valor de tipo {type(value).__name__}; "
        "use texto, booleano, entero, decimal o fecha"
    )


def _in_kernel() -> bool:
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def build_form(
    defaults: Mapping[str, FieldValue],
    on_submit: Callable[..., Any],
    *,
    labels: Mapping[str, str] | None = None,
    choices: Mapping[str, Sequence[str]] | None = None,
    submit_label: str = "Ejecutar",
    title: str | None = None,
) -> Form:
    """Build (without showing) a form whose button calls ``on_submit(**values)``.

    The result (if not None) is shown in the form's output area; a ``MailopsError`` is shown
    there as a Spanish message instead of a traceback.
    """
    import ipywidgets as widgets
    from IPython.display import HTML

    labels = labels or {}
    choices = choices or {}
    unknown = sorted(set(choices) - set(defaults))
    if unknown:
        raise DefinitionError(f"formulario: opciones para campos inexistentes: {unknown}")
    fields = {
        name: _field(name, value, _label(name, labels), choices.get(name))
        for name, value in defaults.items()
    }
    submit = widgets.Button(description=submit_label, button_style="primary")
    output = widgets.Output()
    header = [widgets.HTML(f"<h3>{html.escape(title)}</h3>")] if title else []
    box = widgets.VBox([*header, *fields.values(), submit, output])
    form = Form(fields=fields, submit=submit, output=output, box=box)

    def on_click(_: Any) -> None:
        output.outputs = ()
        submit.disabled = True
        try:
            with output:  # in a kernel, also captures what on_submit prints
                result = on_submit(**form.values())
            if result is not None:
                output.append_display_data(result)
        except MailopsError as exc:
            message = f'<p style="color:#b00020"><b>Error:</b> {html.escape(str(exc))}</p>'
            output.append_display_data(HTML(message))  # type: ignore[no-untyped-call]
        finally:
            submit.disabled = False

    submit.on_click(on_click)
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
) -> Any:
    """Interactive: display the pre-filled form and return it. Batch: call ``on_submit``.

    In batch mode ``on_submit(**defaults)`` runs at once, its result is displayed in the
    ordinary cell output (so the archived notebook shows it) and returned; errors propagate,
    so the run fails and the failure is recorded.
    """
    if not interactive:
        result = on_submit(**dict(defaults))
        if result is not None and _in_kernel():
            from IPython.display import display

            display(result)  # type: ignore[no-untyped-call]
        return result
    form = build_form(
        defaults,
        on_submit,
        labels=labels,
        choices=choices,
        submit_label=submit_label,
        title=title,
    )
    if _in_kernel():
        from IPython.display import display

        display(form.box)  # type: ignore[no-untyped-call]
    return form
