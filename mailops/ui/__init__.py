"""Small ipywidgets forms for the notebooks: thin, they only collect values and call the library."""

from __future__ import annotations

from mailops.ui.forms import Form, build_form, show_form

__all__ = ["Form", "build_form", "show_form"]
