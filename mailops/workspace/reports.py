"""The Admin SDK Reports API as tidy pandas frames: usage per user and day, customer usage,
login and admin activities.

Google publishes usage with a delay (dates are in Pacific time): a date too recent answers
400 "Data for dates later than D is not yet available"; ``user_usage`` then steps back to
the last date Google offers, as GAM does, and the result says which date it used. Dates
with incomplete data carry ``PARTIAL_DATA_AVAILABLE`` warnings, kept in the result.

Example::

    result = ws.reports.user_usage_range(date(2026, 10, 1), date(2026, 10, 31),
                                         parameters=["gmail:num_emails_sent"])
    result.frame      # one row per user and day: fecha, usuario, id_perfil, parameters...
    result.warnings   # what Google said about incomplete days
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd

from mailops.errors import InputError, InvalidRequestError
from mailops.workspace.execution import Call, Executor

__all__ = ["NOT_YET_AVAILABLE", "ReportWarning", "Reports", "UsageResult", "activities_frame"]

NOT_YET_AVAILABLE = re.compile(
    r"(?:Data for dates later than|Start date can not be later than) (\d{4}-\d{2}-\d{2})"
)
_VALUE_KINDS = ("intValue", "boolValue", "datetimeValue", "stringValue")
_BASE_COLUMNS = ("fecha", "usuario", "id_perfil")
_NEVER_YEAR = 1971  # Google answers 1970-01-01 for "never"


@dataclass(frozen=True)
class ReportWarning:
    """A warning Google attached to a day's report (e.g. PARTIAL_DATA_AVAILABLE)."""

    date: date
    code: str
    message: str
    application: str | None = None


@dataclass(frozen=True)
class UsageResult:
    """Usage rows and what Google said about them.

    ``frame``: one row per entity and day (``fecha``, ``usuario``, ``id_perfil`` and one typed
    column per parameter: Int64, boolean, datetime64[UTC] with NaT for "never", string);
    ``dates``: the days fetched; ``unavailable``: requested days Google has not published
    yet; ``warnings``: Google's warnings; ``requests`` and ``http_seconds``: the HTTP cost.
    """

    frame: pd.DataFrame
    dates: tuple[date, ...]
    unavailable: tuple[date, ...] = ()
    warnings: tuple[ReportWarning, ...] = ()
    requests: int = 0
    http_seconds: float = 0.0
    requested: date | None = field(default=None)

    @property
    def partial_dates(self) -> tuple[date, ...]:
        """Days whose data Google marked as incomplete."""
        return tuple(sorted({w.date for w in self.warnings}))

    @property
    def stepped_back(self) -> bool:
        """True when the requested day was not available and an earlier one was used."""
        return self.requested is not None and bool(self.dates) and self.dates[0] != self.requested


def _warnings(day: date, page: dict[str, Any]) -> list[ReportWarning]:
    out = []
    for w in page.get("warnings", []) or []:
        app = next(
            (d.get("value") for d in w.get("data", []) or [] if d.get("key") == "application"),
            None,
        )
        out.append(ReportWarning(day, str(w.get("code", "")), str(w.get("message", "")), app))
    return out


def _frame(rows: list[dict[str, Any]], kinds: dict[str, str]) -> pd.DataFrame:
    columns = [*_BASE_COLUMNS, *kinds]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    frame["fecha"] = pd.to_datetime(frame["fecha"], format="%Y-%m-%d")
    frame["usuario"] = frame["usuario"].astype("string")
    frame["id_perfil"] = frame["id_perfil"].astype("string")
    for name, kind in kinds.items():
        col = frame[name]
        if kind == "intValue":
            frame[name] = pd.to_numeric(col).astype("Int64")
        elif kind == "boolValue":
            frame[name] = col.astype("boolean")
        elif kind == "datetimeValue":
            stamps = pd.to_datetime(col, utc=True, format="ISO8601")
            frame[name] = stamps.where(stamps.dt.year >= _NEVER_YEAR)
        else:
            frame[name] = col.astype("string")
    return frame


