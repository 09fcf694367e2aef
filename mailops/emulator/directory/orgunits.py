"""orgunits, domains, domainAliases and customers of the Directory API: state and rules."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime
from typing import Any

from mailops.emulator.directory.state import ModelBase, Resource, etag_of, rfc3339
from mailops.emulator.errors import ApiError, forbidden, invalid, not_found, required

__all__ = ["OrgUnitsModel"]

_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_CUSTOMER_WRITABLE = ("alternateEmail", "language", "phoneNumber", "postalAddress")


def _ou_not_found() -> ApiError:
    return ApiError(404, "notFound", "Org unit not found")


class OrgUnitsModel(ModelBase):
    """orgunits.*, domains.*, domainAliases.* and customers.*"""

    # -- org units -----------------------------------------------------------------------

    def _ou_row(self, key: str) -> sqlite3.Row:
        """An OU by path (with or without the leading slash) or by ``id:...``."""
        row: sqlite3.Row | None
        if key.startswith("id:"):
            row = self.db.execute("SELECT * FROM dir_orgunits WHERE id = ?", (key,)).fetchone()
        else:
            path = "/" + key.strip("/")
            row = self.db.execute("SELECT * FROM dir_orgunits WHERE path = ?", (path,)).fetchone()
        if row is None:
            raise _ou_not_found()
        return row

    def _ou_out(self, row: sqlite3.Row) -> Resource:
        out: Resource = {"kind": "admin#directory#orgUnit"}
        out.update(json.loads(row["json"]))
        out["orgUnitPath"] = row["path"]
        out["orgUnitId"] = row["id"]
        if row["parent_path"] is not None:
            parent = self._ou_row(str(row["parent_path"]))
            out["parentOrgUnitPath"] = parent["path"]
            out["parentOrgUnitId"] = parent["id"]
        out["etag"] = etag_of(out)
        return out

    def ensure_root_ou(self, conn: sqlite3.Connection, customer_name: str) -> None:
        if not self.ou_exists("/"):
            conn.execute(
                "INSERT INTO dir_orgunits (id, path, parent_path, json) VALUES (?, '/', NULL, ?)",
                (
                    self.new_id("orgunit"),
                    json.dumps({"name": customer_name, "description": ""}, ensure_ascii=False),
                ),
            )

    def _parent_of(self, body: Resource, default: str | None) -> str:
        if body.get("parentOrgUnitId"):
            try:
                return str(self._ou_row(str(body["parentOrgUnitId"]))["path"])
            except ApiError:
                raise invalid("Invalid parent orgunit id") from None
        parent = body.get("parentOrgUnitPath", default)
        if not isinstance(parent, str) or not parent:
            raise required("Missing required field: parentOrgUnitPath")
        parent = "/" + parent.strip("/")
        if not self.ou_exists(parent):
            raise invalid("Invalid parent orgunit id")
        return parent

    @staticmethod
    def _join(parent: str, name: str) -> str:
        return (parent.rstrip("/") + "/" + name) if parent != "/" else "/" + name

    @staticmethod
    def _check_name(name: Any) -> str:
        if not isinstance(name, str) or not name.strip():
            raise required("Missing required field: name")
        if "/" in name or len(name) > 255:
            raise invalid("Invalid Ou Name")
        return name.strip()

    def orgunits_insert(self, customer: str, body: Resource) -> Resource:
        self.check_customer(customer)
        name = self._check_name(body.get("name"))
        with self.store.write() as conn:
            parent = self._parent_of(body, None)
            path = self._join(parent, name)
            if self.ou_exists(path):
                raise ApiError(409, "duplicate", "Entity already exists.")
            data = {
                "name": name,
                "description": str(body.get("description") or ""),
                "blockInheritance": False,
            }
            ou_id = self.new_id("orgunit")
            conn.execute(
                "INSERT INTO dir_orgunits (id, path, parent_path, json) VALUES (?, ?, ?, ?)",
                (ou_id, path, parent, json.dumps(data, ensure_ascii=False)),
            )
            return self._ou_out(self._ou_row(ou_id))

    def orgunits_get(self, customer: str, ou_key: str) -> Resource:
        self.check_customer(customer)
        return self._ou_out(self._ou_row(ou_key))

    def orgunits_list(
        self, customer: str, *, org_unit_path: str | None = None, type_: str | None = None
    ) -> Resource:
        self.check_customer(customer)
        kind = type_ or "children"
        if kind not in ("all", "children", "allIncludingParent"):
            raise invalid(f"Invalid value '{kind}' for type")
        base = self._ou_row(org_unit_path or "/")
        path = str(base["path"])
        rows = self.db.execute("SELECT * FROM dir_orgunits ORDER BY path").fetchall()
        prefix = "/" if path == "/" else path + "/"
        picked: list[sqlite3.Row] = []
        for row in rows:
            if kind == "children":
                if row["parent_path"] == path:
                    picked.append(row)
            elif (row["path"] != path and str(row["path"]).startswith(prefix)) or (
                kind == "allIncludingParent" and row["path"] == path
            ):
                picked.append(row)
        units = [self._ou_out(r) for r in picked]
        out: Resource = {"kind": "admin#directory#orgUnits", "organizationUnits": units}
        out["etag"] = etag_of([u["etag"] for u in units])
        return out

    def _change_ou(self, customer: str, ou_key: str, body: Resource, *, replace: bool) -> Resource:
        self.check_customer(customer)
        with self.store.write() as conn:
            row = self._ou_row(ou_key)
            if row["parent_path"] is None:
                raise invalid("Invalid Input: the root organizational unit cannot be changed")
            data: Resource = json.loads(row["json"])
            name = self._check_name(body.get("name", data["name"]))
            parent = self._parent_of(body, str(row["parent_path"]))
            old = str(row["path"])
            new = self._join(parent, name)
            if parent == old or parent.startswith(old + "/"):
                raise invalid("Invalid parent orgunit id")
            if new != old:
                if self.ou_exists(new):
                    raise ApiError(409, "duplicate", "Entity already exists.")
                self._move_subtree(conn, old, new)
            data["name"] = name
            if "description" in body or replace:
                data["description"] = str(body.get("description") or "")
            conn.execute(
                "UPDATE dir_orgunits SET parent_path = ?, json = ? WHERE id = ?",
                (parent, json.dumps(data, ensure_ascii=False), row["id"]),
            )
            return self._ou_out(self._ou_row(str(row["id"])))

    def _move_subtree(self, conn: sqlite3.Connection, old: str, new: str) -> None:
        """Rename ``old`` to ``new`` in every OU path, parent path and user below it."""
        n = len(old)
        for table, col in (("dir_orgunits", "path"), ("dir_orgunits", "parent_path")):
            conn.execute(
                f"UPDATE {table} SET {col} = ? || substr({col}, ?) "
                f"WHERE {col} = ? OR substr({col}, 1, ?) = ?",
                (new, n + 1, old, n + 1, old + "/"),
            )
        rows = conn.execute(
            "SELECT id, org_unit_path, json FROM dir_users "
            "WHERE org_unit_path = ? OR substr(org_unit_path, 1, ?) = ?",
            (old, n + 1, old + "/"),
        ).fetchall()
        for r in rows:
            path = new + str(r["org_unit_path"])[n:]
            data = json.loads(r["json"])
            data["orgUnitPath"] = path
            conn.execute(
                "UPDATE dir_users SET org_unit_path = ?, json = ? WHERE id = ?",
                (path, json.dumps(data, ensure_ascii=False), r["id"]),
            )

    def orgunits_patch(self, customer: str, ou_key: str, body: Resource) -> Resource:
        return self._change_ou(customer, ou_key, body, replace=False)

    def orgunits_update(self, customer: str, ou_key: str, body: Resource) -> Resource:
        return self._change_ou(customer, ou_key, body, replace=True)

    def orgunits_delete(self, customer: str, ou_key: str) -> None:
        self.check_customer(customer)
        with self.store.write() as conn:
            row = self._ou_row(ou_key)
            path = str(row["path"])
            if row["parent_path"] is None:
                raise invalid("Invalid Input: the root organizational unit cannot be deleted")
            children = conn.execute(
                "SELECT COUNT(*) FROM dir_orgunits WHERE parent_path = ?", (path,)
            ).fetchone()[0]
            users = conn.execute(
                "SELECT COUNT(*) FROM dir_users WHERE org_unit_path = ? AND deleted = 0", (path,)
            ).fetchone()[0]
            if children or users:
                raise ApiError(
                    400,
                    "failedPrecondition",
                    f"Org unit {path} cannot be deleted: it contains {users} users and "
                    f"{children} child org units. Move them first.",
                    status="FAILED_PRECONDITION",
                )
            conn.execute("DELETE FROM dir_orgunits WHERE id = ?", (row["id"],))

    # -- domains and domain aliases ------------------------------------------------------

    def _domain_row(self, name: str, *, alias: bool) -> sqlite3.Row:
        sql = "SELECT * FROM dir_domains WHERE name = ? AND parent IS " + (
            "NOT NULL" if alias else "NULL"
        )
        row: sqlite3.Row | None = self.db.execute(sql, (name.lower(),)).fetchone()
        if row is None:
            raise not_found("domainAliasName" if alias else "domain")
        return row

    def _domain_out(self, row: sqlite3.Row) -> Resource:
        out: Resource = json.loads(row["json"])
        if row["parent"] is None:
            out["kind"] = "admin#directory#domain"
            out["domainAliases"] = [
                self._alias_out(r)
                for r in self.db.execute(
                    "SELECT * FROM dir_domains WHERE parent = ? ORDER BY name", (row["name"],)
                ).fetchall()
            ]
        else:
            out["kind"] = "admin#directory#domainAlias"
        out["etag"] = etag_of(out)
        return out

    def _alias_out(self, row: sqlite3.Row) -> Resource:
        out: Resource = {"kind": "admin#directory#domainAlias"}
        out.update(json.loads(row["json"]))
        out["etag"] = etag_of(out)
        return out

    def _check_domain_name(self, name: Any, field: str) -> str:
        if not isinstance(name, str) or not name.strip():
            raise required(f"Missing required field: {field}")
        clean = name.strip().lower()
        if not _DOMAIN_RE.match(clean):
            raise invalid(f"Invalid Input: {field}")
        if clean in self.domain_names():
            raise ApiError(409, "duplicate", "Entity already exists.")
        return clean

    def add_domain(
        self,
        conn: sqlite3.Connection,
        name: str,
        *,
        primary: bool,
        verified: bool,
        created: datetime,
        parent: str | None = None,
    ) -> None:
        millis = str(int(created.timestamp() * 1000))
        if parent is None:
            data: Resource = {
                "domainName": name,
                "isPrimary": primary,
                "verified": verified,
                "creationTime": millis,
            }
        else:
            data = {
                "domainAliasName": name,
                "parentDomainName": parent,
                "verified": verified,
                "creationTime": millis,
            }
        conn.execute(
            "INSERT INTO dir_domains (name, parent, json) VALUES (?, ?, ?)",
            (name, parent, json.dumps(data)),
        )

    def domains_insert(self, customer: str, body: Resource) -> Resource:
        self.check_customer(customer)
        with self.store.write() as conn:
            name = self._check_domain_name(body.get("domainName"), "domainName")
            self.add_domain(conn, name, primary=False, verified=False, created=self.now())
            return self._domain_out(self._domain_row(name, alias=False))

    def domains_get(self, customer: str, name: str) -> Resource:
        self.check_customer(customer)
        return self._domain_out(self._domain_row(name, alias=False))

    def domains_list(self, customer: str) -> Resource:
        self.check_customer(customer)
        rows = self.db.execute("SELECT * FROM dir_domains WHERE parent IS NULL ORDER BY name")
        domains = [self._domain_out(r) for r in rows.fetchall()]
        out: Resource = {"kind": "admin#directory#domains", "domains": domains}
        out["etag"] = etag_of([d["etag"] for d in domains])
        return out

    def domains_delete(self, customer: str, name: str) -> None:
        self.check_customer(customer)
        with self.store.write() as conn:
            row = self._domain_row(name, alias=False)
            if json.loads(row["json"]).get("isPrimary"):
                raise invalid("Cannot delete primary domain")
            used = conn.execute(
                "SELECT COUNT(*) FROM dir_users WHERE primary_email LIKE ? AND deleted = 0",
                ("%@" + row["name"],),
            ).fetchone()[0]
            if used:
                raise invalid(f"Domain {row['name']} still has {used} users")
            conn.execute(
                "DELETE FROM dir_domains WHERE name = ? OR parent = ?", (row["name"], row["name"])
            )

    def domain_aliases_insert(self, customer: str, body: Resource) -> Resource:
        self.check_customer(customer)
        with self.store.write() as conn:
            name = self._check_domain_name(body.get("domainAliasName"), "domainAliasName")
            parent = body.get("parentDomainName")
            if not isinstance(parent, str) or not parent:
                raise required("Missing required field: parentDomainName")
            parent_row = self._domain_row(parent, alias=False)
            self.add_domain(
                conn,
                name,
                primary=False,
                verified=False,
                created=self.now(),
                parent=str(parent_row["name"]),
            )
            return self._domain_out(self._domain_row(name, alias=True))

    def domain_aliases_get(self, customer: str, name: str) -> Resource:
        self.check_customer(customer)
        return self._domain_out(self._domain_row(name, alias=True))

    def domain_aliases_list(self, customer: str, parent: str | None = None) -> Resource:
        self.check_customer(customer)
        sql, args = "SELECT * FROM dir_domains WHERE parent IS NOT NULL", []
        if parent:
            sql, args = sql + " AND parent = ?", [parent.lower()]
        rows = self.db.execute(sql + " ORDER BY name", args).fetchall()
        items = [self._domain_out(r) for r in rows]
        out: Resource = {"kind": "admin#directory#domainAliases", "domainAliases": items}
        out["etag"] = etag_of([d["etag"] for d in items])
        return out

    def domain_aliases_delete(self, customer: str, name: str) -> None:
        self.check_customer(customer)
        with self.store.write() as conn:
            row = self._domain_row(name, alias=True)
            conn.execute("DELETE FROM dir_domains WHERE name = ?", (row["name"],))

    # -- customers -----------------------------------------------------------------------

    def _customer_row(self, key: str) -> sqlite3.Row:
        own = self.customer_id()
        if key not in ("my_customer", own):
            raise forbidden()
        row: sqlite3.Row = self.db.execute(
            "SELECT * FROM dir_customer WHERE id = ?", (own,)
        ).fetchone()
        return row

    def _customer_out(self, row: sqlite3.Row) -> Resource:
        out: Resource = {"kind": "admin#directory#customer", "id": row["id"]}
        out.update(json.loads(row["json"]))
        for domain in self.db.execute("SELECT name, json FROM dir_domains WHERE parent IS NULL"):
            if json.loads(domain["json"]).get("isPrimary"):
                out["customerDomain"] = domain["name"]
        out["etag"] = etag_of(out)
        return out

    def customers_get(self, key: str) -> Resource:
        return self._customer_out(self._customer_row(key))

    def _change_customer(self, key: str, body: Resource, *, replace: bool) -> Resource:
        with self.store.write() as conn:
            row = self._customer_row(key)
            data: Resource = json.loads(row["json"])
            if replace:
                data = {"customerCreationTime": data["customerCreationTime"]}
            for field in _CUSTOMER_WRITABLE:
                if field in body:
                    value = body[field]
                    if field == "postalAddress" and not isinstance(value, dict):
                        raise invalid("Invalid Input: postalAddress")
                    if (
                        field == "postalAddress"
                        and not replace
                        and isinstance(data.get(field), dict)
                    ):
                        value = {**data[field], **value}
                    data[field] = value
            conn.execute(
                "UPDATE dir_customer SET json = ? WHERE id = ?",
                (json.dumps(data, ensure_ascii=False), row["id"]),
            )
            return self._customer_out(self._customer_row(key))

    def customers_patch(self, key: str, body: Resource) -> Resource:
        return self._change_customer(key, body, replace=False)

    def customers_update(self, key: str, body: Resource) -> Resource:
        return self._change_customer(key, body, replace=True)

    def create_customer(
        self, conn: sqlite3.Connection, customer_id: str, data: Resource, created: datetime
    ) -> None:
        payload = {**data, "customerCreationTime": rfc3339(created)}
        conn.execute(
            "INSERT INTO dir_customer (id, json) VALUES (?, ?)",
            (customer_id, json.dumps(payload, ensure_ascii=False)),
        )
