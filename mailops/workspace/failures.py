"""Google's error replies, read once: which class of MailopsError, and whether to try again.

The retry table is the domain knowledge GAM gathered over the years (its DEFAULT_RETRY_REASONS),
plus what google-api-python-client itself retries (any 5xx, 429, 403 rate limits) and the
propagation delay Google documents for users.insert ("User creation is not complete").
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from typing import Any

from mailops.errors import (
    AlreadyExistsError,
    ConditionNotMetError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    RateLimitedError,
    UnavailableError,
    WorkspaceError,
)

__all__ = ["RETRY_REASONS", "Failure", "is_retryable", "read_http_error", "to_error"]

# Reasons that mean "slow down or try later": nothing was changed.
RATE_REASONS = frozenset(
    {"userRateLimitExceeded", "rateLimitExceeded", "quotaExceeded", "dailyLimitExceeded"}
)
RETRY_REASONS = frozenset(
    {
        "userRateLimitExceeded",
        "rateLimitExceeded",
        "quotaExceeded",
        "sharingRateLimitExceeded",
        "backendError",
        "badGateway",
        "gatewayTimeout",
        "internalError",
        "transientError",
        "serviceNotAvailable",
        "systemError",
    }
)
# Messages that make an otherwise final reason transient.
RETRY_MESSAGES = ("User creation is not complete",)


@dataclass(frozen=True)
class Failure:
    """One error reply, reduced to what decides what to do next."""

    status: int
    reason: str
    message: str
    retry_after: float | None = None


def _parse_retry_after(value: Any) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if seconds >= 0 else None


def read_http_error(exc: Any) -> Failure:
    """Read a googleapiclient HttpError (status, Google reason, message, Retry-After)."""
    resp = getattr(exc, "resp", None)
    status = int(getattr(resp, "status", 0) or 0)
    retry_after = _parse_retry_after(resp.get("retry-after") if resp is not None else None)
    content = getattr(exc, "content", b"") or b""
    reason, message = "", ""
    try:
        body = json.loads(content.decode("utf-8") if isinstance(content, bytes) else content)
    except (ValueError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        err = body["error"]
        message = str(err.get("message", ""))
        errors = err.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            reason = str(errors[0].get("reason", ""))
            message = message or str(errors[0].get("message", ""))
        reason = reason or str(err.get("status", ""))
    if not message:
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content)
        message = text.strip()[:200] or f"HTTP {status}"
    return Failure(status, reason or _default_reason(status), message, retry_after)


def transport_failure(exc: BaseException) -> Failure:
    """A network failure (no HTTP answer) as a Failure with status 0."""
    kind = "timeout" if isinstance(exc, socket.timeout | TimeoutError) else "transportError"
    return Failure(0, kind, f"{type(exc).__name__}: {exc}")


def _default_reason(status: int) -> str:
    return {
        400: "badRequest",
        401: "authError",
        403: "forbidden",
        404: "notFound",
        409: "duplicate",
        412: "conditionNotMet",
        429: "rateLimitExceeded",
        503: "backendError",
    }.get(status, "backendError" if status >= 500 else "unknown")


def is_retryable(f: Failure) -> bool:
    """True when trying the same call again later may succeed and cannot do harm."""
    if f.status == 0 or f.status >= 500 or f.status == 429:
        return True
    if f.reason in RETRY_REASONS:
        return True
    return any(m in f.message for m in RETRY_MESSAGES)


def to_error(f: Failure, *, item: str | None = None) -> WorkspaceError:
    """The MailopsError a Failure stands for."""
    cls: type[WorkspaceError]
    if f.status == 0 or f.status >= 500:
        cls = UnavailableError
    elif f.status == 429 or f.reason in RATE_REASONS:
        cls = RateLimitedError
    elif f.status == 404:
        cls = NotFoundError
    elif f.status == 409:
        cls = AlreadyExistsError
    elif f.status == 412:
        cls = ConditionNotMetError
    elif f.status in (401, 403):
        cls = ForbiddenError
    else:
        cls = InvalidRequestError
    return cls(f.status, f.reason, f.message, item=item, retry_after=f.retry_after)
