"""The HTML rendering of an executed notebook that goes into each record (nbconvert)."""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["render_html"]


@functools.cache
def _exporter() -> Any:
    from nbconvert import HTMLExporter

    # The classic template is self-contained and needs no network; widget state is never in
    # the notebook we render (the runner drops it first).
    return HTMLExporter(template_name="classic")  # type: ignore[no-untyped-call]


def render_html(nb: Any) -> str:
    """Render a (redacted) notebook node as a standalone HTML page."""
    body, _resources = _exporter().from_notebook_node(nb)
    return str(body)
