"""HTTP layer of the Directory API: parse the request, call the model, serialise the answer."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote

from mailops.emulator.directory.model import DirectoryModel
from mailops.emulator.errors import invalid
from mailops.emulator.routing import Request, Response

__all__ = ["DirectoryResponses"]

P = Mapping[str, str]
_NO_CONTENT = Response(204)


def _int(req: Request, name: str, default: int, high: int) -> int:
    raw = req.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise invalid(
            f"Invalid value '{raw}'. Values must be within the range: [1, {high}]"
        ) from None


def _q(req: Request, name: str) -> str | None:
    value = req.query.get(name)
    return value if value not in (None, "") else None


class DirectoryResponses:
    """One method per route; each returns a ``Response``."""

    def __init__(self, model: DirectoryModel) -> None:
        self.model = model

    # users
    def users_insert(self, req: Request, p: P) -> Response:
        return Response(200, self.model.users_insert(req.json()))

    def users_get(self, req: Request, p: P) -> Response:
        return Response(
            200,
            self.model.users_get(
                unquote(p["userKey"]),
                projection=_q(req, "projection"),
                custom_field_mask=_q(req, "customFieldMask"),
            ),
        )

    def users_list(self, req: Request, p: P) -> Response:
        return Response(
            200,
            self.model.users_list(
                customer=_q(req, "customer"),
                domain=_q(req, "domain"),
                query=_q(req, "query"),
                max_results=_int(req, "maxResults", 100, 500),
                page_token=_q(req, "pageToken"),
                order_by=_q(req, "orderBy"),
                sort_order=_q(req, "sortOrder"),
                show_deleted=(req.query.get("showDeleted") or "").lower() == "true",
                projection=_q(req, "projection"),
                custom_field_mask=_q(req, "customFieldMask"),
            ),
        )

    def users_patch(self, req: Request, p: P) -> Response:
        return Response(200, self.model.users_patch(unquote(p["userKey"]), req.json()))

    def users_update(self, req: Request, p: P) -> Response:
        return Response(200, self.model.users_update(unquote(p["userKey"]), req.json()))

    def users_delete(self, req: Request, p: P) -> Response:
        self.model.users_delete(unquote(p["userKey"]))
        return _NO_CONTENT

    def users_undelete(self, req: Request, p: P) -> Response:
        self.model.users_undelete(unquote(p["userKey"]), req.json())
        return _NO_CONTENT

    def users_make_admin(self, req: Request, p: P) -> Response:
        self.model.users_make_admin(unquote(p["userKey"]), req.json())
        return _NO_CONTENT

    def users_sign_out(self, req: Request, p: P) -> Response:
        self.model.users_sign_out(unquote(p["userKey"]))
        return _NO_CONTENT

    def users_aliases_insert(self, req: Request, p: P) -> Response:
        return Response(200, self.model.users_aliases_insert(unquote(p["userKey"]), req.json()))

    def users_aliases_list(self, req: Request, p: P) -> Response:
        return Response(200, self.model.users_aliases_list(unquote(p["userKey"])))

    def users_aliases_delete(self, req: Request, p: P) -> Response:
        self.model.users_aliases_delete(unquote(p["userKey"]), unquote(p["alias"]))
        return _NO_CONTENT

    # groups
    def groups_insert(self, req: Request, p: P) -> Response:
        return Response(200, self.model.groups_insert(req.json()))

    def groups_get(self, req: Request, p: P) -> Response:
        return Response(200, self.model.groups_get(unquote(p["groupKey"])))

    def groups_list(self, req: Request, p: P) -> Response:
        return Response(
            200,
            self.model.groups_list(
                customer=_q(req, "customer"),
                domain=_q(req, "domain"),
                user_key=_q(req, "userKey"),
                query=_q(req, "query"),
                max_results=_int(req, "maxResults", 200, 200),
                page_token=_q(req, "pageToken"),
                sort_order=_q(req, "sortOrder"),
            ),
        )

    def groups_patch(self, req: Request, p: P) -> Response:
        return Response(200, self.model.groups_patch(unquote(p["groupKey"]), req.json()))

    def groups_update(self, req: Request, p: P) -> Response:
        return Response(200, self.model.groups_update(unquote(p["groupKey"]), req.json()))

    def groups_delete(self, req: Request, p: P) -> Response:
        self.model.groups_delete(unquote(p["groupKey"]))
        return _NO_CONTENT

    def groups_aliases_insert(self, req: Request, p: P) -> Response:
        return Response(200, self.model.groups_aliases_insert(unquote(p["groupKey"]), req.json()))

    def groups_aliases_list(self, req: Request, p: P) -> Response:
        return Response(200, self.model.groups_aliases_list(unquote(p["groupKey"])))

    def groups_aliases_delete(self, req: Request, p: P) -> Response:
        self.model.groups_aliases_delete(unquote(p["groupKey"]), unquote(p["alias"]))
        return _NO_CONTENT

    # members
    def members_insert(self, req: Request, p: P) -> Response:
        return Response(200, self.model.members_insert(unquote(p["groupKey"]), req.json()))

    def members_get(self, req: Request, p: P) -> Response:
        return Response(
            200, self.model.members_get(unquote(p["groupKey"]), unquote(p["memberKey"]))
        )

    def members_list(self, req: Request, p: P) -> Response:
        return Response(
            200,
            self.model.members_list(
                unquote(p["groupKey"]),
                roles=_q(req, "roles"),
                max_results=_int(req, "maxResults", 200, 200),
                page_token=_q(req, "pageToken"),
            ),
        )

    def members_patch(self, req: Request, p: P) -> Response:
        return Response(
            200,
            self.model.members_patch(unquote(p["groupKey"]), unquote(p["memberKey"]), req.json()),
        )

    def members_update(self, req: Request, p: P) -> Response:
        return Response(
            200,
            self.model.members_update(unquote(p["groupKey"]), unquote(p["memberKey"]), req.json()),
        )

    def members_delete(self, req: Request, p: P) -> Response:
        self.model.members_delete(unquote(p["groupKey"]), unquote(p["memberKey"]))
        return _NO_CONTENT

    def members_has_member(self, req: Request, p: P) -> Response:
        return Response(
            200, self.model.members_has_member(unquote(p["groupKey"]), unquote(p["memberKey"]))
        )

    # org units
    def orgunits_insert(self, req: Request, p: P) -> Response:
        return Response(200, self.model.orgunits_insert(unquote(p["customerId"]), req.json()))

    def orgunits_list(self, req: Request, p: P) -> Response:
        return Response(
            200,
            self.model.orgunits_list(
                unquote(p["customerId"]),
                org_unit_path=_q(req, "orgUnitPath"),
                type_=_q(req, "type"),
            ),
        )

    def orgunits_get(self, req: Request, p: P) -> Response:
        return Response(
            200, self.model.orgunits_get(unquote(p["customerId"]), unquote(p["orgUnitPath"]))
        )

    def orgunits_patch(self, req: Request, p: P) -> Response:
        return Response(
            200,
            self.model.orgunits_patch(
                unquote(p["customerId"]), unquote(p["orgUnitPath"]), req.json()
            ),
        )

    def orgunits_update(self, req: Request, p: P) -> Response:
        return Response(
            200,
            self.model.orgunits_update(
                unquote(p["customerId"]), unquote(p["orgUnitPath"]), req.json()
            ),
        )

    def orgunits_delete(self, req: Request, p: P) -> Response:
        self.model.orgunits_delete(unquote(p["customerId"]), unquote(p["orgUnitPath"]))
        return _NO_CONTENT

    # domains and domain aliases
    def domains_insert(self, req: Request, p: P) -> Response:
        return Response(200, self.model.domains_insert(unquote(p["customer"]), req.json()))

    def domains_list(self, req: Request, p: P) -> Response:
        return Response(200, self.model.domains_list(unquote(p["customer"])))

    def domains_get(self, req: Request, p: P) -> Response:
        return Response(
            200, self.model.domains_get(unquote(p["customer"]), unquote(p["domainName"]))
        )

    def domains_delete(self, req: Request, p: P) -> Response:
        self.model.domains_delete(unquote(p["customer"]), unquote(p["domainName"]))
        return _NO_CONTENT

    def domain_aliases_insert(self, req: Request, p: P) -> Response:
        return Response(200, self.model.domain_aliases_insert(unquote(p["customer"]), req.json()))

    def domain_aliases_list(self, req: Request, p: P) -> Response:
        return Response(
            200,
            self.model.domain_aliases_list(
                unquote(p["customer"]), parent=_q(req, "parentDomainName")
            ),
        )

    def domain_aliases_get(self, req: Request, p: P) -> Response:
        return Response(
            200,
            self.model.domain_aliases_get(unquote(p["customer"]), unquote(p["domainAliasName"])),
        )

    def domain_aliases_delete(self, req: Request, p: P) -> Response:
        self.model.domain_aliases_delete(unquote(p["customer"]), unquote(p["domainAliasName"]))
        return _NO_CONTENT

    # customers
    def customers_get(self, req: Request, p: P) -> Response:
        return Response(200, self.model.customers_get(unquote(p["customerKey"])))

    def customers_patch(self, req: Request, p: P) -> Response:
        return Response(200, self.model.customers_patch(unquote(p["customerKey"]), req.json()))

    def customers_update(self, req: Request, p: P) -> Response:
        return Response(200, self.model.customers_update(unquote(p["customerKey"]), req.json()))
