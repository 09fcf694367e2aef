"""``connect()``: a Workspace for the configured backend.

With backend ``emulator`` and no ``emulator_url``, connecting starts an in-process emulator on
the SQLite state in the state dir (seeded with the demo domain the first time), so a notebook
works with nothing else running. ``emulator_url`` points at a running ``mailops emulator serve``.
With backend ``google``, calls go to Google with the service account's delegated credentials.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

from mailops.errors import EmulatorError
from mailops.settings import Settings, load_settings
from mailops.workspace.directory import Directory
from mailops.workspace.execution import BatchReport, Call, Executor, ItemResult
from mailops.workspace.gmail import Gmail
from mailops.workspace.pacing import Backoff, Pacer
from mailops.workspace.reports import Reports
from mailops.workspace.services import ServiceFactory
from mailops.workspace.status import StatusDashboard, feed_url_for

__all__ = ["Workspace", "connect"]


class Workspace:
    """One connection to Google Workspace (or the emulator): its APIs and its executor."""

    def __init__(
        self, settings: Settings, executor: Executor, *, closer: Callable[[], None] | None = None
    ) -> None:
        self.settings = settings
        self.executor = executor
        self.directory = Directory(executor, settings.customer_id)
        self.reports = Reports(executor, settings.customer_id)
        self.gmail = Gmail(executor)
        self.status = StatusDashboard(
            feed_url_for(settings.status_feed_url, executor.factory.base_url)
        )
        self._closer = closer

    @property
    def base_url(self) -> str | None:
        """The emulator's URL (None when talking to Google)."""
        return self.executor.factory.base_url

    def execute(self, call: Call) -> dict[str, Any]:
        return self.executor.execute(call)

    def run_batch(
        self,
        calls: Iterable[Call],
        *,
        on_result: Callable[[Call, ItemResult], None] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> BatchReport:
        """Send many calls as Google batch requests (see ``Executor.run_batch``)."""
        return self.executor.run_batch(calls, on_result=on_result, progress=progress)

    def close(self) -> None:
        """Close connections and stop the embedded emulator, if this Workspace started one."""
        self.executor.factory.close()
        if self._closer is not None:
            self._closer()
            self._closer = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self, *exc: tuple[type[BaseException] | None, BaseException | None, TracebackType | None]
    ) -> None:
        self.close()


def connect(
    settings: Settings | None = None,
    *,
    backoff_base: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    rng: random.Random | None = None,
) -> Workspace:
    """Connect to the backend the settings name (``load_settings()`` when None).

    ``backoff_base`` (seconds), ``sleep``, ``clock`` and ``rng`` tune the retry and pacing
    waits (tests make them short and deterministic; give ``sleep`` and ``clock`` together).
    """
    settings = settings or load_settings()
    closer: Callable[[], None] | None = None
    base_url: str | None = None
    if settings.backend == "emulator":
        if settings.emulator_url:
            base_url = settings.emulator_url
        else:
            from mailops.emulator import EmulatorServer

            settings.state_dir.mkdir(parents=True, exist_ok=True)
            try:
                server = EmulatorServer(settings.emulator_state_file, seed="demo")
                server.start()
            except OSError as exc:
                raise EmulatorError(
                    f"No se pudo iniciar el emulador embebido en {settings.emulator_state_file}: {exc}"
                ) from exc
            base_url = server.base_url
            closer = server.stop
    factory = ServiceFactory(settings, base_url=base_url)
    executor = Executor(
        factory,
        max_tries=settings.max_tries,
        batch_size=settings.batch_size,
        pacer=Pacer(settings.quota_per_minute, clock=clock, sleep=sleep),
        backoff=Backoff(base=backoff_base, rng=rng or random.Random()),
        sleep=sleep,
    )
    return Workspace(settings, executor, closer=closer)