class Reports:
    """The Reports API of one Workspace customer."""

    def __init__(
        self,
        executor: Executor,
        customer: str = "my_customer",
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.executor = executor
        self.customer = customer
        self.clock = clock

    def today(self) -> date:
        """Today in Google's reporting time zone (PST, UTC-8)."""
        return (self.clock().astimezone(UTC) - timedelta(hours=8)).date()

    # -- fetching one day -----------------------------------------------------------------

    def _day_pages(
        self, method: str, params: dict[str, Any], day: date, sink: _Sink
    ) -> list[ReportWarning]:
        """Every page of one day into ``sink``; the day's warnings. Raises WorkspaceError."""
        params = {**params, "date": day.isoformat()}
        warnings: list[ReportWarning] = []
        while True:
            started = time.perf_counter()
            page = self.executor.execute(Call("reports", method, dict(params)))
            sink.http_seconds += time.perf_counter() - started
            sink.requests += 1
            if not warnings:
                warnings = _warnings(day, page)
            sink.add(page.get("usageReports", []) or [])
            token = page.get("nextPageToken")
            if not token:
                sink.end_day()
                return warnings
            params["pageToken"] = token

    def _fetch(
        self,
        method: str,
        params: dict[str, Any],
        day: date | None,
        *,
        step_back: bool,
        max_steps: int,
        complete: bool,
    ) -> UsageResult:
        requested = day or self.today()
        current = requested
        unavailable: list[date] = []
        for _ in range(max_steps + 1):
            sink = _Sink()
            try:
                warnings = self._day_pages(method, params, current, sink)
            except InvalidRequestError as exc:
                m = NOT_YET_AVAILABLE.search(exc.message)
                if m is None or not step_back:
                    raise
                unavailable.append(current)
                latest = date.fromisoformat(m.group(1))
                current = latest if latest < current else current - timedelta(days=1)
                continue
            if complete and warnings and step_back:
                unavailable.append(current)
                current -= timedelta(days=1)
                continue
            return UsageResult(
                frame=sink.frame(),
                dates=(current,),
                unavailable=tuple(unavailable),
                warnings=tuple(warnings),
                requests=sink.requests,
                http_seconds=sink.http_seconds,
                requested=requested,
            )
        raise InputError(
            f"Google no tiene datos de uso publicados entre {current.isoformat()} y "
            f"{requested.isoformat()} (se retrocedió {max_steps} días). Pruebe con una fecha "
            "anterior.",
            where="fecha del reporte",
        )

    # -- public API -----------------------------------------------------------------------

    def user_usage(
        self,
        day: date | None = None,
        *,
        parameters: Sequence[str] | None = None,
        user: str = "all",
        filters: str | None = None,
        org_unit_id: str | None = None,
        step_back: bool = True,
        max_steps: int = 7,
        complete: bool = False,
    ) -> UsageResult:
        """userUsageReport.get for one day (default today: steps back to the latest available).

        ``complete=True`` also steps back over days with PARTIAL_DATA_AVAILABLE warnings.
        """
        return self._fetch(
            "userUsageReport.get",
            self._user_params(user, parameters, filters, org_unit_id),
            day,
            step_back=step_back,
            max_steps=max_steps,
            complete=complete,
        )

    def user_usage_range(
        self,
        start: date,
        end: date,
        *,
        parameters: Sequence[str] | None = None,
        user: str = "all",
        filters: str | None = None,
        org_unit_id: str | None = None,
    ) -> UsageResult:
        """Usage of every day from ``start`` to ``end`` (inclusive), one row per user and day.

        Days Google has not published yet are skipped and listed in ``unavailable``.
        """
        if end < start:
            raise InputError(
                f"la fecha final {end.isoformat()} es anterior a la inicial {start.isoformat()}",
                where="periodo del reporte",
            )
        params = self._user_params(user, parameters, filters, org_unit_id)
        sink = _Sink()
        fetched: list[date] = []
        unavailable: list[date] = []
        warnings: list[ReportWarning] = []
        day = start
        while day <= end:
            try:
                warnings.extend(self._day_pages("userUsageReport.get", params, day, sink))
                fetched.append(day)
            except InvalidRequestError as exc:
                if NOT_YET_AVAILABLE.search(exc.message) is None:
                    raise
                unavailable.extend(
                    start + timedelta(days=n)
                    for n in range((day - start).days, (end - start).days + 1)
                )
                break
            day += timedelta(days=1)
        return UsageResult(
            frame=sink.frame(),
            dates=tuple(fetched),
            unavailable=tuple(unavailable),
            warnings=tuple(warnings),
            requests=sink.requests,
            http_seconds=sink.http_seconds,
            requested=start,
        )

    def customer_usage(
        self,
        day: date | None = None,
        *,
        parameters: Sequence[str] | None = None,
        step_back: bool = True,
        max_steps: int = 7,
        complete: bool = False,
    ) -> UsageResult:
        """customerUsageReports.get for one day (the frame has one row, ``usuario`` empty)."""
        params: dict[str, Any] = {"customerId": self.customer}
        if parameters:
            params["parameters"] = ",".join(parameters)
        return self._fetch(
            "customerUsageReports.get",
            params,
            day,
            step_back=step_back,
            max_steps=max_steps,
            complete=complete,
        )

    def activities(
        self,
        application: str,
        *,
        user: str = "all",
        start: datetime | None = None,
        end: datetime | None = None,
        event_name: str | None = None,
    ) -> pd.DataFrame:
        """activities.list ("login", "admin" ...): one row per event, newest first."""
        params: dict[str, Any] = {
            "userKey": user,
            "applicationName": application,
            "customerId": self.customer,
            "maxResults": 1000,
        }
        if start is not None:
            params["startTime"] = start.astimezone(UTC).isoformat().replace("+00:00", "Z")
        if end is not None:
            params["endTime"] = end.astimezone(UTC).isoformat().replace("+00:00", "Z")
        if event_name:
            params["eventName"] = event_name
        items = self.executor.list_all(Call("reports", "activities.list", params), "items")
        return activities_frame(items)

    def _user_params(
        self,
        user: str,
        parameters: Sequence[str] | None,
        filters: str | None,
        org_unit_id: str | None,
    ) -> dict[str, Any]:
        params: dict[str, Any] = {"userKey": user, "customerId": self.customer, "maxResults": 1000}
        if parameters:
            params["parameters"] = ",".join(parameters)
        if filters:
            params["filters"] = filters
        if org_unit_id:
            params["orgUnitID"] = org_unit_id
        return params


class _Sink:
    """Collects usage reports page after page; each finished day becomes a typed frame at
    once, so raw rows of only one day are held in memory."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.kinds: dict[str, str] = {}
        self.frames: list[pd.DataFrame] = []
        self.requests = 0
        self.http_seconds = 0.0

    def add(self, reports: Iterable[dict[str, Any]]) -> None:
        kinds = self.kinds
        for report in reports:
            entity = report.get("entity", {})
            row: dict[str, Any] = {
                "fecha": report.get("date"),
                "usuario": entity.get("userEmail"),
                "id_perfil": entity.get("profileId"),
            }
            for p in report.get("parameters", []):
                name = p["name"]
                kind = kinds.get(name)
                if kind is None or kind not in p:
                    kind = next((k for k in _VALUE_KINDS if k in p), None)
                    if kind is None:
                        continue
                    kinds.setdefault(name, kind)
                row[name] = p[kind]
            self.rows.append(row)

    def end_day(self) -> None:
        if self.rows:
            self.frames.append(_frame(self.rows, dict(self.kinds)))
            self.rows = []

    def frame(self) -> pd.DataFrame:
        self.end_day()
        if not self.frames:
            return _frame([], self.kinds)
        if len(self.frames) == 1:
            return self.frames[0]
        columns = [*_BASE_COLUMNS, *self.kinds]
        aligned = [self._aligned(f, columns) for f in self.frames]
        return pd.concat(aligned, ignore_index=True)

    def _aligned(self, frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        """``frame`` with every column, the missing ones typed and empty (partial days)."""
        for name in columns:
            if name not in frame:
                frame[name] = _frame([], {name: self.kinds[name]})[name].reindex(frame.index)
        return frame[columns]


def activities_frame(items: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Activities as one row per event: fecha_hora, usuario, aplicacion, tipo, evento, ip,
    parametros (dict of name -> value)."""
    rows = []
    for item in items:
        ident = item.get("id", {})
        for event in item.get("events", []) or []:
            params = {
                p["name"]: next((p[k] for k in (*_VALUE_KINDS, "value") if k in p), None)
                for p in event.get("parameters", []) or []
            }
            rows.append(
                {
                    "fecha_hora": ident.get("time"),
                    "usuario": item.get("actor", {}).get("email"),
                    "aplicacion": ident.get("applicationName"),
                    "tipo": event.get("type"),
                    "evento": event.get("name"),
                    "ip": item.get("ipAddress"),
                    "parametros": params,
                }
            )
    columns = ["fecha_hora", "usuario", "aplicacion", "tipo", "evento", "ip", "parametros"]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    frame["fecha_hora"] = pd.to_datetime(frame["fecha_hora"], utc=True, format="ISO8601")
    return frame
