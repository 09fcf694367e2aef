"""A deterministic clock for runs."""

from __future__ import annotations

import datetime as dt


class StepClock:
    """A clock that advances one minute per call, from a fixed UTC start."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.now = start or dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        value = self.now
        self.now += dt.timedelta(minutes=1)
        return value
