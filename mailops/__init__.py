"""mailops: the e-mail administration procedure of a municipal IT office, as software.

The names a notebook needs are re-exported here; everything else is reachable by its module.
Heavy areas (Google client, pandas, papermill) load on first use, so ``import mailops`` is quick.

    import mailops
    with mailops.connect() as ws:
        ws.directory.users_frame()
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from mailops.errors import (
    AlreadyExistsError,
    InputError,
    MailopsError,
    NotFoundError,
    SettingsError,
    WorkspaceError,
)
from mailops.settings import Settings, load_settings

try:
    __version__ = version("mailops")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

# name -> module that defines it, imported on first use
_LAZY: dict[str, str] = {
    "ProcedureRun": "mailops.procedure",
    "ProcedureStep": "mailops.records.steps",
    "Workspace": "mailops.workspace",
    "apply_plan": "mailops.provisioning",
    "build_usage_report": "mailops.reporting",
    "connect": "mailops.workspace",
    "load_procedure": "mailops.procedure",
    "plan_form": "mailops.provisioning",
    "read_form": "mailops.provisioning",
    "record_outcome": "mailops.records",
    "render_flowchart": "mailops.procedure",
    "run_notebook": "mailops.records.runner",
    "verify_archive": "mailops.records",
    "verify_service": "mailops.diagnostics",
}

__all__ = [
    "AlreadyExistsError",
    "InputError",
    "MailopsError",
    "NotFoundError",
    "ProcedureRun",
    "ProcedureStep",
    "Settings",
    "SettingsError",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "apply_plan",
    "build_usage_report",
    "connect",
    "load_procedure",
    "load_settings",
    "plan_form",
    "read_form",
    "record_outcome",
    "render_flowchart",
    "run_notebook",
    "verify_archive",
    "verify_service",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mailops' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
