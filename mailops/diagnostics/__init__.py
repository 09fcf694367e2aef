"""Diagnostics of the mail service: service verification (activities 1, 2, 6, 7) and the
activation mail test (activity 9)."""

from __future__ import annotations

from mailops.diagnostics.activation import ActivationResult, run_activation_test
from mailops.diagnostics.verification import (
    Check,
    ServiceVerification,
    answer_label,
    verify_service,
)

__all__ = [
    "ActivationResult",
    "Check",
    "ServiceVerification",
    "answer_label",
    "run_activation_test",
    "verify_service",
]
