"""The HTML rendering of an executed notebook that goes into each record (nbconvert).

nbconvert's "basic" template gives the notebook body alone; it is wrapped here in a small
standalone page with a short stylesheet of our own. The "classic" and "lab" templates inline
about 280 KB of CSS (and link CDN scripts) in every page, which, multiplied by every run of
every notebook, would make most of the archive's weight; this page is self-contained, needs
no network and is typically a few kilobytes.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Any

__all__ = ["render_html"]

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222;
       line-height: 1.45; padding: 0 1rem; }
.jp-Cell { margin: 0.8rem 0; }
.jp-InputArea-prompt, .jp-OutputArea-prompt { display: none; }
.jp-CodeCell .jp-InputArea pre, .highlight pre { background: #f5f6f8; border-left: 3px solid
       #9aa5b1; padding: 0.6rem 0.8rem; overflow-x: auto; font-size: 0.85rem; }
.jp-OutputArea-output pre { background: #fff; border-left: 3px solid #dfe3e8; padding: 0.4rem
       0.8rem; overflow-x: auto; font-size: 0.85rem; white-space: pre-wrap; }
.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"] pre,
.jp-OutputArea-output.jp-OutputArea-executeResult pre.ansi-red-fg { color: #b00020; }
.jp-RenderedHTMLCommon table { border-collapse: collapse; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { border: 1px solid #ccd; padding:
       0.2rem 0.5rem; }
img { max-width: 100%; }
.ansi-red-fg { color: #b00020; } .ansi-green-fg { color: #1b7f3b; }
.ansi-yellow-fg { color: #8a6d00; } .ansi-blue-fg { color: #1f4e9c; }
.ansi-cyan-fg { color: #0b6e75; } .ansi-bold { font-weight: bold; }
"""


@functools.cache
def _exporter() -> Any:
    from nbconvert import HTMLExporter

    # (nbconvert's sanitize_html escapes headings and paragraphs of markdown cells into
    # visible tags with the bleach it finds here; scripts are removed below instead)
    return HTMLExporter(template_name="basic")  # type: ignore[no-untyped-call]


# The record is opened in a browser: nothing in it may run there. Outputs of our notebooks
# carry no script; anything script-like that an output brings is removed.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>|<script\b[^>]*/?>", re.IGNORECASE | re.DOTALL)
_HANDLER = re.compile(r"""\s+on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_JS_URL = re.compile(r"""(href|src)\s*=\s*(["']?)\s*javascript:""", re.IGNORECASE)


def _inert(body: str) -> str:
    body = _SCRIPT.sub("", body)
    body = _HANDLER.sub("", body)
    return _JS_URL.sub(r"\1=\2#", body)


def render_html(nb: Any, *, title: str = "Registro de ejecución") -> str:
    """Render a (redacted) notebook node as a small standalone HTML page (Spanish)."""
    body, _resources = _exporter().from_notebook_node(nb)
    body = _inert(body)
    return (
        '<!DOCTYPE html>\n<html lang="es">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
