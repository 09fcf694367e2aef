"""The Directory's lastLoginTime and isEnrolledIn2Sv agree with the usage reports."""

from __future__ import annotations

import pandas as pd

from mailops.workspace import Workspace


def test_directory_activity_agrees_with_the_reports(shared_workspace: Workspace) -> None:
    users = {u.primary_email: u for u in shared_workspace.directory.users_list()}
    frame = shared_workspace.reports.user_usage().frame.set_index("usuario")
    enrolled = frame["accounts:is_2sv_enrolled"]
    shared = [e for e in users if e in frame.index]
    assert len(shared) > 250
    assert all(bool(users[e].raw["isEnrolledIn2Sv"]) == bool(enrolled[e]) for e in shared)
    assert 0.3 < sum(bool(users[e].raw["isEnrolledIn2Sv"]) for e in shared) / len(shared) < 0.9
    reported = frame["accounts:last_login_time"]
    for e in shared:
        seen = users[e].last_login_time
        if pd.isna(reported[e]):
            continue  # never logged in by the report's day
        # the directory looks up to yesterday, the report up to its (older) day
        assert seen is not None and seen >= reported[e].to_pydatetime()
    never = [e for e in shared if pd.isna(reported[e]) and users[e].last_login_time is None]
    assert never  # some accounts never logged in, and both sources say so
