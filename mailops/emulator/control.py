"""``/_emulator/...``: the emulator's own control routes (nothing here exists in Google).

``GET /_emulator/health``, ``GET|POST /_emulator/faults``, ``POST /_emulator/reset``,
``GET /_emulator/stats``. Answers are JSON; errors carry Spanish messages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mailops.emulator.dispatch import control_error
from mailops.emulator.faults import Faults
from mailops.emulator.routing import Request, Response, Router
from mailops.errors import EmulatorError

__all__ = ["ControlHooks", "register"]


@dataclass(frozen=True)
class ControlHooks:
    """What the control routes may read and change on the running server."""

    get_faults: Callable[[], Faults]
    set_faults: Callable[[Faults], None]
    reset: Callable[[], None]
    stats: Callable[[], dict[str, Any]]
    health: Callable[[], dict[str, Any]]


def register(router: Router, hooks: ControlHooks) -> None:
    def health(req: Request, p: Mapping[str, str]) -> Response:
        return Response(200, hooks.health())

    def get_faults(req: Request, p: Mapping[str, str]) -> Response:
        return Response(200, hooks.get_faults().to_json())

    def post_faults(req: Request, p: Mapping[str, str]) -> Response:
        try:
            body = req.json()
        except Exception:
            return control_error("El cuerpo debe ser un objeto JSON con los parámetros de fallas.")
        try:
            hooks.set_faults(hooks.get_faults().updated(body))
        except EmulatorError as exc:
            return control_error(str(exc))
        except TypeError as exc:
            return control_error(f"Parámetros de fallas inválidos: {exc}")
        return Response(200, hooks.get_faults().to_json())

    def reset(req: Request, p: Mapping[str, str]) -> Response:
        hooks.reset()
        return Response(200, {"reset": True, "mensaje": "Estado del emulador restaurado."})

    def stats(req: Request, p: Mapping[str, str]) -> Response:
        return Response(200, hooks.stats())

    router.add("GET", r"/_emulator/health", health, name="control.health", google=False)
    router.add("GET", r"/_emulator/faults", get_faults, name="control.faults", google=False)
    router.add("POST", r"/_emulator/faults", post_faults, name="control.faults", google=False)
    router.add("POST", r"/_emulator/reset", reset, name="control.reset", google=False)
    router.add("GET", r"/_emulator/stats", stats, name="control.stats", google=False)
