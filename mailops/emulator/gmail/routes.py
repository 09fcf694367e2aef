"""Path table and HTTP layer of the Gmail API area (paths as in the discovery document)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote

from mailops.emulator.gmail.model import GmailModel
from mailops.emulator.routing import Request, Response, Router

__all__ = ["register_routes"]

_U = "/gmail/v1/users/(?P<userId>[^/]+)"
_S = f"{_U}/settings"
_SEG = r"[^/]+"


def _list_param(req: Request, name: str) -> list[str]:
    # parse_qsl keeps the last of repeated keys; labelIds is usually one label
    value = req.query.get(name)
    return [value] if value else []


def register_routes(router: Router, model: GmailModel) -> None:
    def user(p: Mapping[str, str]) -> str:
        return unquote(p["userId"])

    def item(p: Mapping[str, str], key: str) -> str:
        return unquote(p[key])

    def ok(result: Any) -> Response:
        return Response(200, result if result is not None else {})

    def gone(action: Callable[[], None]) -> Response:
        action()
        return Response(204, None)

    handlers: list[tuple[str, str, str, Callable[[Request, Mapping[str, str]], Response]]] = [
        ("GET", f"{_U}/profile", "users.getProfile", lambda r, p: ok(model.get_profile(user(p)))),
        (
            "POST",
            f"{_U}/messages/send",
            "users.messages.send",
            lambda r, p: ok(model.messages_send(user(p), r.json())),
        ),
        (
            "GET",
            f"{_U}/messages",
            "users.messages.list",
            lambda r, p: ok(
                model.messages_list(
                    user(p),
                    q=r.query.get("q"),
                    label_ids=_list_param(r, "labelIds"),
                    max_results=r.query.get("maxResults"),
                    page_token=r.query.get("pageToken"),
                    include_spam_trash=r.query.get("includeSpamTrash") == "true",
                )
            ),
        ),
        (
            "GET",
            f"{_U}/messages/(?P<id>{_SEG})",
            "users.messages.get",
            lambda r, p: ok(model.messages_get(user(p), item(p, "id"), r.query.get("format"))),
        ),
        (
            "GET",
            f"{_S}/autoForwarding",
            "users.settings.getAutoForwarding",
            lambda r, p: ok(model.get_auto_forwarding(user(p))),
        ),
        (
            "PUT",
            f"{_S}/autoForwarding",
            "users.settings.updateAutoForwarding",
            lambda r, p: ok(model.update_auto_forwarding(user(p), r.json())),
        ),
        (
            "GET",
            f"{_S}/vacation",
            "users.settings.getVacation",
            lambda r, p: ok(model.get_vacation(user(p))),
        ),
        (
            "PUT",
            f"{_S}/vacation",
            "users.settings.updateVacation",
            lambda r, p: ok(model.update_vacation(user(p), r.json())),
        ),
        (
            "POST",
            f"{_S}/forwardingAddresses",
            "users.settings.forwardingAddresses.create",
            lambda r, p: ok(model.forwarding_create(user(p), r.json())),
        ),
        (
            "GET",
            f"{_S}/forwardingAddresses",
            "users.settings.forwardingAddresses.list",
            lambda r, p: ok(model.forwarding_list(user(p))),
        ),
        (
            "GET",
            f"{_S}/forwardingAddresses/(?P<key>{_SEG})",
            "users.settings.forwardingAddresses.get",
            lambda r, p: ok(model.forwarding_get(user(p), item(p, "key"))),
        ),
        (
            "DELETE",
            f"{_S}/forwardingAddresses/(?P<key>{_SEG})",
            "users.settings.forwardingAddresses.delete",
            lambda r, p: gone(lambda: model.forwarding_delete(user(p), item(p, "key"))),
        ),
        (
            "POST",
            f"{_S}/sendAs",
            "users.settings.sendAs.create",
            lambda r, p: ok(model.send_as_create(user(p), r.json())),
        ),
        (
            "GET",
            f"{_S}/sendAs",
            "users.settings.sendAs.list",
            lambda r, p: ok(model.send_as_list(user(p))),
        ),
        (
            "GET",
            f"{_S}/sendAs/(?P<key>{_SEG})",
            "users.settings.sendAs.get",
            lambda r, p: ok(model.send_as_get(user(p), item(p, "key"))),
        ),
        (
            "PATCH",
            f"{_S}/sendAs/(?P<key>{_SEG})",
            "users.settings.sendAs.patch",
            lambda r, p: ok(model.send_as_patch(user(p), item(p, "key"), r.json())),
        ),
        (
            "DELETE",
            f"{_S}/sendAs/(?P<key>{_SEG})",
            "users.settings.sendAs.delete",
            lambda r, p: gone(lambda: model.send_as_delete(user(p), item(p, "key"))),
        ),
        (
            "POST",
            f"{_S}/delegates",
            "users.settings.delegates.create",
            lambda r, p: ok(model.delegates_create(user(p), r.json())),
        ),
        (
            "GET",
            f"{_S}/delegates",
            "users.settings.delegates.list",
            lambda r, p: ok(model.delegates_list(user(p))),
        ),
        (
            "GET",
            f"{_S}/delegates/(?P<key>{_SEG})",
            "users.settings.delegates.get",
            lambda r, p: ok(model.delegates_get(user(p), item(p, "key"))),
        ),
        (
            "DELETE",
            f"{_S}/delegates/(?P<key>{_SEG})",
            "users.settings.delegates.delete",
            lambda r, p: gone(lambda: model.delegates_delete(user(p), item(p, "key"))),
        ),
    ]
    for method, pattern, name, handler in handlers:
        router.add(method, pattern, handler, name=f"gmail.{name}")
