from __future__ import annotations

import random

import pytest

from mailops.workspace.pacing import Backoff, Pacer


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_pacer_lets_a_full_quota_through_then_waits_for_the_window() -> None:
    t = FakeTime()
    pacer = Pacer(10, window=60, margin=0, clock=t.clock, sleep=t.sleep)
    for _ in range(10):
        pacer.acquire()
    assert t.slept == []
    pacer.acquire()
    assert t.slept == [60.0]


def test_pacer_never_allows_more_than_the_quota_in_any_window() -> None:
    t = FakeTime()
    pacer = Pacer(100, window=60, margin=0, clock=t.clock, sleep=t.sleep)
    stamps: list[float] = []
    for i in range(1000):
        pacer.acquire(7 if i % 3 else 1)
        stamps.append(t.now)
        t.now += 0.01
    # count calls in every 60 s window starting at each stamp
    acquired = [7 if i % 3 else 1 for i in range(1000)]
    for i, start in enumerate(stamps):
        total = sum(
            n for s, n in zip(stamps[i:], acquired[i:], strict=True) if s < start + 60 - 1e-5
        )
        assert total <= 100


def test_pacer_without_quota_never_waits() -> None:
    t = FakeTime()
    pacer = Pacer(None, clock=t.clock, sleep=t.sleep)
    for _ in range(10_000):
        pacer.acquire(50)
    assert t.slept == []


def test_penalise_blocks_for_the_retry_after_time() -> None:
    t = FakeTime()
    pacer = Pacer(100, window=60, margin=0, clock=t.clock, sleep=t.sleep)
    pacer.penalise(5)
    pacer.acquire()
    assert t.slept == [pytest.approx(5.0)]


def test_pacer_rejects_a_zero_quota() -> None:
    with pytest.raises(ValueError):
        Pacer(0)


def test_backoff_grows_exponentially_within_its_jitter_and_cap() -> None:
    b = Backoff(base=1.0, cap=8.0, rng=random.Random(1))
    for attempt, ceiling in [(1, 1), (2, 2), (3, 4), (4, 8), (5, 8), (9, 8)]:
        d = b.delay(attempt)
        assert ceiling / 2 <= d <= ceiling


def test_backoff_honours_retry_after() -> None:
    assert Backoff(base=0.1, rng=random.Random(1)).delay(1, retry_after=7) == 7
