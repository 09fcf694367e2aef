"""The Admin SDK Directory API v1 area of the emulator (users, groups, members, org units,
domains, customer)."""

from __future__ import annotations

from mailops.emulator.context import Area, AreaContext, SeedKind
from mailops.emulator.directory.model import DirectoryModel
from mailops.emulator.directory.routes import register_routes
from mailops.emulator.directory.schema import SCHEMA, TABLES
from mailops.emulator.routing import Router

__all__ = ["AREA", "DirectoryModel"]


def _model(ctx: AreaContext) -> DirectoryModel:
    return DirectoryModel(ctx.store, ctx.clock, ctx.faults)


def _register(router: Router, ctx: AreaContext) -> None:
    register_routes(router, _model(ctx))


def _seed(ctx: AreaContext, kind: SeedKind) -> None:
    from mailops.emulator.seed import seed_directory

    seed_directory(_model(ctx), kind)


AREA = Area(name="directory", schema=SCHEMA, tables=TABLES, register=_register, seed=_seed)
