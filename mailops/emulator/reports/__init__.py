"""The Admin SDK Reports API v1 area of the emulator: usage reports (user and customer) and
activities (login, admin), generated on request from the Directory area's state."""

from __future__ import annotations

from mailops.emulator.context import Area, AreaContext, SeedKind
from mailops.emulator.reports.model import ReportsModel
from mailops.emulator.reports.routes import register_routes
from mailops.emulator.routing import Router

__all__ = ["AREA", "ReportsModel"]


def _register(router: Router, ctx: AreaContext) -> None:
    register_routes(router, ReportsModel(ctx.store, ctx.clock))


def _seed(ctx: AreaContext, kind: SeedKind) -> None:
    """Nothing to store: usage is computed from the directory on request."""


AREA = Area(name="reports", schema="", tables=(), register=_register, seed=_seed)
