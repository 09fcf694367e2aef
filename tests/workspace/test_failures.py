from __future__ import annotations

import json
from typing import Any

import httplib2
import pytest
from googleapiclient.errors import HttpError

from mailops.errors import (
    AlreadyExistsError,
    ConditionNotMetError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    RateLimitedError,
    UnavailableError,
)
from mailops.workspace.failures import Failure, is_retryable, read_http_error, to_error


def http_error(status: int, reason: str | None, message: str, **headers: str) -> HttpError:
    resp = httplib2.Response({"status": str(status), **headers})
    body: dict[str, Any] = {"error": {"code": status, "message": message}}
    if reason is not None:
        body["error"]["errors"] = [{"message": message, "domain": "global", "reason": reason}]
    return HttpError(resp, json.dumps(body).encode(), uri="http://127.0.0.1/x")


def test_reads_reason_message_and_retry_after_from_a_google_error() -> None:
    f = read_http_error(
        http_error(403, "userRateLimitExceeded", "User Rate Limit Exceeded", **{"retry-after": "3"})
    )
    assert f == Failure(403, "userRateLimitExceeded", "User Rate Limit Exceeded", 3.0)


def test_falls_back_to_status_when_the_body_has_no_errors_list() -> None:
    resp = httplib2.Response({"status": "404"})
    body = json.dumps(
        {"error": {"code": 404, "message": "Not Found", "status": "NOT_FOUND"}}
    ).encode()
    assert read_http_error(HttpError(resp, body)).reason == "NOT_FOUND"


def test_a_non_json_body_keeps_its_text() -> None:
    resp = httplib2.Response({"status": "502"})
    f = read_http_error(HttpError(resp, b"<html>Bad Gateway</html>"))
    assert (f.status, f.reason, f.message) == (502, "backendError", "<html>Bad Gateway</html>")


@pytest.mark.parametrize(
    ("status", "reason", "message", "retry"),
    [
        (503, "backendError", "Backend Error", True),
        (500, "internalError", "Internal", True),
        (429, "rateLimitExceeded", "Too many", True),
        (403, "userRateLimitExceeded", "User Rate Limit Exceeded", True),
        (403, "rateLimitExceeded", "Rate Limit Exceeded", True),
        (403, "quotaExceeded", "Quota", True),
        (412, "conditionNotMet", "User creation is not complete.", True),
        (0, "transportError", "ConnectionResetError", True),
        (403, "forbidden", "Not Authorized to access this resource/api", False),
        (404, "notFound", "Resource Not Found: userKey", False),
        (409, "duplicate", "Entity already exists.", False),
        (412, "conditionNotMet", "Cyclic memberships not allowed", False),
        (400, "invalid", "Invalid Input", False),
    ],
)
def test_retry_table(status: int, reason: str, message: str, retry: bool) -> None:
    assert is_retryable(Failure(status, reason, message)) is retry


@pytest.mark.parametrize(
    ("status", "reason", "cls"),
    [
        (404, "notFound", NotFoundError),
        (409, "duplicate", AlreadyExistsError),
        (400, "invalid", InvalidRequestError),
        (412, "conditionNotMet", ConditionNotMetError),
        (403, "forbidden", ForbiddenError),
        (401, "authError", ForbiddenError),
        (403, "userRateLimitExceeded", RateLimitedError),
        (429, "rateLimitExceeded", RateLimitedError),
        (503, "backendError", UnavailableError),
        (0, "transportError", UnavailableError),
    ],
)
def test_failures_map_to_the_error_tree_keeping_status_reason_and_message(
    status: int, reason: str, cls: type[Exception]
) -> None:
    err = to_error(Failure(status, reason, "texto de Google"), item="ana@cajica.example")
    assert type(err) is cls
    assert (err.status, err.reason, err.message, err.item) == (
        status,
        reason,
        "texto de Google",
        "ana@cajica.example",
    )
    assert "ana@cajica.example" in str(err) and "texto de Google" in str(err)
