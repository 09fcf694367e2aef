"""Directory API calls as values: validated ``Call`` objects, ready to execute or batch.

Each function is named after Google's method (``users_insert`` for ``users.insert``) and checks
its arguments before anything is sent, with Spanish errors naming the bad argument.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mailops.errors import InputError
from mailops.workspace.execution import Call

__all__ = [
    "ROLES",
    "customers_get",
    "domain_aliases_delete",
    "domain_aliases_insert",
    "domain_aliases_list",
    "domains_delete",
    "domains_get",
    "domains_insert",
    "domains_list",
    "group_aliases_delete",
    "group_aliases_insert",
    "group_aliases_list",
    "groups_delete",
    "groups_get",
    "groups_insert",
    "groups_list",
    "groups_patch",
    "members_delete",
    "members_get",
    "members_has_member",
    "members_insert",
    "members_list",
    "members_patch",
    "orgunits_delete",
    "orgunits_get",
    "orgunits_insert",
    "orgunits_list",
    "orgunits_patch",
    "user_aliases_delete",
    "user_aliases_insert",
    "user_aliases_list",
    "users_delete",
    "users_get",
    "users_insert",
    "users_list",
    "users_make_admin",
    "users_patch",
    "users_sign_out",
    "users_undelete",
    "users_update",
]

API = "directory"
ROLES = ("OWNER", "MANAGER", "MEMBER")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ORDER = ("email", "familyName", "givenName")


def _key(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"falta {what} (correo o id), se recibió {value!r}", where=what)
    if any(c in value for c in "\r\n\t"):
        raise InputError(f"{what} contiene caracteres de control: {value!r}", where=what)
    return value.strip()


def _email(value: Any, what: str) -> str:
    text = _key(value, what)
    if not _EMAIL.match(text):
        raise InputError(f"«{text}» no es una dirección de correo válida", where=what)
    return text.lower()


def _body(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise InputError(
            f"debe ser un diccionario con los campos de Google, no {type(value).__name__}",
            where=what,
        )
    return dict(value)


def _ou_path(value: Any, what: str = "unidad organizativa") -> str:
    if not isinstance(value, str) or not value.startswith(("/", "id:")):
        raise InputError(
            f"la ruta debe empezar por «/» (p. ej. «/Secretaría de Hacienda»), no {value!r}",
            where=what,
        )
    return value


def _ou_param(path: str) -> str:
    # Google's orgUnitPath path parameter: the full path without its leading slash, or an id
    return path if path.startswith("id:") else path.lstrip("/")


# -- users ------------------------------------------------------------------------------
def users_insert(body: Mapping[str, Any], *, key: str = "") -> Call:
    b = _body(body, "usuario")
    b["primaryEmail"] = _email(b.get("primaryEmail"), "primaryEmail")
    name = b.get("name")
    if not isinstance(name, Mapping) or not str(name.get("givenName", "")).strip():
        raise InputError("falta el nombre (name.givenName)", where=b["primaryEmail"])
    if not str(name.get("familyName", "")).strip():
        raise InputError("faltan los apellidos (name.familyName)", where=b["primaryEmail"])
    if not b.get("password"):
        raise InputError(
            "falta la contraseña inicial (password, preferiblemente con hashFunction)",
            where=b["primaryEmail"],
        )
    if "orgUnitPath" in b:
        _ou_path(b["orgUnitPath"])
    return Call(API, "users.insert", {"body": b}, key=key or b["primaryEmail"])


def users_get(user_key: str, *, projection: str = "full") -> Call:
    k = _key(user_key, "usuario")
    return Call(API, "users.get", {"userKey": k, "projection": projection}, key=k)


def users_list(
    *,
    customer: str | None = None,
    domain: str | None = None,
    query: str | None = None,
    order_by: str = "email",
    descending: bool = False,
    show_deleted: bool = False,
    max_results: int = 500,
    projection: str = "full",
) -> Call:
    if not customer and not domain:
        raise InputError("indique el cliente (customer) o el dominio", where="users.list")
    if order_by not in _ORDER:
        raise InputError(
            f"orden inválido {order_by!r}; use uno de {', '.join(_ORDER)}", where="users.list"
        )
    if not isinstance(max_results, int) or not 1 <= max_results <= 500:
        raise InputError(
            f"max_results debe estar entre 1 y 500, no {max_results!r}", where="users.list"
        )
    if query is not None and (not isinstance(query, str) or "\n" in query):
        raise InputError(f"consulta inválida {query!r}", where="users.list")
    params: dict[str, Any] = {
        "maxResults": max_results,
        "orderBy": order_by,
        "sortOrder": "DESCENDING" if descending else "ASCENDING",
        "projection": projection,
    }
    if domain:
        params["domain"] = domain
    else:
        params["customer"] = customer
    if query:
        params["query"] = query
    if show_deleted:
        params["showDeleted"] = "true"
    return Call(API, "users.list", params)


def users_patch(user_key: str, changes: Mapping[str, Any]) -> Call:
    k = _key(user_key, "usuario")
    b = _body(changes, "cambios")
    if "orgUnitPath" in b:
        _ou_path(b["orgUnitPath"])
    return Call(API, "users.patch", {"userKey": k, "body": b}, key=k)


def users_update(user_key: str, body: Mapping[str, Any]) -> Call:
    k = _key(user_key, "usuario")
    return Call(API, "users.update", {"userKey": k, "body": _body(body, "usuario")}, key=k)


def users_delete(user_key: str) -> Call:
    k = _key(user_key, "usuario")
    return Call(API, "users.delete", {"userKey": k}, key=k)


def users_undelete(user_key: str, org_unit_path: str = "/") -> Call:
    k = _key(user_key, "usuario")
    return Call(
        API,
        "users.undelete",
        {"userKey": k, "body": {"orgUnitPath": _ou_path(org_unit_path)}},
        key=k,
    )


def users_make_admin(user_key: str, status: bool) -> Call:
    k = _key(user_key, "usuario")
    if not isinstance(status, bool):
        raise InputError(f"status debe ser verdadero o falso, no {status!r}", where=k)
    return Call(API, "users.makeAdmin", {"userKey": k, "body": {"status": status}}, key=k)


def users_sign_out(user_key: str) -> Call:
    k = _key(user_key, "usuario")
    return Call(API, "users.signOut", {"userKey": k}, key=k)


def user_aliases_insert(user_key: str, alias: str) -> Call:
    k = _key(user_key, "usuario")
    a = _email(alias, "alias")
    return Call(API, "users.aliases.insert", {"userKey": k, "body": {"alias": a}}, key=f"{k}+{a}")


def user_aliases_list(user_key: str) -> Call:
    k = _key(user_key, "usuario")
    return Call(API, "users.aliases.list", {"userKey": k}, key=k)


def user_aliases_delete(user_key: str, alias: str) -> Call:
    k = _key(user_key, "usuario")
    a = _email(alias, "alias")
    return Call(API, "users.aliases.delete", {"userKey": k, "alias": a}, key=f"{k}-{a}")


# -- groups and members -----------------------------------------------------------------
def groups_insert(email: str, name: str = "", description: str = "") -> Call:
    e = _email(email, "grupo")
    body = {"email": e, "name": name or e.partition("@")[0], "description": description}
    return Call(API, "groups.insert", {"body": body}, key=e)


def groups_get(group_key: str) -> Call:
    k = _key(group_key, "grupo")
    return Call(API, "groups.get", {"groupKey": k}, key=k)


def groups_list(
    *,
    customer: str | None = None,
    domain: str | None = None,
    user_key: str | None = None,
    query: str | None = None,
    max_results: int = 200,
) -> Call:
    if not (customer or domain or user_key):
        raise InputError("indique el cliente, el dominio o el usuario", where="groups.list")
    if not isinstance(max_results, int) or not 1 <= max_results <= 200:
        raise InputError(
            f"max_results debe estar entre 1 y 200, no {max_results!r}", where="groups.list"
        )
    params: dict[str, Any] = {"maxResults": max_results}
    if user_key:
        params["userKey"] = _key(user_key, "usuario")
    elif domain:
        params["domain"] = domain
    else:
        params["customer"] = customer
    if query:
        params["query"] = query
    return Call(API, "groups.list", params)


def groups_patch(group_key: str, changes: Mapping[str, Any]) -> Call:
    k = _key(group_key, "grupo")
    return Call(API, "groups.patch", {"groupKey": k, "body": _body(changes, "cambios")}, key=k)


def groups_delete(group_key: str) -> Call:
    k = _key(group_key, "grupo")
    return Call(API, "groups.delete", {"groupKey": k}, key=k)


def group_aliases_insert(group_key: str, alias: str) -> Call:
    k = _key(group_key, "grupo")
    a = _email(alias, "alias")
    return Call(API, "groups.aliases.insert", {"groupKey": k, "body": {"alias": a}}, key=f"{k}+{a}")


def group_aliases_list(group_key: str) -> Call:
    k = _key(group_key, "grupo")
    return Call(API, "groups.aliases.list", {"groupKey": k}, key=k)


def group_aliases_delete(group_key: str, alias: str) -> Call:
    k = _key(group_key, "grupo")
    a = _email(alias, "alias")
    return Call(API, "groups.aliases.delete", {"groupKey": k, "alias": a}, key=f"{k}-{a}")


def _role(role: str) -> str:
    if role not in ROLES:
        raise InputError(f"rol inválido {role!r}; use {', '.join(ROLES)}", where="rol")
    return role


def members_insert(group_key: str, email: str, role: str = "MEMBER") -> Call:
    g = _key(group_key, "grupo")
    e = _email(email, "miembro")
    body = {"email": e, "role": _role(role)}
    return Call(API, "members.insert", {"groupKey": g, "body": body}, key=f"{g}+{e}")


def members_get(group_key: str, member_key: str) -> Call:
    g = _key(group_key, "grupo")
    m = _key(member_key, "miembro")
    return Call(API, "members.get", {"groupKey": g, "memberKey": m}, key=f"{g}/{m}")


def members_list(group_key: str, *, roles: str | None = None, max_results: int = 200) -> Call:
    g = _key(group_key, "grupo")
    params: dict[str, Any] = {"groupKey": g, "maxResults": max_results}
    if roles:
        for r in roles.split(","):
            _role(r.strip())
        params["roles"] = roles
    return Call(API, "members.list", params, key=g)


def members_patch(group_key: str, member_key: str, role: str) -> Call:
    g = _key(group_key, "grupo")
    m = _key(member_key, "miembro")
    return Call(
        API,
        "members.patch",
        {"groupKey": g, "memberKey": m, "body": {"role": _role(role)}},
        key=f"{g}/{m}",
    )


def members_delete(group_key: str, member_key: str) -> Call:
    g = _key(group_key, "grupo")
    m = _key(member_key, "miembro")
    return Call(API, "members.delete", {"groupKey": g, "memberKey": m}, key=f"{g}-{m}")


def members_has_member(group_key: str, member_key: str) -> Call:
    g = _key(group_key, "grupo")
    m = _key(member_key, "miembro")
    return Call(API, "members.hasMember", {"groupKey": g, "memberKey": m}, key=f"{g}?{m}")


# -- org units, domains, customer -------------------------------------------------------
def orgunits_insert(customer: str, name: str, parent: str = "/", description: str = "") -> Call:
    if not isinstance(name, str) or not name.strip() or "/" in name:
        raise InputError(
            f"nombre de unidad organizativa inválido {name!r} (sin «/»)",
            where="unidad organizativa",
        )
    body = {"name": name.strip(), "parentOrgUnitPath": _ou_path(parent), "description": description}
    path = parent.rstrip("/") + "/" + name.strip()
    return Call(API, "orgunits.insert", {"customerId": customer, "body": body}, key=path)


def orgunits_get(customer: str, path: str) -> Call:
    p = _ou_path(path)
    return Call(API, "orgunits.get", {"customerId": customer, "orgUnitPath": _ou_param(p)}, key=p)


def orgunits_list(customer: str, *, path: str = "/", type: str = "all") -> Call:
    if type not in ("all", "children", "allIncludingParent"):
        raise InputError(
            f"tipo inválido {type!r}; use all, children o allIncludingParent", where="orgunits.list"
        )
    return Call(
        API, "orgunits.list", {"customerId": customer, "orgUnitPath": _ou_path(path), "type": type}
    )


def orgunits_patch(customer: str, path: str, changes: Mapping[str, Any]) -> Call:
    p = _ou_path(path)
    params = {
        "customerId": customer,
        "orgUnitPath": _ou_param(p),
        "body": _body(changes, "cambios"),
    }
    return Call(API, "orgunits.patch", params, key=p)


def orgunits_delete(customer: str, path: str) -> Call:
    p = _ou_path(path)
    if p == "/":
        raise InputError("la unidad organizativa raíz no se puede eliminar", where="/")
    return Call(
        API, "orgunits.delete", {"customerId": customer, "orgUnitPath": _ou_param(p)}, key=p
    )


def domains_list(customer: str) -> Call:
    return Call(API, "domains.list", {"customer": customer})


def domains_get(customer: str, name: str) -> Call:
    return Call(
        API, "domains.get", {"customer": customer, "domainName": _key(name, "dominio")}, key=name
    )


def domains_insert(customer: str, name: str) -> Call:
    return Call(
        API,
        "domains.insert",
        {"customer": customer, "body": {"domainName": _key(name, "dominio")}},
        key=name,
    )


def domains_delete(customer: str, name: str) -> Call:
    return Call(
        API, "domains.delete", {"customer": customer, "domainName": _key(name, "dominio")}, key=name
    )


def domain_aliases_list(customer: str, parent: str | None = None) -> Call:
    params: dict[str, Any] = {"customer": customer}
    if parent:
        params["parentDomainName"] = parent
    return Call(API, "domainAliases.list", params)


def domain_aliases_insert(customer: str, alias: str, parent: str) -> Call:
    body = {
        "domainAliasName": _key(alias, "alias de dominio"),
        "parentDomainName": _key(parent, "dominio"),
    }
    return Call(API, "domainAliases.insert", {"customer": customer, "body": body}, key=alias)


def domain_aliases_delete(customer: str, alias: str) -> Call:
    params = {"customer": customer, "domainAliasName": _key(alias, "alias de dominio")}
    return Call(API, "domainAliases.delete", params, key=alias)


def customers_get(customer: str) -> Call:
    return Call(API, "customers.get", {"customerKey": _key(customer, "cliente")}, key=customer)
