"""Errors the emulated Google APIs answer with, shaped exactly like Google's.

A model raises ``ApiError`` (or one of the small constructors below); the HTTP layer turns it into
``{"error": {"code", "message", "errors": [{"message", "domain", "reason"}], "status"}}``.
These are not ``MailopsError``: they never leave the emulator, they become HTTP answers.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ApiError",
    "backend_error",
    "bad_request",
    "condition_not_met",
    "duplicate",
    "forbidden",
    "invalid",
    "not_found",
    "rate_limit_exceeded",
    "required",
    "user_rate_limit_exceeded",
]

_STATUS_BY_CODE: dict[int, str] = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "ALREADY_EXISTS",
    412: "FAILED_PRECONDITION",
    429: "RESOURCE_EXHAUSTED",
    503: "UNAVAILABLE",
}


class ApiError(Exception):
    """A Google-shaped API error: HTTP ``code``, machine ``reason``, ``message`` and ``status``."""

    def __init__(
        self,
        code: int,
        reason: str,
        message: str,
        *,
        domain: str = "global",
        status: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{code} {reason}: {message}")
        self.code = code
        self.reason = reason
        self.message = message
        self.domain = domain
        self.status = status or _STATUS_BY_CODE.get(code, "UNKNOWN")
        self.headers = dict(headers or {})

    def to_json(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "errors": [{"message": self.message, "domain": self.domain, "reason": self.reason}],
                "status": self.status,
            }
        }


def not_found(what: str) -> ApiError:
    """404 notFound; ``what`` is Google's text after the colon (``userKey``, ``groupKey`` ...)."""
    return ApiError(404, "notFound", f"Resource Not Found: {what}")


def duplicate(message: str = "Entity already exists.") -> ApiError:
    return ApiError(409, "duplicate", message)


def invalid(message: str) -> ApiError:
    return ApiError(400, "invalid", message)


def required(message: str) -> ApiError:
    return ApiError(400, "required", message)


def bad_request(message: str) -> ApiError:
    return ApiError(400, "badRequest", message)


def forbidden(message: str = "Not Authorized to access this resource/api") -> ApiError:
    return ApiError(403, "forbidden", message)


def condition_not_met(message: str) -> ApiError:
    return ApiError(412, "conditionNotMet", message)


def backend_error() -> ApiError:
    return ApiError(503, "backendError", "Backend Error")


def rate_limit_exceeded() -> ApiError:
    return ApiError(
        429,
        "rateLimitExceeded",
        "Rate Limit Exceeded",
        domain="usageLimits",
        headers={"Retry-After": "1"},
    )


def user_rate_limit_exceeded(retry_after: int) -> ApiError:
    return ApiError(
        403,
        "userRateLimitExceeded",
        "User Rate Limit Exceeded",
        domain="usageLimits",
        status="RESOURCE_EXHAUSTED",
        headers={"Retry-After": str(retry_after)},
    )
