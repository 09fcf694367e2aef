"""users and users.aliases of the Directory API: state and rules, one method per API method."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from mailops.emulator.directory.activity import activity_fields
from mailops.emulator.directory.passwords import stored_password
from mailops.emulator.directory.query import matches, parse_query
from mailops.emulator.directory.state import (
    EMAIL_RE,
    ModelBase,
    Resource,
    etag_of,
    fingerprint_of,
    page_slice,
    rfc3339,
)
from mailops.emulator.errors import (
    ApiError,
    bad_request,
    condition_not_met,
    invalid,
    required,
)

__all__ = ["UsersModel"]

# Fields Google fills itself: whatever the client sends for them is ignored.
_OUTPUT_ONLY = {
    "kind",
    "id",
    "etag",
    "isAdmin",
    "isDelegatedAdmin",
    "isMailboxSetup",
    "agreedToTerms",
    "aliases",
    "nonEditableAliases",
    "creationTime",
    "lastLoginTime",
    "customerId",
    "isEnrolledIn2Sv",
    "isEnforcedIn2Sv",
    "emails",
    "thumbnailPhotoUrl",
    "deletionTime",
    "suspensionReason",
    "password",
    "hashFunction",
}
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


class UsersModel(ModelBase):
    """users.* and users.aliases.*"""

    # -- output --------------------------------------------------------------------------

    def _user_out(
        self,
        row: sqlite3.Row,
        aliases: list[str] | None = None,
        domain_aliases: dict[str, list[str]] | None = None,
        *,
        with_etag: bool = True,
    ) -> Resource:
        """The user resource; ``aliases``/``domain_aliases`` precomputed by list calls."""
        data: Resource = json.loads(row["json"])
        email = str(row["primary_email"])
        if aliases is None:
            aliases = self.aliases_of(str(row["id"]))
        if domain_aliases is None:
            non_editable = self.non_editable_aliases(email)
        else:
            local, domain = email.rsplit("@", 1)
            non_editable = [f"{local}@{d}" for d in domain_aliases.get(domain, [])]
        out: Resource = {"kind": "admin#directory#user", "id": str(row["id"])}
        out.update(data)
        out["isAdmin"] = bool(row["is_admin"])
        out["isDelegatedAdmin"] = False
        out["isMailboxSetup"] = self.now().timestamp() >= float(row["ready_at"])
        out.update(activity_fields(self.store.get_meta("seed"), row, data, self.now().date()))
        if aliases:
            out["aliases"] = aliases
        if non_editable:
            out["nonEditableAliases"] = non_editable
        out["emails"] = [{"address": email, "primary": True}] + [{"address": a} for a in aliases]
        if with_etag:
            out["etag"] = etag_of(out)
        return out

    @staticmethod
    def _project(user: Resource, projection: str | None, mask: str | None) -> Resource:
        """Google's projections: ``basic`` (default) hides customSchemas, ``custom`` keeps the
        schemas named in ``customFieldMask``, ``full`` keeps them all."""
        if projection in (None, "basic"):
            user.pop("customSchemas", None)
        elif projection == "custom":
            if not mask:
                raise bad_request("customFieldMask is required when projection is custom")
            wanted = {m.strip() for m in mask.split(",")}
            schemas = user.get("customSchemas") or {}
            kept = {k: v for k, v in schemas.items() if k in wanted}
            if kept:
                user["customSchemas"] = kept
            else:
                user.pop("customSchemas", None)
        elif projection != "full":
            raise invalid(f"Invalid value '{projection}' for projection")
        return user

    def _check_ready(self, row: sqlite3.Row) -> None:
        if self.now().timestamp() < float(row["ready_at"]):
            raise condition_not_met("User creation is not complete.")

    # -- validation ----------------------------------------------------------------------

    def _clean_fields(self, body: Resource, current: Resource | None) -> Resource:
        """Validated writable fields of ``body`` merged over ``current`` (None on insert)."""
        data: Resource = dict(current or {})
        for key, value in body.items():
            if key in _OUTPUT_ONLY:
                continue
            if key == "name" and isinstance(value, dict) and isinstance(data.get("name"), dict):
                data["name"] = {**data["name"], **value}
            else:
                data[key] = value
        name = data.get("name")
        if not isinstance(name, dict):
            raise required("Missing required field: name")
        for part, label in (("givenName", "GivenName"), ("familyName", "FamilyName")):
            value = name.get(part)
            if not isinstance(value, str) or not value.strip():
                raise required(f"Missing required field: name.{part}")
            if len(value) > 60:
                raise invalid(f"Invalid Given/Family Name: {label}")
        name["fullName"] = f"{name['givenName'].strip()} {name['familyName'].strip()}"
        email = data.get("primaryEmail")
        if not isinstance(email, str) or not email.strip():
            raise required("Missing required field: primaryEmail")
        data["primaryEmail"] = email.strip().lower()
        self.check_email_domain(data["primaryEmail"], "primaryEmail")
        ou = data.get("orgUnitPath") or "/"
        if not isinstance(ou, str) or not self.ou_exists(ou):
            raise invalid("Invalid Input: INVALID_OU_ID")
        data["orgUnitPath"] = ou
        phone = data.get("recoveryPhone")
        if phone not in (None, "") and (not isinstance(phone, str) or not _E164.match(phone)):
            raise invalid("Invalid Input: recoveryPhone")
        recovery = data.get("recoveryEmail")
        if recovery not in (None, "") and (
            not isinstance(recovery, str) or not EMAIL_RE.match(recovery)
        ):
            raise invalid("Invalid Input: recoveryEmail")
        for flag in ("suspended", "archived", "changePasswordAtNextLogin"):
            data[flag] = bool(data.get(flag, False))
        data.setdefault("includeInGlobalAddressList", True)
        data.setdefault("ipWhitelisted", False)
        if data["suspended"]:
            data["suspensionReason"] = "ADMIN"
        else:
            data.pop("suspensionReason", None)
        return data

    def _save(
        self,
        conn: sqlite3.Connection,
        user_id: str,
        data: Resource,
        password: tuple[str, str] | None,
    ) -> None:
        name = data["name"]
        conn.execute(
            "UPDATE dir_users SET primary_email = ?, given_name = ?, family_name = ?, "
            "org_unit_path = ?, is_suspended = ?, json = ? WHERE id = ?",
            (
                data["primaryEmail"],
                name["givenName"],
                name["familyName"],
                data["orgUnitPath"],
                int(data["suspended"]),
                json.dumps(data, ensure_ascii=False),
                user_id,
            ),
        )
        if password is not None:
            conn.execute(
                "UPDATE dir_users SET password_hash = ?, hash_function = ? WHERE id = ?",
                (password[0], password[1], user_id),
            )

    # -- users ---------------------------------------------------------------------------

    def users_insert(self, body: Resource, *, created: datetime | None = None) -> Resource:
        """users.insert. ``created`` back-dates creationTime (used by the demo seed)."""
        if "password" not in body or body.get("password") in (None, ""):
            # Google checks the name and address first, then the password.
            self._clean_fields(body, None)
            raise required("Missing required field: password")
        data = self._clean_fields(body, None)
        password = stored_password(body.get("password"), body.get("hashFunction"))
        now = self.now()
        moment = created or now
        with self.store.write() as conn:
            self.ensure_address_free(data["primaryEmail"])
            user_id = self.new_id("user")
            customer = self.customer_id()
            data.update(
                creationTime=rfc3339(moment),
                lastLoginTime="1970-01-01T00:00:00.000Z",
                agreedToTerms=created is not None,
                isEnrolledIn2Sv=False,
                isEnforcedIn2Sv=False,
                customerId=customer,
            )
            delay = 0 if created is not None else self.faults().creation_delay_ms
            ready_at = (now + timedelta(milliseconds=delay)).timestamp() if delay else 0.0
            conn.execute(
                "INSERT INTO dir_users (id, primary_email, customer_id, given_name, family_name, "
                "org_unit_path, ready_at, password_hash, hash_function, json) "
                "VALUES (?, ?, ?, '', '', '/', ?, ?, ?, '{}')",
                (user_id, data["primaryEmail"], customer, ready_at, *password),
            )
            self._save(conn, user_id, data, None)
            return self._user_out(self.user_row(user_id))

    def users_get(
        self, user_key: str, *, projection: str | None = None, custom_field_mask: str | None = None
    ) -> Resource:
        return self._project(self._user_out(self.user_row(user_key)), projection, custom_field_mask)

    def users_list(
        self,
        *,
        customer: str | None,
        domain: str | None,
        query: str | None = None,
        max_results: int = 100,
        page_token: str | None = None,
        order_by: str | None = None,
        sort_order: str | None = None,
        show_deleted: bool = False,
        projection: str | None = None,
        custom_field_mask: str | None = None,
    ) -> Resource:
        if not customer and not domain:
            raise bad_request("Bad Request")
        if customer:
            self.check_customer(customer)
        if domain is not None and domain.lower() not in self.domain_names():
            raise ApiError(400, "invalid", "Domain not found.")
        if not 1 <= max_results <= 500:
            raise invalid(
                f"Invalid value '{max_results}'. Values must be within the range: [1, 500]"
            )
        if order_by not in (None, "email", "familyName", "givenName"):
            raise invalid(f"Invalid value '{order_by}' for orderBy")
        if sort_order not in (None, "ASCENDING", "DESCENDING"):
            raise invalid(f"Invalid value '{sort_order}' for sortOrder")
        clauses = parse_query(query or "")
        sql = "SELECT * FROM dir_users WHERE deleted = ?"
        args: list[Any] = [1 if show_deleted else 0]
        if domain:
            sql += " AND primary_email LIKE ?"
            args.append("%@" + domain.lower())
        alias_map: dict[str, list[str]] = {}
        for r in self.db.execute(
            "SELECT owner_id, alias FROM dir_aliases WHERE kind = 'user' ORDER BY alias"
        ):
            alias_map.setdefault(str(r[0]), []).append(str(r[1]))
        domain_aliases: dict[str, list[str]] = {}
        for r in self.db.execute(
            "SELECT name, parent FROM dir_domains WHERE parent IS NOT NULL ORDER BY name"
        ):
            domain_aliases.setdefault(str(r[1]), []).append(str(r[0]))
        users = [
            self._user_out(r, alias_map.get(str(r["id"]), []), domain_aliases, with_etag=False)
            for r in self.db.execute(sql, args)
        ]
        users = [u for u in users if matches(u, clauses)]
        key = order_by or "email"
        if key == "email":
            users.sort(key=lambda u: str(u["primaryEmail"]))
        else:
            users.sort(key=lambda u: (str(u["name"][key]).lower(), str(u["primaryEmail"])))
        if sort_order == "DESCENDING":
            users.reverse()
        fp = fingerprint_of(customer, domain, query, order_by, sort_order, show_deleted)
        page, token = page_slice(users, page_token, max_results, fp)
        for user in page:
            user["etag"] = etag_of(user)
        page = [self._project(u, projection, custom_field_mask) for u in page]
        out: Resource = {"kind": "admin#directory#users", "users": page}
        out["etag"] = etag_of([u["etag"] for u in page])
        if token:
            out["nextPageToken"] = token
        if not page:
            del out["users"]
        return out

    def _change(self, user_key: str, body: Resource, *, replace: bool) -> Resource:
        with self.store.write() as conn:
            row = self.user_row(user_key)
            self._check_ready(row)
            current: Resource = json.loads(row["json"])
            if replace:
                keep = {
                    k: current[k]
                    for k in (
                        "creationTime",
                        "lastLoginTime",
                        "agreedToTerms",
                        "isEnrolledIn2Sv",
                        "isEnforcedIn2Sv",
                        "customerId",
                    )
                }
                base: Resource = {
                    **keep,
                    "primaryEmail": current["primaryEmail"],
                    "orgUnitPath": current["orgUnitPath"],
                    "name": current["name"],
                }
                data = self._clean_fields(body, base)
            else:
                data = self._clean_fields(body, current)
            password = None
            if body.get("password") not in (None, ""):
                password = stored_password(body.get("password"), body.get("hashFunction"))
            old_email = str(row["primary_email"])
            if data["primaryEmail"] != old_email:
                owner = self.email_owner(data["primaryEmail"])
                if owner is not None and owner != ("user", str(row["id"])):
                    raise ApiError(409, "duplicate", "Entity already exists.")
                conn.execute("DELETE FROM dir_aliases WHERE alias = ?", (data["primaryEmail"],))
                # Google keeps the old address as an alias of the renamed user.
                conn.execute(
                    "INSERT INTO dir_aliases (alias, kind, owner_id) VALUES (?, 'user', ?)",
                    (old_email, str(row["id"])),
                )
                conn.execute(
                    "UPDATE dir_members SET email = ? WHERE member_id = ?",
                    (data["primaryEmail"], str(row["id"])),
                )
            self._save(conn, str(row["id"]), data, password)
            return self._user_out(self.user_row(str(row["id"])))

    def users_patch(self, user_key: str, body: Resource) -> Resource:
        return self._change(user_key, body, replace=False)

    def users_update(self, user_key: str, body: Resource) -> Resource:
        return self._change(user_key, body, replace=True)

    def users_delete(self, user_key: str) -> None:
        with self.store.write() as conn:
            row = self.user_row(user_key)
            user_id = str(row["id"])
            data: Resource = json.loads(row["json"])
            data["deletionTime"] = rfc3339(self.now())
            conn.execute(
                "UPDATE dir_users SET deleted = 1, json = ? WHERE id = ?",
                (json.dumps(data, ensure_ascii=False), user_id),
            )
            conn.execute("DELETE FROM dir_aliases WHERE owner_id = ?", (user_id,))
            conn.execute("DELETE FROM dir_members WHERE member_id = ?", (user_id,))

    def users_undelete(self, user_key: str, body: Resource) -> None:
        with self.store.write() as conn:
            row = self.user_row(user_key, deleted=True)
            if self.email_owner(str(row["primary_email"])) is not None:
                raise condition_not_met("Conflicting resource: the address is in use.")
            data: Resource = json.loads(row["json"])
            data.pop("deletionTime", None)
            ou = body.get("orgUnitPath") or data.get("orgUnitPath") or "/"
            if not isinstance(ou, str) or not self.ou_exists(ou):
                raise invalid("Invalid Input: INVALID_OU_ID")
            data["orgUnitPath"] = ou
            conn.execute(
                "UPDATE dir_users SET deleted = 0, org_unit_path = ?, json = ? WHERE id = ?",
                (ou, json.dumps(data, ensure_ascii=False), str(row["id"])),
            )

    def users_make_admin(self, user_key: str, body: Resource) -> None:
        status = body.get("status")
        if not isinstance(status, bool):
            raise required("Missing required field: status")
        with self.store.write() as conn:
            row = self.user_row(user_key)
            self._check_ready(row)
            conn.execute(
                "UPDATE dir_users SET is_admin = ? WHERE id = ?", (int(status), str(row["id"]))
            )

    def users_sign_out(self, user_key: str) -> None:
        self.user_row(user_key)

    # -- users.aliases -------------------------------------------------------------------

    def users_aliases_insert(self, user_key: str, body: Resource) -> Resource:
        alias = body.get("alias")
        if not isinstance(alias, str) or not alias.strip():
            raise required("Missing required field: alias")
        alias = alias.strip().lower()
        self.check_email_domain(alias, "alias")
        with self.store.write() as conn:
            row = self.user_row(user_key)
            self._check_ready(row)
            self.ensure_address_free(alias)
            conn.execute(
                "INSERT INTO dir_aliases (alias, kind, owner_id) VALUES (?, 'user', ?)",
                (alias, str(row["id"])),
            )
            out: Resource = {
                "kind": "admin#directory#alias",
                "id": str(row["id"]),
                "primaryEmail": str(row["primary_email"]),
                "alias": alias,
            }
            out["etag"] = etag_of(out)
            return out

    def users_aliases_list(self, user_key: str) -> Resource:
        row = self.user_row(user_key)
        aliases: list[Resource] = []
        for alias in self.aliases_of(str(row["id"])):
            item: Resource = {
                "kind": "admin#directory#alias",
                "id": str(row["id"]),
                "primaryEmail": str(row["primary_email"]),
                "alias": alias,
            }
            item["etag"] = etag_of(item)
            aliases.append(item)
        out: Resource = {"kind": "admin#directory#aliases", "aliases": aliases}
        out["etag"] = etag_of(aliases)
        return out

    def users_aliases_delete(self, user_key: str, alias: str) -> None:
        with self.store.write() as conn:
            row = self.user_row(user_key)
            cur = conn.execute(
                "DELETE FROM dir_aliases WHERE alias = ? AND owner_id = ?",
                (alias.strip().lower(), str(row["id"])),
            )
            if cur.rowcount == 0:
                raise ApiError(404, "notFound", "Resource Not Found: alias")
