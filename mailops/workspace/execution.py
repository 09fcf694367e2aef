"""Executing calls: one at a time with retries, page after page, or many in Google batches.

A ``Call`` names an API method by Google's own dotted name ("users.aliases.insert") and its
parameters, so that it can be journaled, retried and batched without knowing the client
library. ``Executor`` runs calls; it is the only place that knows about retries, pacing,
paging and batching.

Example::

    ex.execute(Call("directory", "users.get", {"userKey": "ana.perez@cajica.example"}))
    report = ex.run_batch([Call("directory", "users.insert", {"body": u}, key=u["primaryEmail"])
                           for u in users])
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httplib2
from googleapiclient.errors import BatchError, HttpError

from mailops.errors import AlreadyExistsError, WorkspaceError
from mailops.workspace.failures import (
    Failure,
    is_retryable,
    read_http_error,
    to_error,
    transport_failure,
)
from mailops.workspace.pacing import Backoff, Pacer
from mailops.workspace.services import ServiceFactory

__all__ = ["BatchReport", "Call", "Executor", "ItemResult"]

log = logging.getLogger(__name__)

MAX_BATCH = 1000  # Google's limit of calls in one batch request
_TRANSPORT_ERRORS = (ConnectionError, socket.timeout, TimeoutError, httplib2.HttpLib2Error, OSError)


@dataclass(frozen=True)
class Call:
    """One API call: ``api`` ("directory"...), dotted ``method``, its ``params``.

    ``key`` identifies the call in a batch report (default: its position). ``confirm`` resolves
    an ambiguous "already exists" after a retry: it returns the existing resource when it is
    the one this call created (so the call succeeded on an earlier try), else None.
    """

    api: str
    method: str
    params: Mapping[str, Any] = field(default_factory=dict)
    key: str = ""
    confirm: Callable[[], dict[str, Any] | None] | None = field(default=None, compare=False)

    def describe(self) -> str:
        about = self.key or next(
            (str(v) for k, v in self.params.items() if k.endswith("Key") or k == "customer"), ""
        )
        return f"{self.method} {about}".strip()


@dataclass(frozen=True)
class ItemResult:
    """What happened to one call of a batch."""

    key: str
    response: dict[str, Any] | None
    error: WorkspaceError | None
    attempts: int
    confirmed: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BatchReport:
    """Per-item results of ``Executor.run_batch`` and how much it took."""

    results: dict[str, ItemResult] = field(default_factory=dict)
    rounds: int = 0
    http_requests: int = 0
    retried: int = 0

    @property
    def succeeded(self) -> dict[str, dict[str, Any]]:
        return {k: r.response or {} for k, r in self.results.items() if r.ok}

    @property
    def failed(self) -> dict[str, WorkspaceError]:
        return {k: r.error for k, r in self.results.items() if r.error is not None}


class Executor:
    """Runs calls through a ServiceFactory with retries, pacing and batching."""

    def __init__(
        self,
        factory: ServiceFactory,
        *,
        max_tries: int = 8,
        batch_size: int = 50,
        pacer: Pacer | None = None,
        backoff: Backoff | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not 1 <= batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be within 1..{MAX_BATCH}")
        if max_tries < 1:
            raise ValueError("max_tries must be >= 1")
        self.factory = factory
        self.max_tries = max_tries
        self.batch_size = batch_size
        self.pacer = pacer or Pacer(None)
        self.backoff = backoff or Backoff()
        self._sleep = sleep
        self.http_requests = 0

    # -- building -------------------------------------------------------------------------
    def _service(self, call: Call) -> Any:
        # Gmail data belongs to the mailbox's user: with domain-wide delegation the call must
        # act as that user ("me" and the emulator keep the default)
        user = call.params.get("userId") if call.api == "gmail" else None
        subject = user if isinstance(user, str) and "@" in user else None
        return self.factory.service(call.api, call.method, subject=subject)

    def request(self, call: Call) -> Any:
        """The googleapiclient HttpRequest for ``call`` (not executed)."""
        node = self._service(call)
        *resources, method = call.method.split(".")
        try:
            for name in resources:
                node = getattr(node, name)()
            return getattr(node, method)(**call.params)
        except AttributeError:
            raise ValueError(f"{call.api} has no method {call.method!r}") from None
        except TypeError as exc:  # googleapiclient: missing/unknown parameter
            raise ValueError(f"{call.method}: {exc}") from None

    # -- one call -------------------------------------------------------------------------
    def execute(self, call: Call) -> dict[str, Any]:
        """Run one call, retrying what Google says is transient. Raises WorkspaceError."""
        request = self.request(call)
        failure: Failure | None = None
        for attempt in range(1, self.max_tries + 1):
            self.pacer.acquire(1)
            self.http_requests += 1
            try:
                result = request.execute(num_retries=0)
                return result if isinstance(result, dict) else {}
            except HttpError as exc:
                failure = read_http_error(exc)
            except _TRANSPORT_ERRORS as exc:
                failure = transport_failure(exc)
            if attempt > 1 and failure.status == 409 and call.confirm is not None:
                existing = call.confirm()
                if existing is not None:
                    return existing
            if not is_retryable(failure) or attempt == self.max_tries:
                break
            if failure.retry_after:
                self.pacer.penalise(failure.retry_after)
            wait = self.backoff.delay(attempt, failure.retry_after)
            log.info(
                "%s: %s %s, reintento %d en %.1f s",
                call.describe(),
                failure.status,
                failure.reason,
                attempt,
                wait,
            )
            self._sleep(wait)
        assert failure is not None
        raise to_error(failure, item=call.key or None)

    def pages(self, call: Call, items_key: str) -> Iterator[list[dict[str, Any]]]:
        """Run a list call page after page (following nextPageToken), yielding each page's items."""
        params = dict(call.params)
        while True:
            page = self.execute(Call(call.api, call.method, params, key=call.key))
            yield list(page.get(items_key, []))
            token = page.get("nextPageToken")
            if not token:
                return
            params["pageToken"] = token

    def list_all(self, call: Call, items_key: str) -> list[dict[str, Any]]:
        return [item for page in self.pages(call, items_key) for item in page]

    # -- many calls -----------------------------------------------------------------------
    def run_batch(
        self,
        calls: Iterable[Call],
        *,
        on_result: Callable[[Call, ItemResult], None] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> BatchReport:
        """Send ``calls`` as Google batch requests of ``batch_size``; per-item results.

        Items that fail transiently are re-queued for the next round (after a backoff), never
        those that succeeded; final results are reported through ``on_result`` as soon as they
        are known (a journal can record them), and ``progress(n)`` counts finished items.
        """
        pending: list[tuple[str, Call]] = []
        seen: set[str] = set()
        for i, call in enumerate(calls):
            key = call.key or str(i)
            if key in seen:
                raise ValueError(f"duplicate call key {key!r} in one batch")
            seen.add(key)
            pending.append((key, call))
        report = BatchReport()
        requests_before = self.http_requests
        attempts: dict[str, int] = dict.fromkeys(seen, 0)
        last: dict[str, Failure] = {}

        def finish(key: str, call: Call, result: ItemResult) -> None:
            report.results[key] = result
            if on_result is not None:
                on_result(call, result)
            if progress is not None:
                progress(1)

        while pending:
            report.rounds += 1
            retry: list[tuple[str, Call]] = []
            worst_after: float | None = None
            for chunk in _chunks(pending, self.batch_size):
                for key, call, outcome in self._send_batch(chunk):
                    attempts[key] += 1
                    if isinstance(outcome, dict):
                        finish(key, call, ItemResult(key, outcome, None, attempts[key]))
                        continue
                    failure = outcome
                    if failure.status == 409 and key in last and call.confirm is not None:
                        existing = call.confirm()
                        if existing is not None:
                            finish(key, call, ItemResult(key, existing, None, attempts[key], True))
                            continue
                    if is_retryable(failure) and attempts[key] < self.max_tries:
                        last[key] = failure
                        retry.append((key, call))
                        if failure.retry_after:
                            worst_after = max(worst_after or 0.0, failure.retry_after)
                        continue
                    err = to_error(failure, item=key)
                    if isinstance(err, AlreadyExistsError) and key in last:
                        log.warning("%s: ya existía tras un reintento", key)
                    finish(key, call, ItemResult(key, None, err, attempts[key]))
            if retry:
                report.retried += len(retry)
                if worst_after:
                    self.pacer.penalise(worst_after)
                self._sleep(self.backoff.delay(report.rounds, worst_after))
            pending = retry
        report.http_requests = self.http_requests - requests_before
        return report

    def _send_batch(
        self, chunk: list[tuple[str, Call]]
    ) -> Iterator[tuple[str, Call, dict[str, Any] | Failure]]:
        """One batch HTTP request; yields each item's response or Failure."""
        groups: dict[int, list[tuple[str, Call, Any]]] = {}
        services: dict[int, Any] = {}
        for key, call in chunk:
            svc = self._service(call)
            groups.setdefault(id(svc), []).append((key, call, self.request(call)))
            services[id(svc)] = svc
        for sid, items in groups.items():
            answers: dict[str, dict[str, Any] | Failure] = {}
            batch = services[sid].new_batch_http_request(callback=_collector(answers))
            for n, (_key, _call, request) in enumerate(items):
                batch.add(request, request_id=str(n))
            self.pacer.acquire(len(items))
            self.http_requests += 1
            whole: Failure | None = None
            try:
                batch.execute()
            except HttpError as exc:
                whole = read_http_error(exc)
            except _TRANSPORT_ERRORS as exc:
                whole = transport_failure(exc)
            except (BatchError, KeyError) as exc:  # malformed reply, or a part missing from it
                whole = Failure(0, "batchError", f"{type(exc).__name__}: {exc}")
            for n, (key, call, _request) in enumerate(items):
                outcome = answers.get(str(n))
                if outcome is None:
                    outcome = whole or Failure(
                        0, "batchError", "la respuesta del lote no incluyó este elemento"
                    )
                yield key, call, outcome


def _collector(answers: dict[str, dict[str, Any] | Failure]) -> Callable[[str, Any, Any], None]:
    """A BatchHttpRequest callback that files each part's answer under its request id."""

    def callback(request_id: str, response: Any, exception: Any) -> None:
        if exception is None:
            answers[request_id] = response if isinstance(response, dict) else {}
        elif isinstance(exception, HttpError):
            answers[request_id] = read_http_error(exception)
        else:
            answers[request_id] = Failure(0, "transportError", str(exception))

    return callback


def _chunks(items: list[tuple[str, Call]], size: int) -> Iterator[list[tuple[str, Call]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
