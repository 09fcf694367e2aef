"""Small ipywidgets forms and tables for the notebooks: thin, they only collect values, call the
library, and show results the way a person reads them."""

from __future__ import annotations

from mailops.ui.forms import Form, build_form, show_form
from mailops.ui.tables import archived_summary_html, table, table_html

__all__ = ["Form", "archived_summary_html", "build_form", "show_form", "table", "table_html"]
