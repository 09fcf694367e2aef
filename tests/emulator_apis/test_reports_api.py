"""The Reports API of the emulator through google-api-python-client: usage reports (paging,
delay, warnings, parameter selection, filters, following the directory) and activities."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from mailops.emulator import EmulatorServer
from tests.emulator_apis.support import (
    ADMIN,
    COMPLETE_USER_DAY,
    LAST_USER_DAY,
    TODAY,
    Clock,
    params_of,
)

DAY = COMPLETE_USER_DAY.isoformat()


def all_pages(reports: Any, **params: Any) -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    pages = 0
    token = None
    while True:
        page = reports.userUsageReport().get(userKey="all", pageToken=token, **params).execute()
        pages += 1
        items.extend(page.get("usageReports", []))
        token = page.get("nextPageToken")
        if not token:
            return items, pages


def error_reason(exc: HttpError) -> tuple[int, str]:
    details = exc.error_details
    reason = details[0]["reason"] if isinstance(details, list) and details else ""
    return exc.status_code, reason


def test_user_usage_has_one_report_per_existing_user_typed_as_google_types_them(
    reports: Any, directory: Any
) -> None:
    page = reports.userUsageReport().get(userKey="all", date=DAY).execute()
    users = directory.users().list(customer="my_customer", maxResults=500).execute()["users"]
    assert page["kind"] == "admin#reports#usageReports"
    assert len(page["usageReports"]) == len(users) == 300
    first = page["usageReports"][0]
    assert first["entity"]["type"] == "USER"
    assert first["date"] == DAY
    values = params_of(first)
    assert isinstance(values["gmail:num_emails_received"]["intValue"], str)
    assert int(values["accounts:total_quota_in_mb"]["intValue"]) == 30720
    assert isinstance(values["accounts:is_2sv_enrolled"]["boolValue"], bool)
    assert values["accounts:last_login_time"]["datetimeValue"].endswith("Z")


def test_user_usage_pages_follow_max_results_without_repeating_anyone(reports: Any) -> None:
    items, pages = all_pages(reports, date=DAY, maxResults=120)
    emails = [r["entity"]["userEmail"] for r in items]
    assert pages == 3
    assert len(emails) == len(set(emails)) == 300


def test_user_usage_refuses_more_than_1000_results_per_page(reports: Any) -> None:
    with pytest.raises(HttpError) as info:
        reports.userUsageReport().get(userKey="all", date=DAY, maxResults=1001).execute()
    assert error_reason(info.value) == (400, "invalid")
    assert "[1, 1000]" in str(info.value)


def test_a_page_token_from_another_query_is_refused(reports: Any) -> None:
    page = reports.userUsageReport().get(userKey="all", date=DAY, maxResults=10).execute()
    other = (COMPLETE_USER_DAY - timedelta(days=1)).isoformat()
    with pytest.raises(HttpError) as info:
        reports.userUsageReport().get(
            userKey="all", date=other, maxResults=10, pageToken=page["nextPageToken"]
        ).execute()
    assert error_reason(info.value) == (400, "invalid")


def test_too_recent_dates_answer_not_yet_available_with_the_last_date(reports: Any) -> None:
    with pytest.raises(HttpError) as info:
        reports.userUsageReport().get(
            userKey="all", date=(LAST_USER_DAY + timedelta(days=1)).isoformat()
        ).execute()
    assert error_reason(info.value) == (400, "invalid")
    assert (
        f"Data for dates later than {LAST_USER_DAY.isoformat()} is not yet available. "
        "Please check back later"
    ) in str(info.value)


def test_recent_dates_carry_a_partial_data_warning_and_no_gmail_figures(reports: Any) -> None:
    page = reports.userUsageReport().get(userKey="all", date=LAST_USER_DAY.isoformat()).execute()
    assert page["warnings"][0]["code"] == "PARTIAL_DATA_AVAILABLE"
    assert page["warnings"][0]["data"] == [{"key": "application", "value": "gmail"}]
    names = set(params_of(page["usageReports"][0]))
    assert "accounts:used_quota_in_mb" in names
    assert not any(n.startswith("gmail:") for n in names)


def test_complete_days_have_no_warnings(reports: Any) -> None:
    page = reports.userUsageReport().get(userKey="all", date=DAY).execute()
    assert "warnings" not in page


def test_parameter_selection_returns_only_the_named_parameters(reports: Any) -> None:
    page = (
        reports.userUsageReport()
        .get(userKey=ADMIN, date=DAY, parameters="gmail:num_emails_sent,accounts:is_suspended")
        .execute()
    )
    (report,) = page["usageReports"]
    assert [p["name"] for p in report["parameters"]] == [
        "gmail:num_emails_sent",
        "accounts:is_suspended",
    ]


def test_an_unknown_parameter_is_refused(reports: Any) -> None:
    with pytest.raises(HttpError) as info:
        reports.userUsageReport().get(
            userKey="all", date=DAY, parameters="gmail:no_such_thing"
        ).execute()
    assert error_reason(info.value) == (400, "invalid")
    assert "gmail:no_such_thing" in str(info.value)


def test_filters_keep_only_matching_users(reports: Any, directory: Any) -> None:
    items, _ = all_pages(
        reports, date=DAY, filters="accounts:is_suspended==true", parameters="accounts:is_suspended"
    )
    suspended = (
        directory.users()
        .list(customer="my_customer", query="isSuspended=true", maxResults=500)
        .execute()["users"]
    )
    assert sorted(r["entity"]["userEmail"] for r in items) == sorted(
        u["primaryEmail"] for u in suspended
    )
    assert all(params_of(r)["accounts:is_suspended"]["boolValue"] for r in items)


def test_numeric_filters_compare_as_numbers(reports: Any) -> None:
    items, _ = all_pages(
        reports,
        date=DAY,
        filters="accounts:used_quota_in_percentage>=80",
        parameters="accounts:used_quota_in_percentage",
    )
    assert items
    assert all(
        int(params_of(r)["accounts:used_quota_in_percentage"]["intValue"]) >= 80 for r in items
    )


def test_usage_is_the_same_on_every_request(reports: Any) -> None:
    first = reports.userUsageReport().get(userKey="all", date=DAY).execute()
    second = reports.userUsageReport().get(userKey="all", date=DAY).execute()
    assert first["usageReports"] == second["usageReports"]


def test_suspended_users_send_no_mail(reports: Any) -> None:
    items, _ = all_pages(
        reports,
        date=DAY,
        filters="accounts:is_suspended==true",
        parameters="gmail:num_emails_sent,gmail:num_emails_received",
    )
    assert items
    assert {params_of(r)["gmail:num_emails_sent"]["intValue"] for r in items} == {"0"}


def test_a_user_created_through_the_directory_appears_from_its_creation_date(
    reports: Any, directory: Any, clock: Clock
) -> None:
    clock.now = clock.now - timedelta(days=6)
    directory.users().insert(
        body={
            "primaryEmail": "nueva.persona@cajica.example",
            "name": {"givenName": "Nueva", "familyName": "Persona"},
            "password": "Clave-de-prueba-2026",
        }
    ).execute()
    clock.advance(days=6)
    created_day = (TODAY - timedelta(days=6)).isoformat()
    before = (TODAY - timedelta(days=7)).isoformat()
    found = (
        reports.userUsageReport()
        .get(userKey="nueva.persona@cajica.example", date=created_day)
        .execute()
    )
    earlier = (
        reports.userUsageReport().get(userKey="nueva.persona@cajica.example", date=before).execute()
    )
    assert found["usageReports"][0]["entity"]["userEmail"] == "nueva.persona@cajica.example"
    assert "usageReports" not in earlier


def test_suspending_a_user_through_the_directory_shows_in_its_usage(
    reports: Any, directory: Any
) -> None:
    page = (
        reports.userUsageReport()
        .get(userKey="all", date=DAY, filters="accounts:is_suspended==false", maxResults=5)
        .execute()
    )
    email = page["usageReports"][-1]["entity"]["userEmail"]
    directory.users().patch(userKey=email, body={"suspended": True}).execute()
    after = reports.userUsageReport().get(userKey=email, date=DAY).execute()
    values = params_of(after["usageReports"][0])
    assert values["accounts:is_suspended"]["boolValue"] is True
    assert values["gmail:num_emails_sent"]["intValue"] == "0"


def test_a_deleted_user_keeps_its_past_usage_but_not_after_deletion(
    reports: Any, directory: Any, clock: Clock
) -> None:
    page = reports.userUsageReport().get(userKey="all", date=DAY, maxResults=3).execute()
    email = page["usageReports"][-1]["entity"]["userEmail"]
    directory.users().delete(userKey=email).execute()
    clock.advance(days=10)
    before = reports.userUsageReport().get(userKey=email, date=DAY).execute()
    after = (
        reports.userUsageReport()
        .get(userKey=email, date=(TODAY + timedelta(days=5)).isoformat())
        .execute()
    )
    assert before["usageReports"][0]["entity"]["userEmail"] == email
    assert "usageReports" not in after


def test_an_unknown_user_is_not_found(reports: Any) -> None:
    with pytest.raises(HttpError) as info:
        reports.userUsageReport().get(userKey="nadie@cajica.example", date=DAY).execute()
    assert error_reason(info.value) == (404, "notFound")


def test_customer_usage_counts_the_domain(reports: Any) -> None:
    day = (TODAY - timedelta(days=2)).isoformat()
    page = reports.customerUsageReports().get(date=day).execute()
    (report,) = page["usageReports"]
    values = params_of(report)
    assert report["entity"]["type"] == "CUSTOMER"
    assert values["accounts:num_users"]["intValue"] == "300"
    assert int(values["gmail:num_emails_received"]["intValue"]) > 0
    assert "warnings" not in page


def test_customer_usage_of_yesterday_is_partial_and_of_today_not_yet_available(
    reports: Any,
) -> None:
    yesterday = (
        reports.customerUsageReports().get(date=(TODAY - timedelta(days=1)).isoformat()).execute()
    )
    assert yesterday["warnings"][0]["code"] == "PARTIAL_DATA_AVAILABLE"
    with pytest.raises(HttpError) as info:
        reports.customerUsageReports().get(date=TODAY.isoformat()).execute()
    assert error_reason(info.value) == (400, "invalid")
    assert "is not yet available" in str(info.value)


def test_login_activities_are_newest_first_and_paged(reports: Any) -> None:
    first = (
        reports.activities().list(userKey="all", applicationName="login", maxResults=50).execute()
    )
    second = (
        reports.activities()
        .list(
            userKey="all", applicationName="login", maxResults=50, pageToken=first["nextPageToken"]
        )
        .execute()
    )
    times = [a["id"]["time"] for a in first["items"] + second["items"]]
    ids = [a["id"]["uniqueQualifier"] for a in first["items"] + second["items"]]
    assert times == sorted(times, reverse=True)
    assert len(set(ids)) == 100
    assert first["items"][0]["events"][0]["type"] == "login"


def test_login_activities_filter_by_event_name_and_user(reports: Any) -> None:
    page = (
        reports.activities()
        .list(userKey=ADMIN, applicationName="login", eventName="login_success")
        .execute()
    )
    assert page["items"]
    assert {a["actor"]["email"] for a in page["items"]} == {ADMIN}
    assert {a["events"][0]["name"] for a in page["items"]} == {"login_success"}


def test_admin_activities_record_a_user_created_through_the_directory(
    reports: Any, directory: Any
) -> None:
    directory.users().insert(
        body={
            "primaryEmail": "auditada@cajica.example",
            "name": {"givenName": "Auditada", "familyName": "Prueba"},
            "password": "Clave-de-prueba-2026",
        }
    ).execute()
    page = (
        reports.activities()
        .list(userKey="all", applicationName="admin", eventName="CREATE_USER", maxResults=5)
        .execute()
    )
    newest = page["items"][0]
    assert newest["events"][0]["parameters"] == [
        {"name": "USER_EMAIL", "value": "auditada@cajica.example"}
    ]
    assert newest["actor"]["email"] == ADMIN


def test_usage_can_be_fetched_in_a_batch(server: EmulatorServer, reports: Any) -> None:
    answers: dict[str, Any] = {}
    batch = reports.new_batch_http_request(
        callback=lambda rid, response, exc: answers.__setitem__(rid, (response, exc))
    )
    for n in range(3):
        day = (COMPLETE_USER_DAY - timedelta(days=n)).isoformat()
        batch.add(reports.userUsageReport().get(userKey=ADMIN, date=day), request_id=str(n))
    batch.execute()
    dates = sorted(answers[str(n)][0]["usageReports"][0]["date"] for n in range(3))
    assert dates == [(COMPLETE_USER_DAY - timedelta(days=n)).isoformat() for n in (2, 1, 0)]


def test_a_suspended_user_carries_a_disabled_reason_and_others_do_not(reports: Any) -> None:
    items, _ = all_pages(
        reports, date=DAY, parameters="accounts:disabled_reason,accounts:is_suspended"
    )
    with_reason = {
        r["entity"]["userEmail"] for r in items if "accounts:disabled_reason" in params_of(r)
    }
    suspended = {
        r["entity"]["userEmail"]
        for r in items
        if params_of(r)["accounts:is_suspended"]["boolValue"]
    }
    assert with_reason == suspended
    assert suspended
