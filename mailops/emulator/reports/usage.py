"""Plausible daily usage, computed on request from (seed, account, day): never stored.

Each account gets stable traits from a hash of its id (how often it logs in, how much mail it
gets, how full its mailbox is, whether it enrolled in 2-Step Verification); each day's figures
come from a hash of (seed, id, day). So 10,000 users x 90 days cost nothing to keep, two runs
give the same numbers, and the figures follow the directory: nothing before creation, nothing
after deletion, no activity while suspended.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from mailops.emulator.reports.accounts import Account

__all__ = [
    "CUSTOMER_PARAMETERS",
    "NEVER",
    "TOTAL_QUOTA_MB",
    "USER_PARAMETERS",
    "Traits",
    "customer_values",
    "login_events",
    "traits_of",
    "user_values",
]

TOTAL_QUOTA_MB = 30_720  # 30 GB per user
NEVER = datetime(1970, 1, 1, tzinfo=UTC)
_LOOKBACK_DAYS = 120

# Google's user usage parameters the emulator knows, and how Google types each value.
USER_PARAMETERS: dict[str, str] = {
    "accounts:first_name": "stringValue",
    "accounts:last_name": "stringValue",
    "accounts:domain_name": "stringValue",
    "accounts:admin_set_name": "stringValue",
    "accounts:is_suspended": "boolValue",
    "accounts:disabled": "boolValue",
    "accounts:is_2sv_enrolled": "boolValue",
    "accounts:is_2sv_enforced": "boolValue",
    "accounts:last_login_time": "datetimeValue",
    "accounts:timestamp_last_login": "datetimeValue",
    "accounts:timestamp_creation": "datetimeValue",
    "accounts:gmail_used_quota_in_mb": "intValue",
    "accounts:drive_used_quota_in_mb": "intValue",
    "accounts:used_quota_in_mb": "intValue",
    "accounts:total_quota_in_mb": "intValue",
    "accounts:used_quota_in_percentage": "intValue",
    "accounts:gplus_photos_used_quota_in_mb": "intValue",
    "accounts:is_2sv_protected": "boolValue",
    "accounts:is_archived": "boolValue",
    "accounts:is_less_secure_apps_access_allowed": "boolValue",
    "accounts:num_authorized_apps": "intValue",
    "accounts:num_passkeys_enrolled": "intValue",
    "accounts:num_roles_assigned": "intValue",
    "accounts:num_security_keys": "intValue",
    "accounts:password_length_compliance": "stringValue",
    "accounts:password_strength": "stringValue",
    "accounts:disabled_reason": "stringValue",
    "gmail:is_gmail_enabled": "boolValue",
    "gmail:num_emails_received": "intValue",
    "gmail:num_emails_sent": "intValue",
    "gmail:num_emails_exchanged": "intValue",
    "gmail:num_spam_emails_received": "intValue",
    "gmail:last_interaction_time": "datetimeValue",
    "gmail:timestamp_last_interaction": "datetimeValue",
    "gmail:timestamp_last_access": "datetimeValue",
    "gmail:timestamp_last_webmail": "datetimeValue",
    "gmail:timestamp_last_imap": "datetimeValue",
    "gmail:timestamp_last_pop": "datetimeValue",
}
_LOGIN_TIMES = frozenset(
    {
        "accounts:last_login_time",
        "accounts:timestamp_last_login",
        "gmail:last_interaction_time",
        "gmail:timestamp_last_interaction",
        "gmail:timestamp_last_access",
        "gmail:timestamp_last_webmail",
    }
)

CUSTOMER_PARAMETERS: dict[str, str] = {
    "accounts:num_users": "intValue",
    "accounts:num_suspended_users": "intValue",
    "accounts:num_1day_logins": "intValue",
    "accounts:num_7day_logins": "intValue",
    "accounts:num_30day_logins": "intValue",
    "accounts:num_users_2sv_enrolled": "intValue",
    "accounts:used_quota_in_mb": "intValue",
    "accounts:total_quota_in_mb": "intValue",
    "accounts:used_quota_in_percentage": "intValue",
    "gmail:num_emails_received": "intValue",
    "gmail:num_emails_sent": "intValue",
    "gmail:num_emails_exchanged": "intValue",
}


def usage_seed(seed_kind: str | None) -> str:
    """The seed of the usage habits of a state file seeded as ``seed_kind``."""
    return f"mailops:{seed_kind or 'demo'}"


def _unit(*parts: object) -> float:
    """A uniform number in [0, 1) fixed by ``parts``."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


