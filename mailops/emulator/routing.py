"""Requests, responses and the router that maps (HTTP method, path) to a handler.

Each API area registers its routes on one ``Router`` (see ``mailops.emulator.areas``). A route
pattern is a regular expression with named groups, matched against the URL-decoded-later path:
groups are handed to the handler still percent-encoded, the handler decodes what it needs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mailops.emulator.errors import ApiError, bad_request, not_found

__all__ = ["Handler", "Request", "Response", "Route", "Router"]


@dataclass(frozen=True)
class Request:
    """One HTTP request (or one part of a batch), already split into its pieces."""

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes = b""

    def json(self) -> dict[str, Any]:
        """The JSON object in the body ({} when empty); 400 when it is not a JSON object."""
        if not self.body.strip():
            return {}
        try:
            data = json.loads(self.body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise bad_request("Invalid JSON payload received.") from None
        if not isinstance(data, dict):
            raise bad_request("Invalid JSON payload received. Expected an object.")
        return data

    @property
    def caller(self) -> str:
        """Who is calling, for quota purposes: the Authorization header or "anonymous"."""
        for key, value in self.headers.items():
            if key.lower() == "authorization" and value:
                return value
        return "anonymous"


@dataclass(frozen=True)
class Response:
    """What a handler answers: status, JSON-able body (None = no body) and extra headers."""

    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def payload(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_error(cls, error: ApiError) -> Response:
        return cls(error.code, error.to_json(), error.headers)


Handler = Callable[[Request, Mapping[str, str]], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    name: str
    google: bool


class Router:
    """An ordered table of routes; the first match wins."""

    def __init__(self) -> None:
        self._routes: list[Route] = []

    def add(
        self, method: str, pattern: str, handler: Handler, *, name: str, google: bool = True
    ) -> None:
        """Register ``handler`` for ``method`` on paths fully matching ``pattern``.

        ``google`` says whether the route exists in Google (faults, quota and outages apply) or
        is an emulator-only control route.
        """
        self._routes.append(Route(method.upper(), re.compile(pattern), handler, name, google))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        """The route and its path groups; ApiError 404 when no path matches, 400 on a bad method."""
        path_found = False
        for route in self._routes:
            m = route.pattern.fullmatch(path)
            if m is None:
                continue
            path_found = True
            if route.method == method.upper():
                return route, m.groupdict()
        if path_found:
            raise ApiError(405, "badRequest", f"Method {method} not allowed on {path}")
        raise not_found(path)

    @property
    def routes(self) -> tuple[Route, ...]:
        return tuple(self._routes)
