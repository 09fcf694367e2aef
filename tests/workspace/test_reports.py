"""mailops.workspace.reports against the emulator: typed frames, paging, data delay (step
back), warnings, ranges, customer usage and activities."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from mailops.emulator import EmulatorServer
from mailops.emulator.directory import DirectoryModel
from mailops.errors import InputError, InvalidRequestError
from mailops.workspace import Workspace
from tests.emulator_apis.support import (
    ADMIN,
    COMPLETE_USER_DAY,
    LAST_USER_DAY,
    TODAY,
    Clock,
    running_emulator,
    workspace,
)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server(tmp_path: Path, clock: Clock) -> Iterator[EmulatorServer]:
    with running_emulator(tmp_path, clock) as emu:
        yield emu


@pytest.fixture
def ws(server: EmulatorServer, tmp_path: Path, clock: Clock) -> Iterator[Workspace]:
    with workspace(server, tmp_path) as connected:
        connected.reports.clock = clock
        yield connected


def test_user_usage_gives_one_typed_row_per_user(ws: Workspace) -> None:
    result = ws.reports.user_usage(COMPLETE_USER_DAY)
    frame = result.frame
    assert len(frame) == 300
    assert frame["usuario"].is_unique
    assert str(frame["gmail:num_emails_received"].dtype) == "Int64"
    assert str(frame["accounts:is_2sv_enrolled"].dtype) == "boolean"
    assert str(frame["accounts:last_login_time"].dtype).startswith("datetime64")
    assert str(frame["accounts:last_login_time"].dt.tz) == "UTC"
    assert set(frame["fecha"]) == {pd.Timestamp(COMPLETE_USER_DAY)}
    assert result.dates == (COMPLETE_USER_DAY,)
    assert result.warnings == ()


def test_user_usage_of_today_steps_back_to_the_last_available_date(ws: Workspace) -> None:
    result = ws.reports.user_usage()
    assert result.requested == TODAY
    assert result.dates == (LAST_USER_DAY,)
    assert result.unavailable == (TODAY,)
    assert result.stepped_back


def test_user_usage_keeps_googles_partial_data_warnings(ws: Workspace) -> None:
    result = ws.reports.user_usage(LAST_USER_DAY)
    assert [w.code for w in result.warnings] == ["PARTIAL_DATA_AVAILABLE"]
    assert result.warnings[0].application == "gmail"
    assert result.partial_dates == (LAST_USER_DAY,)
    assert "gmail:num_emails_received" not in result.frame


def test_complete_usage_steps_back_over_partial_days(ws: Workspace) -> None:
    result = ws.reports.user_usage(complete=True)
    assert result.dates == (COMPLETE_USER_DAY,)
    assert result.warnings == ()


def test_without_step_back_a_too_recent_date_raises_googles_error(ws: Workspace) -> None:
    with pytest.raises(InvalidRequestError) as info:
        ws.reports.user_usage(TODAY, step_back=False)
    assert "is not yet available" in info.value.message
    assert info.value.status == 400


def test_step_back_gives_up_after_the_allowed_steps(ws: Workspace) -> None:
    with pytest.raises(InputError) as info:
        ws.reports.user_usage(TODAY, complete=True, max_steps=2)
    assert "Google no tiene datos de uso publicados" in str(info.value)


def test_parameters_choose_the_columns(ws: Workspace) -> None:
    frame = ws.reports.user_usage(
        COMPLETE_USER_DAY, parameters=["gmail:num_emails_sent", "accounts:is_suspended"]
    ).frame
    assert list(frame.columns) == [
        "fecha",
        "usuario",
        "id_perfil",
        "gmail:num_emails_sent",
        "accounts:is_suspended",
    ]


def test_filters_are_passed_to_google(ws: Workspace) -> None:
    frame = ws.reports.user_usage(
        COMPLETE_USER_DAY,
        parameters=["accounts:is_suspended"],
        filters="accounts:is_suspended==true",
    ).frame
    suspended = ws.directory.users_list(query="isSuspended=true")
    assert sorted(frame["usuario"]) == sorted(u.primary_email for u in suspended)


def test_a_range_gives_one_row_per_user_and_day(ws: Workspace) -> None:
    start = COMPLETE_USER_DAY - timedelta(days=2)
    result = ws.reports.user_usage_range(
        start, COMPLETE_USER_DAY, parameters=["gmail:num_emails_received"]
    )
    users = ws.directory.users_list()
    expected = {
        pd.Timestamp(day): sum(
            1 for u in users if u.creation_time is not None and u.creation_time.date() <= day
        )
        for day in result.dates
    }
    assert result.dates == tuple(start + timedelta(days=n) for n in range(3))
    assert result.frame.groupby("fecha").size().to_dict() == expected
    assert not result.frame.duplicated(["usuario", "fecha"]).any()
    assert result.requests == 3


def test_a_range_skips_days_google_has_not_published(ws: Workspace) -> None:
    result = ws.reports.user_usage_range(
        LAST_USER_DAY - timedelta(days=1), TODAY, parameters=["accounts:is_suspended"]
    )
    assert result.dates == (LAST_USER_DAY - timedelta(days=1), LAST_USER_DAY)
    assert result.unavailable == (LAST_USER_DAY + timedelta(days=1), TODAY)


def test_a_range_that_ends_before_it_starts_is_refused(ws: Workspace) -> None:
    with pytest.raises(InputError) as info:
        ws.reports.user_usage_range(COMPLETE_USER_DAY, COMPLETE_USER_DAY - timedelta(days=1))
    assert "es anterior a la inicial" in str(info.value)


def test_never_logged_in_is_read_as_missing_time(ws: Workspace) -> None:
    frame = ws.reports.user_usage(COMPLETE_USER_DAY, parameters=["accounts:last_login_time"]).frame
    never = frame["accounts:last_login_time"].isna()
    assert 0 < never.sum() < len(frame)
    assert frame["accounts:last_login_time"].dropna().dt.year.min() >= 2023


def test_usage_pages_are_all_read_for_more_than_1000_users(
    server: EmulatorServer, ws: Workspace, clock: Clock
) -> None:
    model = DirectoryModel(_store(server), clock, lambda: server.faults)
    created = clock.now - timedelta(days=30)
    with model.store.write():
        for n in range(800):
            model.users_insert(
                {
                    "primaryEmail": f"usuario.{n:04d}@cajica.example",
                    "name": {"givenName": "Usuario", "familyName": f"Número {n}"},
                    "password": "0" * 40,
                    "hashFunction": "SHA-1",
                },
                created=created,
            )
    result = ws.reports.user_usage(COMPLETE_USER_DAY, parameters=["accounts:is_suspended"])
    assert len(result.frame) == 1100
    assert result.frame["usuario"].is_unique
    assert result.requests == 2


def test_customer_usage_is_one_row(ws: Workspace) -> None:
    result = ws.reports.customer_usage(
        TODAY - timedelta(days=2), parameters=["accounts:num_users", "gmail:num_emails_sent"]
    )
    assert len(result.frame) == 1
    assert result.frame["accounts:num_users"].tolist() == [300]
    assert result.frame["usuario"].isna().all()


def test_login_activities_are_a_frame_of_events(ws: Workspace, clock: Clock) -> None:
    frame = ws.reports.activities(
        "login", user=ADMIN, start=clock.now - timedelta(days=14), end=clock.now
    )
    assert len(frame) > 0
    assert set(frame["usuario"]) == {ADMIN}
    assert set(frame["evento"]) <= {"login_success", "login_failure"}
    assert frame["fecha_hora"].is_monotonic_decreasing
    assert frame["parametros"].iloc[0]["login_type"] == "google_password"


def _store(server: EmulatorServer):  # type: ignore[no-untyped-def]
    from mailops.emulator.store import Store

    return Store(server.state_path)


def test_a_range_over_partial_days_keeps_types_and_leaves_missing_figures_empty(
    ws: Workspace,
) -> None:
    result = ws.reports.user_usage_range(
        COMPLETE_USER_DAY,
        LAST_USER_DAY,
        parameters=["gmail:num_emails_received", "accounts:is_suspended"],
    )
    frame = result.frame
    partial = frame["fecha"] > pd.Timestamp(COMPLETE_USER_DAY)
    assert str(frame["gmail:num_emails_received"].dtype) == "Int64"
    assert str(frame["accounts:is_suspended"].dtype) == "boolean"
    assert frame.loc[partial, "gmail:num_emails_received"].isna().all()
    assert frame.loc[~partial, "gmail:num_emails_received"].notna().all()
    assert result.partial_dates == (
        LAST_USER_DAY - timedelta(days=1),
        LAST_USER_DAY,
    )
