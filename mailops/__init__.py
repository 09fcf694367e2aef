"""mailops: the e-mail administration procedure of a municipal IT office, as software.

The names a notebook needs are re-exported here; everything else is reachable by its module.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

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

__all__ = [
    "AlreadyExistsError",
    "InputError",
    "MailopsError",
    "NotFoundError",
    "Settings",
    "SettingsError",
    "WorkspaceError",
    "__version__",
    "load_settings",
]
