"""The Reports API model: usage reports and activities, with Google's paging, filters and
data delay (one method per API method, moto style).

Dates are Google's: ``yyyy-mm-dd`` in Pacific time (UTC-8). User reports are complete up to
four days before today and customer reports up to two; the days in between answer with
``PARTIAL_DATA_AVAILABLE`` warnings and without the Gmail figures; later days answer
400 ``Data for dates later than ... is not yet available``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mailops.emulator.errors import ApiError, invalid, not_found
from mailops.emulator.reports.accounts import (
    Account,
    accounts_on,
    count_on,
    find_account,
    list_accounts,
    ou_path_of,
)
from mailops.emulator.reports.usage import (
    usage_seed,
    CUSTOMER_PARAMETERS,
    USER_PARAMETERS,
    customer_values,
    login_events,
    user_values,
)
from mailops.emulator.store import Store

__all__ = ["ReportsModel"]

Resource = dict[str, Any]

MAX_RESULTS = 1000
USER_DELAY_DAYS = (2, 4)  # (last date answered, last date complete) before today
CUSTOMER_DELAY_DAYS = (1, 2)
HISTORY_DAYS = 450
ACTIVITY_DAYS = 180
_FILTER_RE = re.compile(r"^\s*([a-z_]+:[a-z0-9_]+)\s*(==|<>|<=|>=|<|>)\s*(.*?)\s*$")


def _rfc3339(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _etag(data: Any) -> str:
    digest = hashlib.sha1(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return f'"{digest[:27]}"'


def _typed(kind: str, value: Any) -> Any:
    if kind == "intValue":
        return str(int(value))  # Google types int64 as a string
    if kind == "datetimeValue":
        return _rfc3339(value)
    return value


def _token(offset: int, fingerprint: str) -> str:
    raw = json.dumps({"o": offset, "f": fingerprint}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _offset(token: str | None, fingerprint: str) -> int:
    if not token:
        return 0
    try:
        raw = json.loads(base64.urlsafe_b64decode(token.encode() + b"==").decode())
        if raw["f"] != fingerprint or int(raw["o"]) < 0:
            raise ValueError
        return int(raw["o"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise invalid("Invalid value for pageToken") from None


def _parse_max(text: str | None) -> int:
    if text is None:
        return MAX_RESULTS
    try:
        value = int(text)
    except ValueError:
        raise invalid(f"Invalid value '{text}' for maxResults") from None
    if not 1 <= value <= MAX_RESULTS:
        raise invalid(f"Invalid value '{text}'. Values must be within the range: [1, 1000]")
    return value


def _parse_time(text: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(f"Invalid value '{text}' for {name}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ReportsModel:
    """userUsageReport.get, customerUsageReports.get and activities.list."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    # -- shared ---------------------------------------------------------------------------

    @property
    def seed(self) -> str:
        return usage_seed(self.store.get_meta("seed"))

    def today(self) -> date:
        """Today in Google's reporting time zone (PST, UTC-8)."""
        return (self.clock().astimezone(UTC) - timedelta(hours=8)).date()

    def customer_id(self) -> str:
        row = self.store.connection().execute("SELECT id FROM dir_customer LIMIT 1").fetchone()
        return "C00000000" if row is None else str(row[0])

    def _check_customer(self, key: str | None) -> None:
        if key not in (None, "", "my_customer", self.customer_id()):
            raise ApiError(403, "forbidden", "Not Authorized to access this resource/api")

    def _day(self, text: str, delay: tuple[int, int]) -> tuple[date, bool]:
        """The requested day and whether its data is complete; 400 when not yet available."""
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise invalid(
                f"Invalid value '{text}' for date. Expected format is yyyy-mm-dd"
            ) from None
        today = self.today()
        last = today - timedelta(days=delay[0])
        if day > last:
            raise invalid(
                f"Data for dates later than {last.isoformat()} is not yet available. "
                "Please check back later"
            )
        if day < today - timedelta(days=HISTORY_DAYS):
            earliest = today - timedelta(days=HISTORY_DAYS)
            raise invalid(f"Start date can not be earlier than {earliest.isoformat()}")
        return day, day <= today - timedelta(days=delay[1])

    @staticmethod
    def _wanted(text: str | None, known: dict[str, str]) -> list[str]:
        if not text:
            return list(known)
        wanted = [p.strip() for p in text.split(",") if p.strip()]
        for name in wanted:
            if name not in known:
                raise invalid(f"Bad request for parameter 'parameters'. Invalid parameter: {name}")
        return wanted

    @staticmethod
    def _warnings(day: date, complete: bool) -> list[Resource]:
        if complete:
            return []
        return [
            {
                "code": "PARTIAL_DATA_AVAILABLE",
                "message": f'Data for date {day.isoformat()} for application "gmail" is not '
                "available right now, please try again after a few hours.",
                "data": [{"key": "application", "value": "gmail"}],
            }
        ]

    def _parameters(self, values: dict[str, Any], kinds: dict[str, str]) -> list[Resource]:
        return [{"name": n, kinds[n]: _typed(kinds[n], v)} for n, v in values.items()]

    # -- usage ----------------------------------------------------------------------------

    def user_usage_report_get(
        self,
        user_key: str,
        day_text: str,
        *,
        parameters: str | None = None,
        filters: str | None = None,
        org_unit_id: str | None = None,
        customer_id: str | None = None,
        max_results: str | None = None,
        page_token: str | None = None,
    ) -> Resource:
        self._check_customer(customer_id)
        day, complete = self._day(day_text, USER_DELAY_DAYS)
        wanted = self._wanted(parameters, USER_PARAMETERS)
        conditions = self._filters(filters)
        limit = _parse_max(max_results)
        db = self.store.connection()
        ou_path: str | None = None
        if org_unit_id:
            ou_path = ou_path_of(db, org_unit_id)
            if ou_path is None:
                raise invalid(f"Invalid value '{org_unit_id}' for orgUnitID")
        single: Account | None = None
        if user_key != "all":
            single = find_account(db, user_key)
            if single is None:
                raise not_found("userKey")
        fingerprint = hashlib.sha1(
            json.dumps([user_key, day_text, parameters, filters, org_unit_id]).encode()
        ).hexdigest()[:12]
        offset = _offset(page_token, fingerprint)
        seed = self.seed
        customer = self.customer_id()

        def chosen(accounts: list[Account]) -> list[Account]:
            return [
                a
                for a in accounts
                if a.exists_on(day)
                and (
                    ou_path is None
                    or a.org_unit_path == ou_path
                    or a.org_unit_path.startswith(ou_path.rstrip("/") + "/")
                )
            ]

        if conditions or single is not None:
            accounts = (
                chosen([single]) if single is not None else accounts_on(db, day, ou_path=ou_path)
            )
            needed = sorted(set(wanted) | {c[0] for c in conditions})
            rows = []
            for account in accounts:
                values = user_values(seed, account, day, needed, with_gmail=complete)
                if all(self._holds(values, c) for c in conditions):
                    rows.append((account, {k: values[k] for k in wanted if k in values}))
            page_rows = rows[offset : offset + limit]
            total = len(rows)
        else:
            page_rows = [
                (a, user_values(seed, a, day, wanted, with_gmail=complete))
                for a in accounts_on(db, day, ou_path=ou_path, offset=offset, limit=limit)
            ]
            total = count_on(db, day, ou_path=ou_path)
        reports = [self._user_report(day, customer, a, v) for a, v in page_rows]
        out: Resource = {"kind": "admin#reports#usageReports"}
        warnings = self._warnings(day, complete)
        if warnings:
            out["warnings"] = warnings
        if reports:
            out["usageReports"] = reports
        if offset + limit < total:
            out["nextPageToken"] = _token(offset + limit, fingerprint)
        out["etag"] = _etag([day_text, offset, len(reports)])
        return out

    def _user_report(
        self, day: date, customer: str, account: Account, values: dict[str, Any]
    ) -> Resource:
        return {
            "kind": "admin#reports#usageReport",
            "date": day.isoformat(),
            "etag": _etag([account.id, day.isoformat()]),
            "entity": {
                "customerId": customer,
                "userEmail": account.email,
                "profileId": account.id,
                "type": "USER",
            },
            "parameters": self._parameters(values, USER_PARAMETERS),
        }

    @staticmethod
    def _filters(text: str | None) -> list[tuple[str, str, Any]]:
        if not text:
            return []
        out: list[tuple[str, str, Any]] = []
        for part in text.split(","):
            m = _FILTER_RE.match(part)
            if m is None or m.group(1) not in USER_PARAMETERS:
                raise invalid(f"Invalid value '{part}' for filters")
            name, op, raw = m.groups()
            kind = USER_PARAMETERS[name]
            value: Any
            try:
                if kind == "intValue":
                    value = int(raw)
                elif kind == "boolValue":
                    if raw not in ("true", "false"):
                        raise ValueError
                    value = raw == "true"
                elif kind == "datetimeValue":
                    value = _parse_time(raw, "filters")
                else:
                    value = raw
            except (ValueError, ApiError):
                raise invalid(f"Invalid value '{part}' for filters") from None
            if kind == "boolValue" and op not in ("==", "<>"):
                raise invalid(f"Invalid value '{part}' for filters")
            out.append((name, op, value))
        return out

    @staticmethod
    def _holds(values: dict[str, Any], cond: tuple[str, str, Any]) -> bool:
        name, op, ref = cond
        if name not in values:
            return False
        v = values[name]
        result: bool = {
            "==": v == ref,
            "<>": v != ref,
            "<": v < ref,
            "<=": v <= ref,
            ">": v > ref,
            ">=": v >= ref,
        }[op]
        return result

    def customer_usage_reports_get(
        self,
        day_text: str,
        *,
        parameters: str | None = None,
        customer_id: str | None = None,
        page_token: str | None = None,
    ) -> Resource:
        self._check_customer(customer_id)
        day, complete = self._day(day_text, CUSTOMER_DELAY_DAYS)
        wanted = self._wanted(parameters, CUSTOMER_PARAMETERS)
        if page_token:
            raise invalid("Invalid value for pageToken")
        accounts = list_accounts(self.store.connection())
        values = customer_values(self.seed, accounts, day, wanted, with_gmail=complete)
        customer = self.customer_id()
        out: Resource = {"kind": "admin#reports#usageReports"}
        warnings = self._warnings(day, complete)
        if warnings:
            out["warnings"] = warnings
        out["usageReports"] = [
            {
                "kind": "admin#reports#usageReport",
                "date": day.isoformat(),
                "etag": _etag([customer, day.isoformat()]),
                "entity": {"customerId": customer, "type": "CUSTOMER"},
                "parameters": self._parameters(values, CUSTOMER_PARAMETERS),
            }
        ]
        out["etag"] = _etag([day_text, wanted])
        return out

    # -- activities -----------------------------------------------------------------------

    def activities_list(
        self,
        user_key: str,
        application: str,
        *,
        start_time: str | None = None,
        end_time: str | None = None,
        event_name: str | None = None,
        customer_id: str | None = None,
        max_results: str | None = None,
        page_token: str | None = None,
    ) -> Resource:
        self._check_customer(customer_id)
        if application not in ("login", "admin"):
            raise invalid(f"Invalid value '{application}' for applicationName")
        now = self.clock().astimezone(UTC)
        end = _parse_time(end_time, "endTime") if end_time else now
        start = (
            _parse_time(start_time, "startTime")
            if start_time
            else now - timedelta(days=ACTIVITY_DAYS)
        )
        if start > end:
            raise invalid("Start time must be less than or equal to the end time")
        end = min(end, now)
        limit = _parse_max(max_results)
        fingerprint = hashlib.sha1(
            json.dumps([user_key, application, start_time, end_time, event_name]).encode()
        ).hexdigest()[:12]
        offset = _offset(page_token, fingerprint)
        db = self.store.connection()
        if user_key == "all":
            accounts = list_accounts(db)
        else:
            found = find_account(db, user_key)
            if found is None:
                raise not_found("userKey")
            accounts = [found]
        wanted = offset + limit + 1
        if application == "login":
            events = self._login_events(accounts, start, end, event_name, wanted)
        else:
            events = self._admin_events(accounts, start, end, event_name, user_key)
        page = events[offset : offset + limit]
        customer = self.customer_id()
        out: Resource = {
            "kind": "admin#reports#activities",
            "etag": _etag([fingerprint, offset]),
            "items": [self._activity(application, customer, *e) for e in page],
        }
        if len(events) > offset + limit:
            out["nextPageToken"] = _token(offset + limit, fingerprint)
        return out

    def _login_events(
        self,
        accounts: list[Account],
        start: datetime,
        end: datetime,
        event_name: str | None,
        wanted: int,
    ) -> list[tuple[datetime, Account, str, str, list[Resource]]]:
        seed = self.seed
        events: list[tuple[datetime, Account, str, str, list[Resource]]] = []
        day = end.date()
        while day >= start.date() and len(events) < wanted:
            today: list[tuple[datetime, Account, str, str, list[Resource]]] = []
            for account in accounts:
                for at, name in login_events(seed, account, day):
                    if start <= at <= end and (event_name is None or event_name == name):
                        params: list[Resource] = [
                            {"name": "login_type", "value": "google_password"},
                            {"name": "is_suspicious", "boolValue": False},
                        ]
                        today.append((at, account, "login", name, params))
            today.sort(key=lambda e: (e[0], e[1].email), reverse=True)
            events.extend(today)
            day -= timedelta(days=1)
        return events

    def _admin_events(
        self,
        accounts: list[Account],
        start: datetime,
        end: datetime,
        event_name: str | None,
        user_key: str,
    ) -> list[tuple[datetime, Account, str, str, list[Resource]]]:
        everyone = list_accounts(self.store.connection())
        admins = [a for a in everyone if a.is_admin and a.deleted is None]
        actors = {a.id for a in accounts}
        events: list[tuple[datetime, Account, str, str, list[Resource]]] = []
        for account in everyone:
            actor = next((a for a in admins if a.id != account.id), account)
            if user_key != "all" and actor.id not in actors:
                continue
            happened = [(account.created, "CREATE_USER")]
            if account.deleted is not None:
                happened.append((account.deleted, "DELETE_USER"))
            for at, name in happened:
                if start <= at <= end and (event_name is None or event_name == name):
                    params: list[Resource] = [{"name": "USER_EMAIL", "value": account.email}]
                    events.append((at, actor, "USER_SETTINGS", name, params))
        events.sort(key=lambda e: (e[0], e[4][0]["value"]), reverse=True)
        return events

    def _activity(
        self,
        application: str,
        customer: str,
        at: datetime,
        actor: Account,
        kind: str,
        name: str,
        params: list[Resource],
    ) -> Resource:
        unique = int(hashlib.sha1(f"{actor.id}|{at}|{name}".encode()).hexdigest()[:15], 16)
        octets = hashlib.sha1(actor.id.encode()).digest()
        return {
            "kind": "admin#reports#activity",
            "id": {
                "time": _rfc3339(at),
                "uniqueQualifier": str(unique),
                "applicationName": application,
                "customerId": customer,
            },
            "etag": _etag([unique]),
            "actor": {"email": actor.email, "profileId": actor.id, "callerType": "USER"},
            "ipAddress": f"181.49.{octets[0]}.{octets[1]}",
            "ownerDomain": actor.domain,
            "events": [{"type": kind, "name": name, "parameters": params}],
        }
