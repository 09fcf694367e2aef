"""The papermill engine the runner executes with: papermill's nbclient engine, watched.

It passes the kernel its environment (settings and secrets travel there, never as parameters),
remembers which cell is running (papermill marks a timed-out cell "completed"), reports
progress, and keeps the notebook and client so the runner can classify what happened itself.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

__all__ = ["ENGINE_NAME", "ExecutionWatch"]

ENGINE_NAME = "mailops"


@dataclass
class ExecutionWatch:
    """Shared between the runner and the engine for one execution."""

    kernel_env: dict[str, str]
    on_progress: Callable[[int, int], None] | None = None
    nb: Any = None
    client: Any = None
    current_cell: int | None = None
    total_timeout_hit: bool = False
    interrupted: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def cell_started(self, cell: Any, cell_index: int, **_: Any) -> None:
        self.current_cell = cell_index

    def cell_executed(self, cell: Any, cell_index: int, **_: Any) -> None:
        if self.on_progress is not None and self.nb is not None:
            self.on_progress(cell_index + 1, len(self.nb.cells))

    def signal_received(self) -> bool:
        """True when the run was interrupted by a signal (Ctrl-C, SIGTERM)."""
        return self.interrupted or (
            getattr(self.client, "_async_cleanup_kernel_future", None) is not None
        )

    def kill_kernel(self) -> bool:
        """Outer bound reached: kill the kernel process so execution stops now."""
        self.total_timeout_hit = True
        return self._kill()

    def interrupt(self) -> bool:
        """A signal asked to stop: kill the kernel; False when there was no kernel yet."""
        self.interrupted = True
        return self._kill()

    def _kill(self) -> bool:
        with self._lock:
            km = getattr(self.client, "km", None)
            provisioner = getattr(km, "provisioner", None)
            pid = getattr(provisioner, "pid", None)
            if not pid:
                return False
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                return False
            return True


class WatchedEngine(NBClientEngine):  # type: ignore[misc]
    @classmethod
    def execute_managed_notebook(  # type: ignore[override]
        cls,
        nb_man: Any,
        kernel_name: str,
        *,
        mailops_watch: ExecutionWatch,
        start_timeout: float = 60,
        execution_timeout: float | None = None,
        **kwargs: Any,
    ) -> Any:
        kwargs.pop("input_path", None)
        kwargs.pop("log_output", None)
        mailops_watch.nb = nb_man.nb
        client = PapermillNotebookClient(
            nb_man,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log_output=False,
            on_cell_start=mailops_watch.cell_started,
            on_cell_executed=mailops_watch.cell_executed,
            **kwargs,
        )
        mailops_watch.client = client
        # The kernel's own console chatter (transport warnings, shutdown noise) is not the
        # record; what the notebook prints goes to cell outputs through the protocol.
        return client.execute(
            env=mailops_watch.kernel_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )


papermill_engines.register(ENGINE_NAME, WatchedEngine)
