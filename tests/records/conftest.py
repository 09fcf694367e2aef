from __future__ import annotations

from pathlib import Path

import pytest

from mailops.settings import Settings, load_settings
from tests.records.factories import SteppingClock


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default settings with the archive and state under a temporary folder."""
    env = {
        "MAILOPS_ARCHIVE_ROOT": str(tmp_path / "archive"),
        "MAILOPS_STATE_DIR": str(tmp_path / "state"),
    }
    return load_settings(env=env, cwd=tmp_path)


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()
