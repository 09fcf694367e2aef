"""Typed operations on the Directory API: users, aliases, groups, members, org units, domains.

Each method runs one validated call (see ``directory_calls``) through the executor and returns
dataclasses; list methods walk every page. For many changes at once, build the calls with
``mailops.workspace.directory_calls`` and send them with ``Workspace.run_batch``.

Example::

    ws = connect()
    ana = ws.directory.users_get("ana.perez@cajica.example")
    hacienda = ws.directory.users_list(query="orgUnitPath='/Secretaría de Hacienda'")
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from mailops.errors import NotFoundError
from mailops.workspace import directory_calls as calls
from mailops.workspace.directory_types import (
    Customer,
    DomainAliasInfo,
    DomainInfo,
    Group,
    Member,
    OrgUnit,
    User,
    groups_frame,
    users_frame,
)
from mailops.workspace.execution import Executor

__all__ = ["Directory"]


class Directory:
    """The Directory API of one Workspace customer."""

    def __init__(self, executor: Executor, customer: str = "my_customer") -> None:
        self.executor = executor
        self.customer = customer

    # -- users ----------------------------------------------------------------------------
    def users_insert(self, body: Mapping[str, Any]) -> User:
        return User.from_api(self.executor.execute(calls.users_insert(body)))

    def users_get(self, user_key: str) -> User:
        return User.from_api(self.executor.execute(calls.users_get(user_key)))

    def users_find(self, user_key: str) -> User | None:
        """Like users_get, but None when the user does not exist."""
        try:
            return self.users_get(user_key)
        except NotFoundError:
            return None

    def users_list(
        self,
        query: str | None = None,
        *,
        domain: str | None = None,
        order_by: str = "email",
        descending: bool = False,
        show_deleted: bool = False,
    ) -> list[User]:
        """Every user matching ``query`` (Google's users.list query language), all pages."""
        call = calls.users_list(
            customer=None if domain else self.customer,
            domain=domain,
            query=query,
            order_by=order_by,
            descending=descending,
            show_deleted=show_deleted,
        )
        return [User.from_api(u) for u in self.executor.list_all(call, "users")]

    def users_frame(self, query: str | None = None, *, domain: str | None = None) -> pd.DataFrame:
        """users_list as a DataFrame with Spanish column names."""
        return users_frame(self.users_list(query, domain=domain))

    def users_patch(self, user_key: str, changes: Mapping[str, Any]) -> User:
        return User.from_api(self.executor.execute(calls.users_patch(user_key, changes)))

    def users_update(self, user_key: str, body: Mapping[str, Any]) -> User:
        return User.from_api(self.executor.execute(calls.users_update(user_key, body)))

    def users_delete(self, user_key: str) -> None:
        self.executor.execute(calls.users_delete(user_key))

    def users_undelete(self, user_key: str, org_unit_path: str = "/") -> None:
        self.executor.execute(calls.users_undelete(user_key, org_unit_path))

    def users_make_admin(self, user_key: str, status: bool = True) -> None:
        self.executor.execute(calls.users_make_admin(user_key, status))

    def users_sign_out(self, user_key: str) -> None:
        self.executor.execute(calls.users_sign_out(user_key))

    def user_aliases_insert(self, user_key: str, alias: str) -> str:
        return str(
            self.executor.execute(calls.user_aliases_insert(user_key, alias)).get("alias", alias)
        )

    def user_aliases_list(self, user_key: str) -> list[str]:
        data = self.executor.execute(calls.user_aliases_list(user_key))
        return [str(a.get("alias", "")) for a in data.get("aliases", [])]

    def user_aliases_delete(self, user_key: str, alias: str) -> None:
        self.executor.execute(calls.user_aliases_delete(user_key, alias))

    # -- groups -----------------------------------------------------------------------------
    def groups_insert(self, email: str, name: str = "", description: str = "") -> Group:
        return Group.from_api(self.executor.execute(calls.groups_insert(email, name, description)))

    def groups_get(self, group_key: str) -> Group:
        return Group.from_api(self.executor.execute(calls.groups_get(group_key)))

    def groups_list(
        self, *, domain: str | None = None, user_key: str | None = None, query: str | None = None
    ) -> list[Group]:
        """Every group of the customer (or of ``domain``, or that ``user_key`` belongs to)."""
        customer = None if (domain or user_key) else self.customer
        call = calls.groups_list(customer=customer, domain=domain, user_key=user_key, query=query)
        return [Group.from_api(g) for g in self.executor.list_all(call, "groups")]

    def groups_frame(self, *, domain: str | None = None) -> pd.DataFrame:
        return groups_frame(self.groups_list(domain=domain))

    def groups_patch(self, group_key: str, changes: Mapping[str, Any]) -> Group:
        return Group.from_api(self.executor.execute(calls.groups_patch(group_key, changes)))

    def groups_delete(self, group_key: str) -> None:
        self.executor.execute(calls.groups_delete(group_key))

    def group_aliases_insert(self, group_key: str, alias: str) -> str:
        return str(
            self.executor.execute(calls.group_aliases_insert(group_key, alias)).get("alias", alias)
        )

    def group_aliases_list(self, group_key: str) -> list[str]:
        data = self.executor.execute(calls.group_aliases_list(group_key))
        return [str(a.get("alias", "")) for a in data.get("aliases", [])]

    def group_aliases_delete(self, group_key: str, alias: str) -> None:
        self.executor.execute(calls.group_aliases_delete(group_key, alias))

    # -- members ----------------------------------------------------------------------------
    def members_insert(self, group_key: str, email: str, role: str = "MEMBER") -> Member:
        return Member.from_api(self.executor.execute(calls.members_insert(group_key, email, role)))

    def members_get(self, group_key: str, member_key: str) -> Member:
        return Member.from_api(self.executor.execute(calls.members_get(group_key, member_key)))

    def members_list(self, group_key: str, *, roles: str | None = None) -> list[Member]:
        call = calls.members_list(group_key, roles=roles)
        return [Member.from_api(m) for m in self.executor.list_all(call, "members")]

    def members_patch(self, group_key: str, member_key: str, role: str) -> Member:
        return Member.from_api(
            self.executor.execute(calls.members_patch(group_key, member_key, role))
        )

    def members_delete(self, group_key: str, member_key: str) -> None:
        self.executor.execute(calls.members_delete(group_key, member_key))

    def members_has_member(self, group_key: str, member_key: str) -> bool:
        return bool(
            self.executor.execute(calls.members_has_member(group_key, member_key)).get("isMember")
        )

    # -- org units ----------------------------------------------------------------------------
    def orgunits_insert(self, name: str, parent: str = "/", description: str = "") -> OrgUnit:
        return OrgUnit.from_api(
            self.executor.execute(calls.orgunits_insert(self.customer, name, parent, description))
        )

    def orgunits_get(self, path: str) -> OrgUnit:
        return OrgUnit.from_api(self.executor.execute(calls.orgunits_get(self.customer, path)))

    def orgunits_list(self, path: str = "/", *, type: str = "all") -> list[OrgUnit]:
        data = self.executor.execute(calls.orgunits_list(self.customer, path=path, type=type))
        return [OrgUnit.from_api(o) for o in data.get("organizationUnits", [])]

    def orgunits_patch(self, path: str, changes: Mapping[str, Any]) -> OrgUnit:
        return OrgUnit.from_api(
            self.executor.execute(calls.orgunits_patch(self.customer, path, changes))
        )

    def orgunits_delete(self, path: str) -> None:
        self.executor.execute(calls.orgunits_delete(self.customer, path))

    # -- domains and customer ---------------------------------------------------------------
    def domains_list(self) -> list[DomainInfo]:
        data = self.executor.execute(calls.domains_list(self.customer))
        return [DomainInfo.from_api(d) for d in data.get("domains", [])]

    def domains_get(self, name: str) -> DomainInfo:
        return DomainInfo.from_api(self.executor.execute(calls.domains_get(self.customer, name)))

    def domains_insert(self, name: str) -> DomainInfo:
        return DomainInfo.from_api(self.executor.execute(calls.domains_insert(self.customer, name)))

    def domains_delete(self, name: str) -> None:
        self.executor.execute(calls.domains_delete(self.customer, name))

    def domain_aliases_list(self, parent: str | None = None) -> list[DomainAliasInfo]:
        data = self.executor.execute(calls.domain_aliases_list(self.customer, parent))
        return [DomainAliasInfo.from_api(d) for d in data.get("domainAliases", [])]

    def domain_aliases_insert(self, alias: str, parent: str) -> DomainAliasInfo:
        return DomainAliasInfo.from_api(
            self.executor.execute(calls.domain_aliases_insert(self.customer, alias, parent))
        )

    def domain_aliases_delete(self, alias: str) -> None:
        self.executor.execute(calls.domain_aliases_delete(self.customer, alias))

    def customer_get(self) -> Customer:
        return Customer.from_api(self.executor.execute(calls.customers_get(self.customer)))
