"""What the Directory says about a user's activity, from the same habits the Reports area uses.

Google's user resource carries ``lastLoginTime`` and ``isEnrolledIn2Sv``; in the emulator both
come from the deterministic habits behind the usage reports (``mailops.emulator.reports.usage``),
so a user who, by the reports, logged in yesterday and uses 2-step verification shows the same
in users.get and users.list.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mailops.emulator.directory.state import rfc3339
from mailops.emulator.reports.accounts import Account
from mailops.emulator.reports.usage import NEVER, last_login, traits_of, usage_seed

__all__ = ["activity_fields"]


def activity_fields(
    seed_kind: str | None, row: sqlite3.Row, data: dict[str, Any], today: date
) -> dict[str, Any]:
    """``lastLoginTime`` (up to the end of yesterday) and ``isEnrolledIn2Sv`` of one user."""
    created_text = str(data.get("creationTime") or "")
    try:
        created = datetime.fromisoformat(created_text.replace("Z", "+00:00"))
    except ValueError:
        created = datetime(2020, 1, 1, tzinfo=UTC)
    account = Account(
        id=str(row["id"]),
        email=str(row["primary_email"]),
        given_name=str(row["given_name"]),
        family_name=str(row["family_name"]),
        org_unit_path=str(row["org_unit_path"]),
        suspended=bool(row["is_suspended"]),
        is_admin=bool(row["is_admin"]),
        created=created,
        deleted=None,
    )
    seed = usage_seed(seed_kind)
    traits = traits_of(seed, account)
    seen = last_login(seed, account, traits, today - timedelta(days=1))
    return {
        "lastLoginTime": rfc3339(seen if seen > NEVER else NEVER),
        "isEnrolledIn2Sv": traits.two_sv,
    }
