"""Build google-api-python-client services from the discovery documents it ships.

Emulator: the document's ``rootUrl`` (and ``mtlsRootUrl``) is rewritten to the emulator's base
URL, so that method, batch and media URIs all follow (``api_endpoint`` alone leaves batches
pointing at Google), and requests carry no credentials.

Google: a service account with domain-wide delegation impersonates the delegated admin, with
the least scope each call needs, read from the method's own ``scopes`` in the document.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import googleapiclient
import httplib2
from googleapiclient.discovery import build_from_document

from mailops.errors import SettingsError
from mailops.settings import Settings

__all__ = ["API_DOCUMENTS", "ServiceFactory", "discovery_document", "least_scope", "method_scopes"]

# (api, version) -> document file shipped inside google-api-python-client
API_DOCUMENTS: dict[str, str] = {
    "directory": "admin.directory_v1.json",
    "reports": "admin.reports_v1.json",
    "gmail": "gmail.v1.json",
}

_GENERIC_SCOPES = ("https://www.googleapis.com/auth/cloud-platform", "https://mail.google.com/")


@functools.cache
def _document_text(api: str) -> str:
    try:
        name = API_DOCUMENTS[api]
    except KeyError:
        raise ValueError(f"unknown API {api!r}; known: {sorted(API_DOCUMENTS)}") from None
    folder = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
    return (folder / name).read_text(encoding="utf-8")


def discovery_document(api: str) -> dict[str, Any]:
    """A fresh copy of the discovery document for ``api`` ("directory", "reports", "gmail")."""
    doc: dict[str, Any] = json.loads(_document_text(api))
    return doc


def _find_method(doc: dict[str, Any], dotted: str) -> dict[str, Any]:
    *resources, method = dotted.split(".")
    node: dict[str, Any] = doc
    for name in resources:
        node = node["resources"][name]
    found: dict[str, Any] = node["methods"][method]
    return found


@functools.cache
def method_scopes(api: str, dotted: str) -> tuple[str, ...]:
    """The scopes the discovery document lists for ``dotted`` (e.g. "users.aliases.insert")."""
    doc = json.loads(_document_text(api))
    try:
        return tuple(_find_method(doc, dotted).get("scopes", ()))
    except KeyError:
        raise ValueError(f"{api} has no method {dotted!r}") from None


_AUTH = "https://www.googleapis.com/auth/"
# Known wide scopes, widest last: never chosen while a narrower one serves the method.
_BREADTH = {_AUTH + "gmail.compose": 1, _AUTH + "gmail.modify": 2, "https://mail.google.com/": 3}


def _unusable(scope: str) -> bool:
    # add-on scopes cannot be granted to a service account; gmail.metadata cannot read bodies
    return ".addons." in scope or scope.endswith("gmail.metadata")


def least_scope(scopes: Iterable[str]) -> str:
    """The narrowest of the scopes a method accepts: read-only if it can, else the least wide."""
    listed = list(scopes)
    usable = [s for s in listed if s not in _GENERIC_SCOPES and not _unusable(s)] or listed
    if not usable:
        raise ValueError("the method lists no scope")
    readonly = [s for s in usable if s.endswith(".readonly")]
    pool = readonly or usable
    return min(pool, key=lambda s: (_BREADTH.get(s, 0), -len(s), s))


class ServiceFactory:
    """Builds and caches one service per (api, scope) for the configured backend."""

    def __init__(self, settings: Settings, *, base_url: str | None = None) -> None:
        if settings.backend == "emulator" and not base_url:
            raise ValueError("the emulator backend needs the emulator's base URL")
        self.settings = settings
        self.base_url = None if base_url is None else base_url.rstrip("/") + "/"
        self._cache: dict[tuple[str, str, str, int], Any] = {}
        self._lock = threading.Lock()

    def service(
        self, api: str, dotted_method: str | None = None, *, subject: str | None = None
    ) -> Any:
        """The service for ``api``; in google mode with the least scope ``dotted_method`` needs,
        acting as ``subject`` (default: the delegated admin; Gmail calls act as the mailbox).

        Services hold an httplib2.Http, which is not thread-safe: each thread gets its own.
        """
        scope = ""
        if self.settings.backend == "google":
            if dotted_method is None:
                raise ValueError("google mode needs the method to choose its scope")
            scope = least_scope(method_scopes(api, dotted_method))
        else:
            subject = None  # the emulator takes no credentials
        key = (api, scope, subject or "", threading.get_ident())
        with self._lock:
            svc = self._cache.get(key)
        if svc is None:
            svc = self._build(api, scope, subject)
            with self._lock:
                self._cache[key] = svc
        return svc

    def close(self) -> None:
        """Close every service's connections (each holds keep-alive sockets)."""
        with self._lock:
            services, self._cache = list(self._cache.values()), {}
        for svc in services:
            svc.close()

    def _build(self, api: str, scope: str, subject: str | None) -> Any:
        doc = discovery_document(api)
        if self.settings.backend == "emulator":
            assert self.base_url is not None
            doc["rootUrl"] = self.base_url
            doc["mtlsRootUrl"] = self.base_url
            return build_from_document(doc, http=httplib2.Http(timeout=60))
        return build_from_document(doc, credentials=self._credentials(scope, subject))

    def _credentials(self, scope: str, subject: str | None) -> Any:
        from google.oauth2 import service_account

        key = self.settings.service_account_key
        if key is None:
            raise SettingsError(
                "service_account_key", "falta la ruta del archivo JSON de la cuenta de servicio"
            )
        try:
            creds = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
                str(key), scopes=[scope]
            )
        except (OSError, ValueError, KeyError) as exc:
            # never echo the file's content: it holds a private key
            raise SettingsError(
                "service_account_key",
                f"el archivo {key} no es una clave de cuenta de servicio válida ({type(exc).__name__})",
            ) from None
        return creds.with_subject(subject or self.settings.delegated_admin)
