"""Path table and HTTP layer of the Reports API area (paths as in the discovery document)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote

from mailops.emulator.reports.model import ReportsModel
from mailops.emulator.routing import Request, Response, Router

__all__ = ["register_routes"]

_P = "/admin/reports/v1"
_SEG = r"[^/]+"


def register_routes(router: Router, model: ReportsModel) -> None:
    def user_usage(req: Request, p: Mapping[str, str]) -> Response:
        q = req.query
        return Response(
            200,
            model.user_usage_report_get(
                unquote(p["userKey"]),
                unquote(p["date"]),
                parameters=q.get("parameters"),
                filters=q.get("filters"),
                org_unit_id=q.get("orgUnitID"),
                customer_id=q.get("customerId"),
                max_results=q.get("maxResults"),
                page_token=q.get("pageToken"),
            ),
        )

    def customer_usage(req: Request, p: Mapping[str, str]) -> Response:
        q = req.query
        return Response(
            200,
            model.customer_usage_reports_get(
                unquote(p["date"]),
                parameters=q.get("parameters"),
                customer_id=q.get("customerId"),
                page_token=q.get("pageToken"),
            ),
        )

    def activities(req: Request, p: Mapping[str, str]) -> Response:
        q = req.query
        return Response(
            200,
            model.activities_list(
                unquote(p["userKey"]),
                unquote(p["applicationName"]),
                start_time=q.get("startTime"),
                end_time=q.get("endTime"),
                event_name=q.get("eventName"),
                customer_id=q.get("customerId"),
                max_results=q.get("maxResults"),
                page_token=q.get("pageToken"),
            ),
        )

    router.add(
        "GET",
        f"{_P}/usage/users/(?P<userKey>{_SEG})/dates/(?P<date>{_SEG})",
        user_usage,
        name="reports.userUsageReport.get",
    )
    router.add(
        "GET",
        f"{_P}/usage/dates/(?P<date>{_SEG})",
        customer_usage,
        name="reports.customerUsageReports.get",
    )
    router.add(
        "GET",
        f"{_P}/activity/users/(?P<userKey>{_SEG})/applications/(?P<applicationName>{_SEG})",
        activities,
        name="reports.activities.list",
    )
