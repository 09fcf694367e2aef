"""What every part of the Directory model shares: the store, the clock, lookups and formats."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from mailops.emulator.errors import ApiError, forbidden, invalid, not_found
from mailops.emulator.faults import Faults
from mailops.emulator.store import Store

__all__ = ["EMAIL_RE", "ModelBase", "Resource", "etag_of", "page_slice", "rfc3339"]

Resource = dict[str, Any]

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+'-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,63}$")


def rfc3339(moment: datetime) -> str:
    """Google's timestamp format: ``2024-01-15T13:45:12.000Z``."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def etag_of(data: Any) -> str:
    digest = hashlib.sha1(json.dumps(data, sort_keys=True).encode()).digest()
    return '"' + base64.urlsafe_b64encode(digest).decode().rstrip("=") + '"'


def page_slice(
    items: list[Resource], page_token: str | None, max_results: int, fingerprint: str
) -> tuple[list[Resource], str | None]:
    """One page of ``items`` and the opaque token of the next one (None at the end).

    The token carries the offset and a fingerprint of the query; a token from another query,
    or garbage, is a 400 like Google's.
    """
    offset = 0
    if page_token:
        try:
            raw = json.loads(base64.urlsafe_b64decode(page_token.encode() + b"==").decode())
            offset = int(raw["o"])
            if raw["f"] != fingerprint or offset < 0:
                raise ValueError
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise invalid("Invalid Input: pageToken") from None
    page = items[offset : offset + max_results]
    nxt = offset + max_results
    if nxt >= len(items):
        return page, None
    token = base64.urlsafe_b64encode(json.dumps({"o": nxt, "f": fingerprint}).encode()).decode()
    return page, token.rstrip("=")


def fingerprint_of(*parts: Any) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:12]


class ModelBase:
    """State access shared by the users, groups and org-unit parts of the model."""

    def __init__(
        self, store: Store, clock: Callable[[], datetime], faults: Callable[[], Faults]
    ) -> None:
        self.store = store
        self.clock = clock
        self.faults = faults

    # -- customer and domains -------------------------------------------------------------

    @property
    def db(self) -> sqlite3.Connection:
        return self.store.connection()

    def customer_id(self) -> str:
        row = self.db.execute("SELECT id FROM dir_customer LIMIT 1").fetchone()
        if row is None:
            raise ApiError(503, "backendError", "The emulated domain has no customer record.")
        return str(row[0])

    def check_customer(self, key: str | None) -> str:
        """The customer id for ``my_customer`` or our id; 403 for anybody else's."""
        own = self.customer_id()
        if key in ("my_customer", own):
            return own
        raise forbidden()

    def domain_names(self) -> list[str]:
        """Every domain and domain alias of the customer (lowercase)."""
        return [str(r[0]) for r in self.db.execute("SELECT name FROM dir_domains ORDER BY name")]

    def check_email_domain(self, email: str, field: str) -> None:
        if not EMAIL_RE.match(email):
            raise invalid(f"Invalid Input: {field}")
        domain = email.rsplit("@", 1)[1].lower()
        if domain not in self.domain_names():
            raise ApiError(400, "invalid", "Domain not found.")

    def now(self) -> datetime:
        return self.clock()

    # -- identity lookups -----------------------------------------------------------------

    def email_owner(self, email: str) -> tuple[str, str] | None:
        """('user'|'group', id) owning ``email`` as primary address or alias, if any.

        An address in a domain alias (``ana@alias.example``) belongs to whoever owns the same
        address in the parent domain, as Google's non-editable aliases do.
        """
        email = email.strip().lower()
        row = self.db.execute(
            "SELECT id FROM dir_users WHERE primary_email = ? AND deleted = 0", (email,)
        ).fetchone()
        if row:
            return "user", str(row[0])
        row = self.db.execute("SELECT id FROM dir_groups WHERE email = ?", (email,)).fetchone()
        if row:
            return "group", str(row[0])
        row = self.db.execute(
            "SELECT kind, owner_id FROM dir_aliases WHERE alias = ?", (email,)
        ).fetchone()
        if row:
            return str(row[0]), str(row[1])
        local, _, domain = email.rpartition("@")
        parent = self.db.execute(
            "SELECT parent FROM dir_domains WHERE name = ? AND parent IS NOT NULL", (domain,)
        ).fetchone()
        if parent is not None:
            return self.email_owner(f"{local}@{parent[0]}")
        return None

    def ensure_address_free(self, email: str) -> None:
        """409 duplicate when a user or group already uses ``email`` (address or alias)."""
        if self.email_owner(email) is not None:
            raise ApiError(409, "duplicate", "Entity already exists.")

    def user_row(self, key: str, *, deleted: bool = False) -> sqlite3.Row:
        """The user row for an email, alias or id; 404 ``userKey`` when none."""
        key = key.strip()
        row: sqlite3.Row | None = None
        if deleted:
            column = "primary_email" if "@" in key else "id"
            row = self.db.execute(
                f"SELECT * FROM dir_users WHERE {column} = ? AND deleted = 1 "
                "ORDER BY rowid DESC LIMIT 1",
                (key.lower() if "@" in key else key,),
            ).fetchone()
        elif "@" in key:
            owner = self.email_owner(key)
            if owner is not None and owner[0] == "user":
                row = self.db.execute(
                    "SELECT * FROM dir_users WHERE id = ? AND deleted = 0", (owner[1],)
                ).fetchone()
        else:
            row = self.db.execute(
                "SELECT * FROM dir_users WHERE id = ? AND deleted = 0", (key,)
            ).fetchone()
        if row is None:
            raise not_found("userKey")
        return row

    def group_row(self, key: str, *, what: str = "groupKey") -> sqlite3.Row:
        """The group row for an email, alias or id; 404 ``groupKey`` when none."""
        key = key.strip()
        row: sqlite3.Row | None = None
        if "@" in key:
            owner = self.email_owner(key)
            if owner is not None and owner[0] == "group":
                row = self.db.execute(
                    "SELECT * FROM dir_groups WHERE id = ?", (owner[1],)
                ).fetchone()
        else:
            row = self.db.execute("SELECT * FROM dir_groups WHERE id = ?", (key,)).fetchone()
        if row is None:
            raise not_found(what)
        return row

    def aliases_of(self, owner_id: str) -> list[str]:
        return [
            str(r[0])
            for r in self.db.execute(
                "SELECT alias FROM dir_aliases WHERE owner_id = ? ORDER BY alias", (owner_id,)
            )
        ]

    def non_editable_aliases(self, email: str) -> list[str]:
        """The address in every domain alias of its domain (what Google lists as non-editable)."""
        local, domain = email.rsplit("@", 1)
        rows = self.db.execute(
            "SELECT name FROM dir_domains WHERE parent = ? ORDER BY name", (domain,)
        )
        return [f"{local}@{r[0]}" for r in rows]

    def ou_exists(self, path: str) -> bool:
        row = self.db.execute("SELECT 1 FROM dir_orgunits WHERE path = ?", (path,)).fetchone()
        return row is not None

    def new_id(self, kind: str) -> str:
        """A deterministic id: numeric (21 digits) for users, Google-like strings otherwise."""
        n = self.store.next_counter(kind)
        if kind == "user":
            return str(100_000_000_000_000_000_000 + n * 7_919_133)
        if kind == "group":
            return f"0{n * 104_729:014x}"[:15]
        if kind == "member":
            return str(200_000_000_000_000_000_000 + n * 6_700_417)
        return f"id:03ph8a2z{n:06x}"