@dataclass(frozen=True)
class Traits:
    """Stable habits of one account."""

    login_weekday: float  # chance of logging in on a working day
    login_weekend: float
    received_per_day: float
    sent_share: float  # sent mail as a share of received
    start_mb: float
    growth_mb_per_day: float
    drive_mb: float
    two_sv: bool
    ever_logged_in: bool


def traits_of(seed: str, account: Account) -> Traits:
    u = [_unit(seed, account.id, name) for name in ("kind", "mail", "sent", "mb", "grow", "2sv")]
    if account.is_admin or u[0] >= 0.30:
        login = (0.9, 0.08)
    elif u[0] >= 0.12:
        login = (0.3, 0.02)
    else:  # dormant: set the account up once, then never came back
        login = (0.0, 0.0)
    heavy = u[3] < 0.05
    start = TOTAL_QUOTA_MB * (0.82 + u[3] * 3) if heavy else 40 + u[3] * 2500
    return Traits(
        login_weekday=login[0],
        login_weekend=login[1],
        received_per_day=4 + u[1] * 40,
        sent_share=0.1 + u[2] * 0.5,
        start_mb=start,
        growth_mb_per_day=(0.1 + u[4]) if heavy else (0.5 + u[4] * 6),
        drive_mb=u[4] * 1500,
        two_sv=account.is_admin or u[5] < 0.55,
        ever_logged_in=u[0] >= 0.03 or account.is_admin,
    )


def _logged_in(seed: str, account: Account, traits: Traits, day: date) -> bool:
    if account.suspended or not account.exists_on(day):
        return False
    chance = traits.login_weekday if day.weekday() < 5 else traits.login_weekend
    return chance > 0 and _unit(seed, account.id, day, "login") < chance


def _login_time(seed: str, account: Account, day: date) -> datetime:
    # 7:00-17:00 in Colombia (UTC-5) = 12:00-22:00 UTC
    seconds = int(12 * 3600 + _unit(seed, account.id, day, "at") * 10 * 3600)
    return datetime.combine(day, time(), UTC) + timedelta(seconds=seconds)


def last_login(seed: str, account: Account, traits: Traits, day: date) -> datetime:
    """The last login up to the end of ``day`` (``NEVER`` when none)."""
    first = account.created.date()
    if traits.login_weekday > 0 and not account.suspended:
        for back in range(_LOOKBACK_DAYS):
            d = day - timedelta(days=back)
            if d < first:
                break
            if _logged_in(seed, account, traits, d):
                return _login_time(seed, account, d)
    if not traits.ever_logged_in:
        return NEVER
    return min(account.created + timedelta(hours=1), datetime.combine(day, time.max, UTC))


def _mail(seed: str, account: Account, traits: Traits, day: date) -> tuple[int, int, int]:
    """(received, sent, spam) on ``day``."""
    if account.suspended or not account.exists_on(day):
        return 0, 0, 0
    factor = 1.0 if day.weekday() < 5 else 0.15
    u = _unit(seed, account.id, day, "mail")
    received = int(traits.received_per_day * factor * (0.5 + u))
    sent = 0
    if _logged_in(seed, account, traits, day):
        sent = int(received * traits.sent_share * (0.5 + _unit(seed, account.id, day, "sent")))
    spam = int(u * 4 * factor)
    return received, sent, spam


def _storage(traits: Traits, account: Account, day: date) -> tuple[int, int]:
    """(gmail MB, drive MB) at the end of ``day``."""
    age = max(0, (day - account.created.date()).days)
    gmail = min(traits.start_mb + traits.growth_mb_per_day * age, TOTAL_QUOTA_MB * 0.995)
    drive = min(traits.drive_mb, TOTAL_QUOTA_MB - gmail)
    return int(gmail), int(drive)


