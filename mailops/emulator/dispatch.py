"""From a request to a response: routing, fault injection, partial responses and statistics.

Used for plain HTTP requests and for each part of a batch. Faults apply only to routes that
exist in Google (``Route.google``); the ``/_emulator/`` control routes are never disturbed.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from typing import Any

from mailops.emulator.errors import ApiError, bad_request
from mailops.emulator.faults import FaultInjector
from mailops.emulator.partial import apply_fields, parse_fields
from mailops.emulator.routing import Request, Response, Route, Router
from mailops.errors import EmulatorError

__all__ = ["Dispatcher", "Stats"]

_log = logging.getLogger(__name__)


class Stats:
    """Counters of what the emulator served: by route and status, and injected faults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.batch_parts = 0
        self.by_route: dict[str, dict[str, int]] = {}

    def record(self, route: str, status: int, *, part: bool = False) -> None:
        with self._lock:
            if part:
                self.batch_parts += 1
            else:
                self.requests += 1
            counts = self.by_route.setdefault(route, {})
            counts[str(status)] = counts.get(str(status), 0) + 1

    def reset(self) -> None:
        with self._lock:
            self.requests = 0
            self.batch_parts = 0
            self.by_route = {}

    def to_json(self, injected: dict[str, int]) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self.requests,
                "batch_parts": self.batch_parts,
                "by_route": {k: dict(v) for k, v in sorted(self.by_route.items())},
                "injected_faults": dict(injected),
            }


def control_error(message: str, code: int = 400) -> Response:
    """An error of the control routes (Spanish message, Google's JSON shape)."""
    return Response(
        code,
        {
            "error": {
                "code": code,
                "message": message,
                "errors": [{"message": message, "domain": "emulator", "reason": "invalid"}],
                "status": "INVALID_ARGUMENT",
            }
        },
    )


class Dispatcher:
    """Routes requests and applies faults; one per running server."""

    def __init__(self, router: Router, injector: FaultInjector) -> None:
        self.router = router
        self.injector = injector
        self.stats = Stats()

    def handle(self, req: Request) -> Response:
        """A whole HTTP request: latency once, then the route (a batch dispatches its parts)."""
        try:
            route, groups = self.router.match(req.method, req.path)
        except ApiError as exc:
            self.stats.record("unknown", exc.code)
            return Response.from_error(exc)
        faults = self.injector.faults
        if route.google and faults.latency_ms:
            time.sleep(faults.latency_ms / 1000)
        is_batch = route.name == "batch"
        response = self._run(
            route, groups, req, check=route.google and not is_batch, outage=route.google
        )
        self.stats.record(route.name, response.status)
        return response

    def handle_part(self, req: Request) -> Response:
        """One part of a batch: counted against quota and subject to faults on its own."""
        try:
            route, groups = self.router.match(req.method, req.path)
        except ApiError as exc:
            self.stats.record("unknown", exc.code, part=True)
            return Response.from_error(exc)
        if not route.google or route.name == "batch":
            response = Response.from_error(
                ApiError(400, "badRequest", f"Not allowed in a batch: {req.path}")
            )
        else:
            response = self._run(route, groups, req, check=True, outage=True)
        self.stats.record(route.name, response.status, part=True)
        return response

    def _run(
        self, route: Route, groups: dict[str, str], req: Request, *, check: bool, outage: bool
    ) -> Response:
        try:
            if check:
                self.injector.check(req.caller)
            elif outage:
                self.injector.check_outage()
            response = route.handler(req, groups)
            spec = req.query.get("fields")
            if spec and response.status == 200 and isinstance(response.body, dict):
                response = Response(
                    200, apply_fields(response.body, parse_fields(spec)), response.headers
                )
            return response
        except ApiError as exc:
            return Response.from_error(exc)
        except EmulatorError as exc:
            return control_error(str(exc))
        except sqlite3.OperationalError as exc:
            return Response.from_error(
                ApiError(503, "backendError", f"Backend Error ({exc})", status="UNAVAILABLE")
            )
        except RecursionError:
            # Hostile nesting (a JSON body, a fields selector) beyond what the parsers recurse.
            return Response.from_error(
                bad_request(
                    "Invalid request: the body or the fields selector is nested too deeply."
                )
            )
        except Exception:
            # Any other failure answers like Google's backend, per request (or batch part), so
            # one bad request never drops a connection nor the rest of a batch.
            _log.exception("emulator: unexpected error in %s", route.name)
            return Response.from_error(
                ApiError(500, "backendError", "Internal error encountered.", status="INTERNAL")
            )
