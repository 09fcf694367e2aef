"""Fixed-term accounts: expired ones suspended in one reviewed step; a report of the next N days."""

from __future__ import annotations

from datetime import date, timedelta

from mailops.provisioning.apply import apply_plan
from mailops.provisioning.lifecycle import (
    expired_accounts,
    expiring_accounts,
    expiry_frame,
    plan_expired_suspension,
)
from mailops.workspace import Workspace


def ends(ws: Workspace) -> list[date]:
    out = []
    for u in ws.directory.users_list("isSuspended=false"):
        end = (u.raw.get("customSchemas") or {}).get("Vinculacion", {}).get("fecha_fin")
        if end:
            out.append(date.fromisoformat(end))
    return sorted(out)


def test_expired_accounts_are_those_whose_end_date_has_passed(ws: Workspace) -> None:
    dates = ends(ws)
    today = dates[len(dates) // 2]
    expired = expired_accounts(ws, today)
    assert expired and all(e.end < today and not e.suspended for e in expired)
    assert len(expired) == sum(1 for d in dates if d < today)


def test_expired_accounts_are_suspended_in_one_reviewed_plan(ws: Workspace) -> None:
    today = ends(ws)[3] + timedelta(days=1)
    plan = plan_expired_suspension(ws, today)
    assert plan is not None and len(plan.steps) == len(expired_accounts(ws, today)) >= 4
    assert plan.items[0].reasons[0].startswith("su vinculación terminó el ")
    assert apply_plan(ws, plan, progress=False).ok
    assert expired_accounts(ws, today) == []
    assert plan_expired_suspension(ws, today) is None


def test_the_expiry_report_lists_the_next_n_days(ws: Workspace) -> None:
    dates = ends(ws)
    today = dates[0]
    soon = expiring_accounts(ws, today, 30)
    assert len(soon) == sum(1 for d in dates if today <= d <= today + timedelta(days=30))
    frame = expiry_frame(soon)
    assert list(frame.columns)[:2] == ["correo", "nombre"]
    assert frame["dias_restantes"].between(0, 30).all()
