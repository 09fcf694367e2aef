"""groups, groups.aliases and members of the Directory API: state and rules."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

from mailops.emulator.directory.state import (
    ModelBase,
    Resource,
    etag_of,
    fingerprint_of,
    page_slice,
)
from mailops.emulator.errors import (
    ApiError,
    bad_request,
    condition_not_met,
    invalid,
    not_found,
    required,
)

__all__ = ["GroupsModel"]

_ROLES = ("OWNER", "MANAGER", "MEMBER")
_GROUP_WRITABLE = ("email", "name", "description")


class GroupsModel(ModelBase):
    """groups.*, groups.aliases.* and members.*"""

    def _group_out(self, row: sqlite3.Row) -> Resource:
        data: Resource = json.loads(row["json"])
        count = self.db.execute(
            "SELECT COUNT(*) FROM dir_members WHERE group_id = ?", (row["id"],)
        ).fetchone()[0]
        out: Resource = {"kind": "admin#directory#group", "id": str(row["id"])}
        out.update(data)
        out["directMembersCount"] = str(count)
        aliases = self.aliases_of(str(row["id"]))
        if aliases:
            out["aliases"] = aliases
        non_editable = self.non_editable_aliases(str(row["email"]))
        if non_editable:
            out["nonEditableAliases"] = non_editable
        out["etag"] = etag_of(out)
        return out

    def _clean_group(self, body: Resource, current: Resource | None) -> Resource:
        data: Resource = dict(current or {"description": "", "adminCreated": True})
        for key in _GROUP_WRITABLE:
            if key in body:
                data[key] = body[key]
        email = data.get("email")
        if not isinstance(email, str) or not email.strip():
            raise required("Missing required field: email")
        data["email"] = email.strip().lower()
        self.check_email_domain(data["email"], "email")
        if not isinstance(data.get("name"), str) or not data["name"].strip():
            data["name"] = data["email"].split("@", 1)[0]
        if not isinstance(data.get("description"), str):
            raise invalid("Invalid Input: description")
        return data

    def groups_insert(self, body: Resource) -> Resource:
        data = self._clean_group(body, None)
        with self.store.write() as conn:
            self.ensure_address_free(data["email"])
            group_id = self.new_id("group")
            conn.execute(
                "INSERT INTO dir_groups (id, email, name, json) VALUES (?, ?, ?, ?)",
                (group_id, data["email"], data["name"], json.dumps(data, ensure_ascii=False)),
            )
            return self._group_out(self.group_row(group_id))

    def groups_get(self, group_key: str) -> Resource:
        return self._group_out(self.group_row(group_key))

    def groups_list(
        self,
        *,
        customer: str | None,
        domain: str | None,
        user_key: str | None,
        query: str | None = None,
        max_results: int = 200,
        page_token: str | None = None,
        sort_order: str | None = None,
    ) -> Resource:
        if not (customer or domain or user_key):
            raise bad_request("Bad Request")
        if customer:
            self.check_customer(customer)
        if not 1 <= max_results <= 200:
            raise invalid(
                f"Invalid value '{max_results}'. Values must be within the range: [1, 200]"
            )
        sql = "SELECT * FROM dir_groups"
        args: list[Any] = []
        if user_key:
            member_id = self._member_identity(user_key)[0]
            sql += " WHERE id IN (SELECT group_id FROM dir_members WHERE member_id = ?)"
            args.append(member_id)
        groups = [self._group_out(r) for r in self.db.execute(sql + " ORDER BY email", args)]
        if domain:
            groups = [g for g in groups if str(g["email"]).endswith("@" + domain.lower())]
        if query:
            groups = [g for g in groups if self._group_matches(g, query)]
        if sort_order == "DESCENDING":
            groups.reverse()
        fp = fingerprint_of(customer, domain, user_key, query, sort_order)
        page, token = page_slice(groups, page_token, max_results, fp)
        out: Resource = {"kind": "admin#directory#groups", "groups": page}
        out["etag"] = etag_of([g["etag"] for g in page])
        if token:
            out["nextPageToken"] = token
        if not page:
            del out["groups"]
        return out

    @staticmethod
    def _group_matches(group: Resource, query: str) -> bool:
        for clause in query.split():
            field, sep, value = clause.partition(":")
            if not sep or field not in ("email", "name"):
                raise invalid("Invalid query")
            value = value.strip("'\"").lower()
            actual = str(group.get(field, "")).lower()
            if value.endswith("*"):
                if not actual.startswith(value[:-1]):
                    return False
            elif value not in actual:
                return False
        return True

    def _change_group(self, group_key: str, body: Resource, *, replace: bool) -> Resource:
        with self.store.write() as conn:
            row = self.group_row(group_key)
            current: Resource = json.loads(row["json"])
            if replace:
                current = {
                    "email": current["email"],
                    "adminCreated": current.get("adminCreated", True),
                    "description": "",
                }
            data = self._clean_group(body, current)
            if data["email"] != row["email"]:
                self.ensure_address_free(data["email"])
                conn.execute(
                    "INSERT INTO dir_aliases (alias, kind, owner_id) VALUES (?, 'group', ?)",
                    (row["email"], row["id"]),
                )
                conn.execute(
                    "UPDATE dir_members SET email = ? WHERE member_id = ?",
                    (data["email"], row["id"]),
                )
            conn.execute(
                "UPDATE dir_groups SET email = ?, name = ?, json = ? WHERE id = ?",
                (data["email"], data["name"], json.dumps(data, ensure_ascii=False), row["id"]),
            )
            return self._group_out(self.group_row(str(row["id"])))

    def groups_patch(self, group_key: str, body: Resource) -> Resource:
        return self._change_group(group_key, body, replace=False)

    def groups_update(self, group_key: str, body: Resource) -> Resource:
        return self._change_group(group_key, body, replace=True)

    def groups_delete(self, group_key: str) -> None:
        with self.store.write() as conn:
            row = self.group_row(group_key)
            conn.execute("DELETE FROM dir_groups WHERE id = ?", (row["id"],))
            conn.execute("DELETE FROM dir_aliases WHERE owner_id = ?", (row["id"],))
            conn.execute(
                "DELETE FROM dir_members WHERE group_id = ? OR member_id = ?",
                (row["id"], row["id"]),
            )

    # -- groups.aliases ------------------------------------------------------------------

    def _alias_item(self, row: sqlite3.Row, alias: str) -> Resource:
        item: Resource = {
            "kind": "admin#directory#alias",
            "id": str(row["id"]),
            "primaryEmail": str(row["email"]),
            "alias": alias,
        }
        item["etag"] = etag_of(item)
        return item

    def groups_aliases_insert(self, group_key: str, body: Resource) -> Resource:
        alias = body.get("alias")
        if not isinstance(alias, str) or not alias.strip():
            raise required("Missing required field: alias")
        alias = alias.strip().lower()
        self.check_email_domain(alias, "alias")
        with self.store.write() as conn:
            row = self.group_row(group_key)
            self.ensure_address_free(alias)
            conn.execute(
                "INSERT INTO dir_aliases (alias, kind, owner_id) VALUES (?, 'group', ?)",
                (alias, row["id"]),
            )
            return self._alias_item(row, alias)

    def groups_aliases_list(self, group_key: str) -> Resource:
        row = self.group_row(group_key)
        aliases = [self._alias_item(row, a) for a in self.aliases_of(str(row["id"]))]
        out: Resource = {"kind": "admin#directory#aliases", "aliases": aliases}
        out["etag"] = etag_of(aliases)
        return out

    def groups_aliases_delete(self, group_key: str, alias: str) -> None:
        with self.store.write() as conn:
            row = self.group_row(group_key)
            cur = conn.execute(
                "DELETE FROM dir_aliases WHERE alias = ? AND owner_id = ?",
                (alias.strip().lower(), row["id"]),
            )
            if cur.rowcount == 0:
                raise ApiError(404, "notFound", "Resource Not Found: alias")

    # -- members -------------------------------------------------------------------------

    def _member_identity(self, key: str) -> tuple[str, str, str]:
        """(id, email, type) of a user or group named by email, alias or id; 404 memberKey."""
        key = key.strip()
        if "@" in key:
            owner = self.email_owner(key)
            if owner is not None:
                kind, owner_id = owner
                if kind == "user":
                    row = self.user_row(owner_id)
                    return owner_id, str(row["primary_email"]), "USER"
                grow = self.group_row(owner_id)
                return owner_id, str(grow["email"]), "GROUP"
        else:
            try:
                row = self.user_row(key)
                return str(row["id"]), str(row["primary_email"]), "USER"
            except ApiError:
                pass
            try:
                grow = self.group_row(key)
                return str(grow["id"]), str(grow["email"]), "GROUP"
            except ApiError:
                pass
        raise not_found("memberKey")

    def _member_out(self, row: sqlite3.Row) -> Resource:
        out: Resource = {"kind": "admin#directory#member"}
        out.update(json.loads(row["json"]))
        out.update(id=str(row["member_id"]), email=row["email"], role=row["role"], type=row["type"])
        out["etag"] = etag_of(out)
        return out

    def _member_row(self, group_id: str, member_key: str) -> sqlite3.Row:
        key = member_key.strip().lower()
        row: sqlite3.Row | None = self.db.execute(
            "SELECT * FROM dir_members WHERE group_id = ? AND (member_id = ? OR email = ?)",
            (group_id, member_key.strip(), key),
        ).fetchone()
        if row is None and "@" in key:
            owner = self.email_owner(key)
            if owner is not None:
                row = self.db.execute(
                    "SELECT * FROM dir_members WHERE group_id = ? AND member_id = ?",
                    (group_id, owner[1]),
                ).fetchone()
        if row is None:
            raise not_found("memberKey")
        return row

    def _contains(self, group_id: str, target_id: str, seen: set[str] | None = None) -> bool:
        """Whether ``target_id`` is a member of ``group_id``, directly or through sub-groups."""
        seen = set() if seen is None else seen
        if group_id in seen:
            return False
        seen.add(group_id)
        for row in self.db.execute(
            "SELECT member_id, type FROM dir_members WHERE group_id = ?", (group_id,)
        ).fetchall():
            if row["member_id"] == target_id:
                return True
            if row["type"] == "GROUP" and self._contains(str(row["member_id"]), target_id, seen):
                return True
        return False

    def members_insert(self, group_key: str, body: Resource) -> Resource:
        role = body.get("role") or "MEMBER"
        if role not in _ROLES:
            raise invalid("Invalid Input: role")
        key = body.get("email") or body.get("id")
        if not isinstance(key, str) or not key.strip():
            raise required("Missing required field: memberKey")
        with self.store.write() as conn:
            group = self.group_row(group_key)
            group_id = str(group["id"])
            email_domain = key.rsplit("@", 1)[-1].lower() if "@" in key else ""
            if (
                "@" in key
                and self.email_owner(key) is None
                and email_domain not in self.domain_names()
            ):
                member_id = str(abs(hash_email(key.lower())))
                email, kind = key.strip().lower(), "EXTERNAL"
            else:
                member_id, email, kind = self._member_identity(key)
            if kind == "USER":
                self.users_ready(member_id)
            if kind == "GROUP" and (member_id == group_id or self._contains(member_id, group_id)):
                raise condition_not_met("Cyclic memberships not allowed")
            exists = conn.execute(
                "SELECT 1 FROM dir_members WHERE group_id = ? AND member_id = ?",
                (group_id, member_id),
            ).fetchone()
            if exists:
                raise ApiError(409, "duplicate", "Member already exists.")
            extra = {
                "status": "ACTIVE",
                "delivery_settings": body.get("delivery_settings") or "ALL_MAIL",
            }
            conn.execute(
                "INSERT INTO dir_members (group_id, member_id, email, role, type, json) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (group_id, member_id, email, role, kind, json.dumps(extra)),
            )
            return self._member_out(self._member_row(group_id, member_id))

    def users_ready(self, user_id: str) -> None:
        row = self.user_row(user_id)
        if self.now().timestamp() < float(row["ready_at"]):
            raise condition_not_met("User creation is not complete.")

    def members_get(self, group_key: str, member_key: str) -> Resource:
        group = self.group_row(group_key)
        return self._member_out(self._member_row(str(group["id"]), member_key))

    def members_list(
        self,
        group_key: str,
        *,
        roles: str | None = None,
        max_results: int = 200,
        page_token: str | None = None,
    ) -> Resource:
        group = self.group_row(group_key)
        if not 1 <= max_results <= 200:
            raise invalid(
                f"Invalid value '{max_results}'. Values must be within the range: [1, 200]"
            )
        wanted = [r.strip().upper() for r in roles.split(",")] if roles else list(_ROLES)
        if any(r not in _ROLES for r in wanted):
            raise invalid("Invalid Input: roles")
        rows = self.db.execute(
            "SELECT * FROM dir_members WHERE group_id = ? ORDER BY email", (group["id"],)
        ).fetchall()
        members = [self._member_out(r) for r in rows if r["role"] in wanted]
        fp = fingerprint_of(group["id"], roles)
        page, token = page_slice(members, page_token, max_results, fp)
        out: Resource = {"kind": "admin#directory#members", "members": page}
        out["etag"] = etag_of([m["etag"] for m in page])
        if token:
            out["nextPageToken"] = token
        if not page:
            del out["members"]
        return out

    def _change_member(self, group_key: str, member_key: str, body: Resource) -> Resource:
        role = body.get("role")
        if role is not None and role not in _ROLES:
            raise invalid("Invalid Input: role")
        with self.store.write() as conn:
            group = self.group_row(group_key)
            row = self._member_row(str(group["id"]), member_key)
            extra: Resource = json.loads(row["json"])
            if body.get("delivery_settings"):
                extra["delivery_settings"] = body["delivery_settings"]
            conn.execute(
                "UPDATE dir_members SET role = ?, json = ? WHERE group_id = ? AND member_id = ?",
                (role or row["role"], json.dumps(extra), group["id"], row["member_id"]),
            )
            return self._member_out(self._member_row(str(group["id"]), str(row["member_id"])))

    def members_patch(self, group_key: str, member_key: str, body: Resource) -> Resource:
        return self._change_member(group_key, member_key, body)

    def members_update(self, group_key: str, member_key: str, body: Resource) -> Resource:
        return self._change_member(group_key, member_key, body)

    def members_delete(self, group_key: str, member_key: str) -> None:
        with self.store.write() as conn:
            group = self.group_row(group_key)
            row = self._member_row(str(group["id"]), member_key)
            conn.execute(
                "DELETE FROM dir_members WHERE group_id = ? AND member_id = ?",
                (group["id"], row["member_id"]),
            )

    def members_has_member(self, group_key: str, member_key: str) -> Resource:
        group = self.group_row(group_key)
        try:
            member_id = self._member_identity(member_key)[0]
        except ApiError:
            if "@" not in member_key:
                raise
            row = self.db.execute(
                "SELECT 1 FROM dir_members WHERE group_id = ? AND email = ?",
                (group["id"], member_key.strip().lower()),
            ).fetchone()
            if row is None:
                raise
            return {"isMember": True}
        return {"isMember": self._contains(str(group["id"]), member_id)}


def hash_email(email: str) -> int:
    """A stable numeric id for an external address (Python's hash() is salted per process)."""
    return int(hashlib.sha1(email.encode()).hexdigest()[:18], 16)
