"""The Google Workspace Status Dashboard area of the emulator.

``GET /appsstatus/dashboard/incidents.json`` and ``/appsstatus/dashboard/products.json`` in
Google's shape; ``GET|POST /_emulator/status`` (emulator only) reads or switches an open Gmail
outage: ``{"gmail_outage": true}``.
"""

from __future__ import annotations

from collections.abc import Mapping

from mailops.emulator.context import Area, AreaContext, SeedKind
from mailops.emulator.dispatch import control_error
from mailops.emulator.routing import Request, Response, Router
from mailops.emulator.status.feed import GMAIL_PRODUCT_ID, StatusModel

__all__ = ["AREA", "GMAIL_PRODUCT_ID", "StatusModel"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS st_incidents (
    id TEXT PRIMARY KEY,
    begin TEXT NOT NULL,
    json TEXT NOT NULL
);
"""


def _register(router: Router, ctx: AreaContext) -> None:
    model = StatusModel(ctx.store, ctx.clock)

    def incidents(req: Request, p: Mapping[str, str]) -> Response:
        return Response(200, model.incidents())

    def products(req: Request, p: Mapping[str, str]) -> Response:
        return Response(200, model.products())

    def get_state(req: Request, p: Mapping[str, str]) -> Response:
        return Response(200, model.state())

    def post_state(req: Request, p: Mapping[str, str]) -> Response:
        try:
            body = req.json()
        except Exception:
            return control_error('El cuerpo debe ser un objeto JSON: {"gmail_outage": true}.')
        value = body.get("gmail_outage")
        if set(body) != {"gmail_outage"} or not isinstance(value, bool):
            return control_error(
                'Use {"gmail_outage": true} para abrir una caída emulada de Gmail o '
                '{"gmail_outage": false} para cerrarla.'
            )
        return Response(200, model.set_gmail_outage(value))

    # The dashboard is not an API of the customer's domain: no quota, no injected faults.
    base = "/appsstatus/dashboard"
    router.add("GET", f"{base}/incidents.json", incidents, name="status.incidents", google=False)
    router.add("GET", f"{base}/products.json", products, name="status.products", google=False)
    router.add("GET", r"/_emulator/status", get_state, name="control.status", google=False)
    router.add("POST", r"/_emulator/status", post_state, name="control.status", google=False)


def _seed(ctx: AreaContext, kind: SeedKind) -> None:
    StatusModel(ctx.store, ctx.clock).seed()


AREA = Area(name="status", schema=SCHEMA, tables=("st_incidents",), register=_register, seed=_seed)
