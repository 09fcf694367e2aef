"""Fault and quota injection: what makes the emulator misbehave the way Google does.

``Faults`` is the setting (a frozen value, validated); ``FaultInjector`` applies it to each
request or batch part before any processing, so an injected failure never changes state.
"""

from __future__ import annotations

import math
import random
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

from mailops.emulator.errors import (
    ApiError,
    backend_error,
    rate_limit_exceeded,
    user_rate_limit_exceeded,
)
from mailops.errors import EmulatorError

__all__ = ["FAULT_NAMES", "FaultInjector", "Faults"]

_WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class Faults:
    """How the emulator misbehaves.

    ``quota_per_minute``: requests per caller in a sliding 60 s window (None = unlimited);
    ``error_rate``: share of requests answered with a transient error (0.0-1.0);
    ``latency_ms``: sleep per HTTP request; ``outage``: every Google route answers 503;
    ``creation_delay_ms``: a new user cannot be changed for that long (412);
    ``fail_next``: the next N requests answer 503 backendError; ``seed``: RNG of error_rate.
    """

    quota_per_minute: int | None = 2400
    error_rate: float = 0.0
    latency_ms: int = 0
    outage: bool = False
    creation_delay_ms: int = 0
    fail_next: int = 0
    seed: int = 0

    def __post_init__(self) -> None:
        q = self.quota_per_minute
        if q is not None and (isinstance(q, bool) or not isinstance(q, int) or q < 1):
            raise EmulatorError(
                f"Valor inválido para quota_per_minute: {q!r}. Debe ser un entero mayor o igual "
                "a 1, o None para no limitar."
            )
        rate = self.error_rate
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0.0 <= rate <= 1.0:
            raise EmulatorError(
                f"Valor inválido para error_rate: {rate!r}. Debe ser un número entre 0.0 y 1.0."
            )
        for name in ("latency_ms", "creation_delay_ms", "fail_next", "seed"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise EmulatorError(
                    f"Valor inválido para {name}: {value!r}. Debe ser un entero mayor o igual a 0."
                )
        if self.latency_ms > 60_000 or self.creation_delay_ms > 3_600_000:
            raise EmulatorError(
                "Valor demasiado grande: latency_ms admite hasta 60000 y creation_delay_ms hasta "
                "3600000 milisegundos."
            )
        if not isinstance(self.outage, bool):
            raise EmulatorError(
                f"Valor inválido para outage: {self.outage!r}. Debe ser true o false."
            )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def updated(self, changes: Mapping[str, Any]) -> Faults:
        """A copy with ``changes`` applied; EmulatorError on unknown names or bad values."""
        unknown = sorted(set(changes) - set(FAULT_NAMES))
        if unknown:
            raise EmulatorError(
                f"Parámetro de fallas desconocido: {', '.join(unknown)}. "
                f"Los válidos son: {', '.join(FAULT_NAMES)}."
            )
        return replace(self, **dict(changes))


FAULT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Faults))


class FaultInjector:
    """Applies a ``Faults`` setting; keeps the quota windows, the RNG and the counters."""

    def __init__(self, faults: Faults, clock: Callable[[], datetime]) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._faults = faults
        self._fail_next = faults.fail_next
        self._rng = random.Random(faults.seed)
        self._windows: dict[str, deque[float]] = {}
        self.injected: dict[str, int] = {}

    @property
    def faults(self) -> Faults:
        with self._lock:
            return replace(self._faults, fail_next=self._fail_next)

    @faults.setter
    def faults(self, value: Faults) -> None:
        if not isinstance(value, Faults):
            raise EmulatorError("faults debe ser un objeto Faults.")
        with self._lock:
            # Restart the RNG on every change, so that a setting gives the same sequence.
            self._rng = random.Random(value.seed)
            self._faults = value
            self._fail_next = value.fail_next

    def reset_counters(self) -> None:
        with self._lock:
            self._windows.clear()
            self.injected.clear()

    def check_outage(self) -> None:
        """503 for every Google route while the outage lasts."""
        if self._faults.outage:
            self._count("outage")
            raise ApiError(
                503, "backendError", "The service is currently unavailable.", status="UNAVAILABLE"
            )

    def check(self, caller: str) -> None:
        """Called once per request or batch part, before anything is processed."""
        self.check_outage()
        with self._lock:
            if self._fail_next > 0:
                self._fail_next -= 1
                self._count_locked("fail_next")
                raise backend_error()
            quota = self._faults.quota_per_minute
            if quota is not None:
                now = self._clock().timestamp()
                window = self._windows.setdefault(caller, deque())
                while window and window[0] <= now - _WINDOW_SECONDS:
                    window.popleft()
                if len(window) >= quota:
                    retry_after = max(1, math.ceil(window[0] + _WINDOW_SECONDS - now))
                    self._count_locked("quota")
                    raise user_rate_limit_exceeded(retry_after)
                window.append(now)
            if self._faults.error_rate > 0 and self._rng.random() < self._faults.error_rate:
                pick = self._rng.randrange(3)
                self._count_locked("error_rate")
                if pick == 0:
                    raise backend_error()
                if pick == 1:
                    raise rate_limit_exceeded()
                raise user_rate_limit_exceeded(1)

    def _count(self, kind: str) -> None:
        with self._lock:
            self._count_locked(kind)

    def _count_locked(self, kind: str) -> None:
        self.injected[kind] = self.injected.get(kind, 0) + 1
