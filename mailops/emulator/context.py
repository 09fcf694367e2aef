"""What an API area receives from the server, and what it must provide (the extension point).

An area is a sibling package of ``mailops.emulator.directory`` (``reports/``, ``gmail/``,
``status/`` ...) that exposes ``AREA = Area(...)``: its SQLite schema and tables, a ``register``
function that adds its routes to the router, and a ``seed`` function that fills its tables for
the demo or empty domain. ``mailops.emulator.areas.AREAS`` lists them in seeding order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from mailops.emulator.faults import Faults
from mailops.emulator.routing import Router
from mailops.emulator.store import Store

__all__ = ["Area", "AreaContext", "SeedKind"]

SeedKind = Literal["demo", "empty"]


@dataclass(frozen=True)
class AreaContext:
    """Shared by every area: the state file, the clock and the current fault settings."""

    store: Store
    clock: Callable[[], datetime]
    faults: Callable[[], Faults]


@dataclass(frozen=True)
class Area:
    """One emulated API area.

    ``schema``: SQL with ``CREATE ... IF NOT EXISTS``; ``tables``: the tables emptied on reset
    (children before parents is not needed: no foreign keys); ``register(router, ctx)`` adds
    the routes; ``seed(ctx, kind)`` fills the tables (runs inside one write transaction, after
    the areas listed before it).
    """

    name: str
    schema: str
    tables: tuple[str, ...]
    register: Callable[[Router, AreaContext], None]
    seed: Callable[[AreaContext, SeedKind], None]
