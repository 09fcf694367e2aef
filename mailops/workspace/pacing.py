"""Staying under Google's quota, and waiting well when we did not.

``Pacer`` is a client-side sliding window: at most ``quota_per_minute`` calls in any window of
a minute (plus a small margin for clock and latency differences with the server). ``Backoff``
is exponential backoff with jitter that honours a server's Retry-After.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Backoff", "Pacer"]

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class Pacer:
    """A sliding-window limiter: ``acquire(n)`` blocks until ``n`` more calls fit the quota.

    Google counts every call, batched or not ("n requests batched together count as n
    requests"), so a batch of 50 acquires 50.
    """

    def __init__(
        self,
        quota_per_minute: int | None,
        *,
        window: float = 60.0,
        margin: float = 0.5,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        if quota_per_minute is not None and quota_per_minute < 1:
            raise ValueError("quota_per_minute must be >= 1 or None")
        self.quota = quota_per_minute
        self.window = window + margin
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()
        self.waited = 0.0

    def acquire(self, n: int = 1) -> None:
        if self.quota is None:
            return
        n = min(n, self.quota)
        with self._lock:
            while True:
                now = self._clock()
                while self._sent and self._sent[0] + self.window <= now + 1e-6:
                    self._sent.popleft()
                if len(self._sent) + n <= self.quota:
                    self._sent.extend([now] * n)
                    return
                # wait until enough old calls leave the window
                idx = len(self._sent) + n - self.quota - 1
                delay = self._sent[idx] + self.window - now
                if delay > 0:
                    self.waited += delay
                    self._sleep(delay)

    def penalise(self, seconds: float) -> None:
        """The server said to wait (Retry-After): block the next acquisitions for that long."""
        if self.quota is None or seconds <= 0:
            return
        with self._lock:
            # pretend the window is full until now + seconds
            stamp = self._clock() + seconds - self.window
            self._sent = deque([stamp] * self.quota)


@dataclass
class Backoff:
    """Exponential backoff with jitter: the wait before try n+1 is between half and all of ``base * 2**(n-1)`` (capped)."""

    base: float = 1.0
    cap: float = 32.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before try ``attempt + 1`` (attempt counts from 1)."""
        ceiling = min(self.cap, self.base * (2 ** (attempt - 1)))
        wait = ceiling / 2 + self.rng.uniform(0, ceiling / 2)
        if retry_after is not None:
            wait = max(wait, retry_after)
        return float(wait)
