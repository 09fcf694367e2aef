"""The Google Workspace Status Dashboard: is Gmail (or another product) affected now?

Reads Google's public feed (``incidents.json``, English) with the standard library and a
timeout, and answers in Spanish framing ("Google informa: ..."). Open incidents are those
without ``end``; a product is matched by its id in ``affected_products`` (names change and
multi-product incidents say "Multiple Products"), with the title as a fallback.

Example::

    status = ws.status.product_status("Gmail")
    status.affected, status.since, status.summary
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mailops.errors import UnavailableError

__all__ = [
    "DASHBOARD_URL",
    "GMAIL_PRODUCT_ID",
    "GOOGLE_FEED_URL",
    "Incident",
    "ProductStatus",
    "StatusDashboard",
    "feed_url_for",
]

DASHBOARD_URL = "https://www.google.com/appsstatus/dashboard/"
GOOGLE_FEED_URL = DASHBOARD_URL + "incidents.json"
FEED_PATH = "appsstatus/dashboard/incidents.json"
GMAIL_PRODUCT_ID = "NL7yHcAA2QVB2CcfZ1Hd"

IMPACT_LABELS = {
    "SERVICE_OUTAGE": "interrupción del servicio",
    "SERVICE_DISRUPTION": "afectación parcial del servicio",
    "SERVICE_INFORMATION": "aviso informativo",
    "SERVICE_MAINTENANCE": "mantenimiento",
    "AVAILABLE": "servicio restablecido",
}
_SEVERITY_LABELS = {"high": "alta", "medium": "media", "low": "baja"}


def feed_url_for(configured: str | None, emulator_base: str | None) -> str:
    """The feed URL: the configured one, else the emulator's, else Google's."""
    if configured:
        return configured
    if emulator_base:
        return emulator_base.rstrip("/") + "/" + FEED_PATH
    return GOOGLE_FEED_URL


def _time(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def plain_text(markdown: str) -> str:
    """Google's Markdown update text as one plain line."""
    text = re.sub(r"\*\*([^*]+):\*\*", r"\1:", markdown)
    text = re.sub(r"[*_`#>]", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Incident:
    """One incident of the feed."""

    id: str
    begin: datetime | None
    end: datetime | None
    severity: str
    impact: str
    product_ids: tuple[str, ...]
    products: tuple[str, ...]
    title: str
    latest_status: str
    latest_text: str
    latest_when: datetime | None
    uri: str

    @property
    def is_open(self) -> bool:
        return self.end is None

    @property
    def url(self) -> str:
        return DASHBOARD_URL + self.uri

    def affects(self, product: str) -> bool:
        wanted = product.strip().lower()
        return product in self.product_ids or any(p.lower() == wanted for p in self.products)

    @classmethod
    def from_feed(cls, data: Mapping[str, Any]) -> Incident:
        latest = data.get("most_recent_update") or {}
        affected = data.get("affected_products") or []
        desc = str(data.get("external_desc", ""))
        title = plain_text(desc).removeprefix("Title:").strip()
        return cls(
            id=str(data.get("id", "")),
            begin=_time(data.get("begin")),
            end=_time(data.get("end")),
            severity=str(data.get("severity", "")),
            impact=str(data.get("status_impact", "")),
            product_ids=tuple(str(p.get("id", "")) for p in affected),
            products=tuple(str(p.get("title", "")).strip() for p in affected),
            title=title,
            latest_status=str(latest.get("status", "")),
            latest_text=plain_text(str(latest.get("text", ""))),
            latest_when=_time(latest.get("when")),
            uri=str(data.get("uri", "")),
        )


@dataclass(frozen=True)
class ProductStatus:
    """The answer to "is this product affected now, since when, what does Google say"."""

    product: str
    affected: bool
    since: datetime | None
    open_incidents: tuple[Incident, ...]
    recent_incidents: tuple[Incident, ...]
    checked_at: datetime
    feed_url: str

    @property
    def summary(self) -> str:
        """One Spanish paragraph for the operator."""
        if not self.affected:
            last = self.recent_incidents[0] if self.recent_incidents else None
            tail = ""
            if last is not None and last.end is not None:
                tail = f" El último incidente registrado terminó el {last.end:%Y-%m-%d %H:%M} UTC."
            return (
                f"Sin incidentes abiertos de {self.product} en el panel de estado de Google "
                f"Workspace.{tail}"
            )
        parts = []
        for inc in self.open_incidents:
            label = IMPACT_LABELS.get(inc.impact, inc.impact)
            severity = _SEVERITY_LABELS.get(inc.severity, inc.severity)
            since = f"{inc.begin:%Y-%m-%d %H:%M} UTC" if inc.begin else "hora desconocida"
            parts.append(
                f"{label} (severidad {severity}) desde {since}. Google informa: "
                f"«{inc.latest_text or inc.title}» ({inc.url})"
            )
        return f"{self.product} está afectado: " + " ".join(parts)


class StatusDashboard:
    """Reads the Status Dashboard feed at ``feed_url``."""

    def __init__(
        self,
        feed_url: str,
        *,
        timeout: float = 10.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.feed_url = feed_url
        self.timeout = timeout
        self.clock = clock

    def incidents(self) -> list[Incident]:
        """Every incident of the feed, newest first. Raises UnavailableError."""
        request = urllib.request.Request(
            self.feed_url, headers={"Accept": "application/json", "User-Agent": "mailops"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            exc.close()
            raise UnavailableError(
                exc.code,
                "statusFeedError",
                f"el panel de estado respondió HTTP {exc.code}",
                item=self.feed_url,
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise UnavailableError(
                0,
                "transportError",
                f"no se pudo leer el panel de estado de Google Workspace ({reason})",
                item=self.feed_url,
            ) from None
        except (ValueError, UnicodeDecodeError):
            raise UnavailableError(
                0,
                "statusFeedError",
                "el panel de estado no devolvió JSON válido",
                item=self.feed_url,
            ) from None
        if not isinstance(data, list):
            raise UnavailableError(
                0,
                "statusFeedError",
                "el panel de estado no devolvió una lista de incidentes",
                item=self.feed_url,
            )
        found = [Incident.from_feed(d) for d in data if isinstance(d, dict)]
        far = datetime.min.replace(tzinfo=UTC)
        return sorted(found, key=lambda i: i.begin or far, reverse=True)

    def product_status(self, product: str = "Gmail", *, recent: int = 5) -> ProductStatus:
        """Whether ``product`` (title or product id) has an open incident now."""
        key = GMAIL_PRODUCT_ID if product.strip().lower() == "gmail" else product
        mine = [i for i in self.incidents() if i.affects(key) or i.affects(product)]
        open_ = tuple(i for i in mine if i.is_open)
        starts = [i.begin for i in open_ if i.begin is not None]
        return ProductStatus(
            product=product,
            affected=bool(open_),
            since=min(starts) if starts else None,
            open_incidents=open_,
            recent_incidents=tuple(i for i in mine if not i.is_open)[:recent],
            checked_at=self.clock(),
            feed_url=self.feed_url,
        )

    def gmail(self) -> ProductStatus:
        return self.product_status("Gmail")
