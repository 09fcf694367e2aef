"""Path table of the Directory API area (paths as in the discovery document)."""

from __future__ import annotations

from mailops.emulator.directory import responses as r
from mailops.emulator.directory.model import DirectoryModel
from mailops.emulator.routing import Router

__all__ = ["register_routes"]

_P = "/admin/directory/v1"
_SEG = r"[^/]+"


def register_routes(router: Router, model: DirectoryModel) -> None:
    api = r.DirectoryResponses(model)
    table: list[tuple[str, str, str]] = [
        ("POST", f"{_P}/users", "users_insert"),
        ("GET", f"{_P}/users", "users_list"),
        ("GET", f"{_P}/users/(?P<userKey>{_SEG})", "users_get"),
        ("PATCH", f"{_P}/users/(?P<userKey>{_SEG})", "users_patch"),
        ("PUT", f"{_P}/users/(?P<userKey>{_SEG})", "users_update"),
        ("DELETE", f"{_P}/users/(?P<userKey>{_SEG})", "users_delete"),
        ("POST", f"{_P}/users/(?P<userKey>{_SEG})/undelete", "users_undelete"),
        ("POST", f"{_P}/users/(?P<userKey>{_SEG})/makeAdmin", "users_make_admin"),
        ("POST", f"{_P}/users/(?P<userKey>{_SEG})/signOut", "users_sign_out"),
        ("POST", f"{_P}/users/(?P<userKey>{_SEG})/aliases", "users_aliases_insert"),
        ("GET", f"{_P}/users/(?P<userKey>{_SEG})/aliases", "users_aliases_list"),
        (
            "DELETE",
            f"{_P}/users/(?P<userKey>{_SEG})/aliases/(?P<alias>{_SEG})",
            "users_aliases_delete",
        ),
        ("POST", f"{_P}/groups", "groups_insert"),
        ("GET", f"{_P}/groups", "groups_list"),
        ("GET", f"{_P}/groups/(?P<groupKey>{_SEG})", "groups_get"),
        ("PATCH", f"{_P}/groups/(?P<groupKey>{_SEG})", "groups_patch"),
        ("PUT", f"{_P}/groups/(?P<groupKey>{_SEG})", "groups_update"),
        ("DELETE", f"{_P}/groups/(?P<groupKey>{_SEG})", "groups_delete"),
        ("POST", f"{_P}/groups/(?P<groupKey>{_SEG})/aliases", "groups_aliases_insert"),
        ("GET", f"{_P}/groups/(?P<groupKey>{_SEG})/aliases", "groups_aliases_list"),
        (
            "DELETE",
            f"{_P}/groups/(?P<groupKey>{_SEG})/aliases/(?P<alias>{_SEG})",
            "groups_aliases_delete",
        ),
        ("POST", f"{_P}/groups/(?P<groupKey>{_SEG})/members", "members_insert"),
        ("GET", f"{_P}/groups/(?P<groupKey>{_SEG})/members", "members_list"),
        ("GET", f"{_P}/groups/(?P<groupKey>{_SEG})/members/(?P<memberKey>{_SEG})", "members_get"),
        (
            "PATCH",
            f"{_P}/groups/(?P<groupKey>{_SEG})/members/(?P<memberKey>{_SEG})",
            "members_patch",
        ),
        (
            "PUT",
            f"{_P}/groups/(?P<groupKey>{_SEG})/members/(?P<memberKey>{_SEG})",
            "members_update",
        ),
        (
            "DELETE",
            f"{_P}/groups/(?P<groupKey>{_SEG})/members/(?P<memberKey>{_SEG})",
            "members_delete",
        ),
        (
            "GET",
            f"{_P}/groups/(?P<groupKey>{_SEG})/hasMember/(?P<memberKey>{_SEG})",
            "members_has_member",
        ),
        ("POST", f"{_P}/customer/(?P<customerId>{_SEG})/orgunits", "orgunits_insert"),
        ("GET", f"{_P}/customer/(?P<customerId>{_SEG})/orgunits", "orgunits_list"),
        (
            "GET",
            f"{_P}/customer/(?P<customerId>{_SEG})/orgunits/(?P<orgUnitPath>.+)",
            "orgunits_get",
        ),
        (
            "PATCH",
            f"{_P}/customer/(?P<customerId>{_SEG})/orgunits/(?P<orgUnitPath>.+)",
            "orgunits_patch",
        ),
        (
            "PUT",
            f"{_P}/customer/(?P<customerId>{_SEG})/orgunits/(?P<orgUnitPath>.+)",
            "orgunits_update",
        ),
        (
            "DELETE",
            f"{_P}/customer/(?P<customerId>{_SEG})/orgunits/(?P<orgUnitPath>.+)",
            "orgunits_delete",
        ),
        ("POST", f"{_P}/customer/(?P<customer>{_SEG})/domains", "domains_insert"),
        ("GET", f"{_P}/customer/(?P<customer>{_SEG})/domains", "domains_list"),
        (
            "GET",
            f"{_P}/customer/(?P<customer>{_SEG})/domains/(?P<domainName>{_SEG})",
            "domains_get",
        ),
        (
            "DELETE",
            f"{_P}/customer/(?P<customer>{_SEG})/domains/(?P<domainName>{_SEG})",
            "domains_delete",
        ),
        ("POST", f"{_P}/customer/(?P<customer>{_SEG})/domainaliases", "domain_aliases_insert"),
        ("GET", f"{_P}/customer/(?P<customer>{_SEG})/domainaliases", "domain_aliases_list"),
        (
            "GET",
            f"{_P}/customer/(?P<customer>{_SEG})/domainaliases/(?P<domainAliasName>{_SEG})",
            "domain_aliases_get",
        ),
        (
            "DELETE",
            f"{_P}/customer/(?P<customer>{_SEG})/domainaliases/(?P<domainAliasName>{_SEG})",
            "domain_aliases_delete",
        ),
        ("GET", f"{_P}/customers/(?P<customerKey>{_SEG})", "customers_get"),
        ("PATCH", f"{_P}/customers/(?P<customerKey>{_SEG})", "customers_patch"),
        ("PUT", f"{_P}/customers/(?P<customerKey>{_SEG})", "customers_update"),
    ]
    for method, pattern, name in table:
        router.add(method, pattern, getattr(api, name), name=f"directory.{name}")
