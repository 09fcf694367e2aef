"""The Gmail API v1 area of the emulator: a mailbox per directory user (send, list, get) and
the settings admins use (autoForwarding, forwardingAddresses, sendAs, vacation, delegates)."""

from __future__ import annotations

from mailops.emulator.context import Area, AreaContext, SeedKind
from mailops.emulator.gmail.model import GmailModel
from mailops.emulator.gmail.routes import register_routes
from mailops.emulator.gmail.schema import SCHEMA, TABLES
from mailops.emulator.routing import Router

__all__ = ["AREA", "GmailModel"]


def _register(router: Router, ctx: AreaContext) -> None:
    register_routes(router, GmailModel(ctx.store, ctx.clock))


def _seed(ctx: AreaContext, kind: SeedKind) -> None:
    """Mailboxes start empty: messages arrive through messages.send."""


AREA = Area(name="gmail", schema=SCHEMA, tables=TABLES, register=_register, seed=_seed)