def user_values(
    seed: str, account: Account, day: date, wanted: list[str], *, with_gmail: bool
) -> dict[str, Any]:
    """The values of ``wanted`` parameters for ``account`` on ``day`` (Python types)."""
    traits = traits_of(seed, account)
    out: dict[str, Any] = {}
    need_mail = any(p.startswith("gmail:num") for p in wanted)
    received, sent, spam = _mail(seed, account, traits, day) if need_mail else (0, 0, 0)
    gmail_mb, drive_mb = _storage(traits, account, day)
    login: datetime | None = None
    for name in wanted:
        if name.startswith("gmail:") and not with_gmail:
            continue
        if name in _LOGIN_TIMES:
            login = login or last_login(seed, account, traits, day)
            value: Any = login
        elif name in ("gmail:timestamp_last_imap", "gmail:timestamp_last_pop"):
            value = NEVER  # the demo municipality uses the web client only
        elif name == "accounts:disabled_reason":
            if not account.suspended:
                continue  # Google sends it only for disabled accounts
            value = "ADMIN"
        else:
            value = {
                "accounts:first_name": account.given_name,
                "accounts:last_name": account.family_name,
                "accounts:domain_name": account.domain,
                "accounts:admin_set_name": f"{account.given_name} {account.family_name}",
                "accounts:is_suspended": account.suspended,
                "accounts:disabled": account.suspended,
                "accounts:is_2sv_enrolled": traits.two_sv,
                "accounts:is_2sv_enforced": False,
                "accounts:timestamp_creation": account.created,
                "accounts:gmail_used_quota_in_mb": gmail_mb,
                "accounts:drive_used_quota_in_mb": drive_mb,
                "accounts:used_quota_in_mb": gmail_mb + drive_mb,
                "accounts:total_quota_in_mb": TOTAL_QUOTA_MB,
                "accounts:used_quota_in_percentage": round(
                    100 * (gmail_mb + drive_mb) / TOTAL_QUOTA_MB
                ),
                "accounts:gplus_photos_used_quota_in_mb": 0,
                "accounts:is_2sv_protected": traits.two_sv,
                "accounts:is_archived": False,
                "accounts:is_less_secure_apps_access_allowed": False,
                "accounts:num_authorized_apps": int(_unit(seed, account.id, "apps") * 6),
                "accounts:num_passkeys_enrolled": 0,
                "accounts:num_roles_assigned": int(account.is_admin),
                "accounts:num_security_keys": int(account.is_admin),
                "accounts:password_length_compliance": "COMPLIANT",
                "accounts:password_strength": "STRONG" if traits.two_sv else "WEAK",
                "gmail:is_gmail_enabled": not account.suspended,
                "gmail:num_emails_received": received,
                "gmail:num_emails_sent": sent,
                "gmail:num_emails_exchanged": received + sent,
                "gmail:num_spam_emails_received": spam,
            }[name]
        out[name] = value
    return out


def customer_values(
    seed: str, accounts: list[Account], day: date, wanted: list[str], *, with_gmail: bool
) -> dict[str, Any]:
    """The customer-wide figures of ``wanted`` on ``day``."""
    alive = [a for a in accounts if a.exists_on(day)]
    totals = dict.fromkeys(CUSTOMER_PARAMETERS, 0)
    totals["accounts:num_users"] = len(alive)
    need_logins = any("day_logins" in p for p in wanted)
    for account in alive:
        traits = traits_of(seed, account)
        gmail_mb, drive_mb = _storage(traits, account, day)
        totals["accounts:used_quota_in_mb"] += gmail_mb + drive_mb
        totals["accounts:total_quota_in_mb"] += TOTAL_QUOTA_MB
        totals["accounts:num_suspended_users"] += int(account.suspended)
        totals["accounts:num_users_2sv_enrolled"] += int(traits.two_sv)
        if with_gmail:
            received, sent, _spam = _mail(seed, account, traits, day)
            totals["gmail:num_emails_received"] += received
            totals["gmail:num_emails_sent"] += sent
            totals["gmail:num_emails_exchanged"] += received + sent
        if need_logins:
            seen = last_login(seed, account, traits, day)
            age = (day - seen.date()).days
            totals["accounts:num_1day_logins"] += int(age < 1)
            totals["accounts:num_7day_logins"] += int(age < 7)
            totals["accounts:num_30day_logins"] += int(age < 30)
    if totals["accounts:total_quota_in_mb"]:
        totals["accounts:used_quota_in_percentage"] = round(
            100 * totals["accounts:used_quota_in_mb"] / totals["accounts:total_quota_in_mb"]
        )
    return {name: totals[name] for name in wanted if with_gmail or not name.startswith("gmail:")}


def login_events(seed: str, account: Account, day: date) -> list[tuple[datetime, str]]:
    """(time, event name) of the login events of ``account`` on ``day``."""
    traits = traits_of(seed, account)
    if not _logged_in(seed, account, traits, day):
        return []
    at = _login_time(seed, account, day)
    events = [(at, "login_success")]
    if _unit(seed, account.id, day, "fail") < 0.05:
        events.append((at - timedelta(minutes=2), "login_failure"))
    return events
