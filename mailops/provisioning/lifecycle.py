"""Lifecycle of fixed-term accounts: who has expired, who expires soon.

The end date is the ``fecha_fin`` of the account's ``customSchemas.Vinculacion`` (written by
provisioning and by the demo seed). ``plan_expired_suspension`` turns every active account
whose end date has passed into one reviewed plan of suspensions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd

from mailops.errors import InputError
from mailops.provisioning.actions import plan_suspend
from mailops.provisioning.changes import Plan
from mailops.workspace import User, Workspace

__all__ = [
    "Expiry",
    "expired_accounts",
    "expiring_accounts",
    "expiry_frame",
    "plan_expired_suspension",
]


@dataclass(frozen=True)
class Expiry:
    """An account with an end date."""

    address: str
    name: str
    document_id: str
    department: str
    vinculacion: str
    end: date
    days_left: int
    suspended: bool


def _expiry(user: User, today: date) -> Expiry | None:
    schemas = user.raw.get("customSchemas") or {}
    vin = schemas.get("Vinculacion") if isinstance(schemas, dict) else None
    if not isinstance(vin, dict) or not vin.get("fecha_fin"):
        return None
    try:
        end = date.fromisoformat(str(vin["fecha_fin"]))
    except ValueError:
        return None
    return Expiry(
        user.primary_email,
        user.full_name,
        user.document_id,
        user.department,
        str(vin.get("tipo", "")),
        end,
        (end - today).days,
        user.suspended,
    )


def _all(ws: Workspace, today: date) -> list[Expiry]:
    found = (_expiry(u, today) for u in ws.directory.users_list())
    return sorted((e for e in found if e is not None), key=lambda e: (e.end, e.address))


def expired_accounts(ws: Workspace, today: date) -> list[Expiry]:
    """Active accounts whose end date is before ``today``."""
    return [e for e in _all(ws, today) if e.end < today and not e.suspended]


def expiring_accounts(ws: Workspace, today: date, days: int) -> list[Expiry]:
    """Active accounts whose end date falls within the next ``days`` days (today included)."""
    if days < 0:
        raise InputError(f"el número de días debe ser positivo, no {days}", where="días")
    return [e for e in _all(ws, today) if 0 <= e.days_left <= days and not e.suspended]


def expiry_frame(expiries: list[Expiry]) -> pd.DataFrame:
    """Expiries as a table with Spanish column names."""
    return pd.DataFrame(
        [
            {
                "correo": e.address,
                "nombre": e.name,
                "documento": e.document_id,
                "dependencia": e.department,
                "vinculacion": e.vinculacion,
                "fecha_fin": e.end,
                "dias_restantes": e.days_left,
            }
            for e in expiries
        ],
        columns=[
            "correo",
            "nombre",
            "documento",
            "dependencia",
            "vinculacion",
            "fecha_fin",
            "dias_restantes",
        ],
    )


def plan_expired_suspension(
    ws: Workspace, today: date, *, clock: Callable[[], datetime] | None = None
) -> Plan | None:
    """One plan suspending every expired account (None when there is none)."""
    expired = expired_accounts(ws, today)
    if not expired:
        return None
    plan = plan_suspend(
        ws, [e.address for e in expired], clock=clock or (lambda: datetime.now(UTC))
    )
    ends = {e.address: e.end for e in expired}
    items = tuple(
        dataclasses.replace(
            item,
            reasons=(f"su vinculación terminó el {ends[item.address]:%d/%m/%Y}", *item.reasons),
        )
        for item in plan.items
    )
    return Plan(
        plan.batch_id.replace("suspender", "vencidos", 1),
        f"Suspensión de vinculaciones vencidas al {today:%d/%m/%Y}",
        plan.domain,
        items,
        plan.created_at,
    )
