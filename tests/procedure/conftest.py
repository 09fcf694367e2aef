from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mailops.procedure import Operator, Procedure, RunRequest, load_procedure
from mailops.procedure.definition import SHIPPED_DEFINITION
from tests.procedure.clock import StepClock


@pytest.fixture(scope="session")
def proc() -> Procedure:
    return load_procedure()


@pytest.fixture
def raw_definition() -> dict[str, Any]:
    """A fresh, editable copy of the shipped definition's JSON."""
    data: dict[str, Any] = json.loads(SHIPPED_DEFINITION.read_text(encoding="utf-8"))
    return copy.deepcopy(data)


@pytest.fixture
def clock() -> Callable[[], dt.datetime]:
    return StepClock()


@pytest.fixture
def operator() -> Operator:
    return Operator("Ana Pérez", "Profesional Universitario")


@pytest.fixture
def director() -> Operator:
    return Operator("Carlos Gómez", "Director TICS-CTEI")


@pytest.fixture
def request_() -> RunRequest:
    return RunRequest(
        "Correo caído en la Secretaría de Hacienda", "Secretaría de Hacienda", "RAD-2026-0042"
    )


@pytest.fixture
def tmp_cwd(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.chdir(tmp_path)
    yield tmp_path
