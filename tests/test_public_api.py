"""The top-level surface: complete, sorted, and every name resolves."""

from __future__ import annotations

import subprocess
import sys

import mailops


def test_all_is_sorted_and_every_name_resolves() -> None:
    assert mailops.__all__ == sorted(mailops.__all__)
    for name in mailops.__all__:
        assert getattr(mailops, name) is not None, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        mailops.no_existe  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "no_existe" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_importing_mailops_does_not_load_the_heavy_areas() -> None:
    code = "import sys, mailops; print(sorted(m for m in ('pandas', 'googleapiclient', 'papermill') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
