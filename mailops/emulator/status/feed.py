"""The Workspace Status Dashboard feed in Google's shape: products and incidents.

The demo history holds closed incidents of Gmail, Drive, Meet and others; an emulated Gmail
outage is an open ``SERVICE_OUTAGE`` incident (``end`` null) until it is closed. Google's feed
is English, so the emulated text is too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from mailops.emulator.gmail.schema import OUTAGE_META_KEY
from mailops.emulator.store import Store

__all__ = ["GMAIL_PRODUCT_ID", "PRODUCTS", "StatusModel"]

Resource = dict[str, Any]

GMAIL_PRODUCT_ID = "NL7yHcAA2QVB2CcfZ1Hd"
PRODUCTS: tuple[tuple[str, str], ...] = (
    (GMAIL_PRODUCT_ID, "Gmail"),
    ("KAFXfmrZxPyHUXAafirZ", "Google Calendar"),
    ("VHNZDzYoRmXtHTmAzw3G", "Google Drive"),
    ("9Vp3zqy7m3rTTbJwz4X8", "Google Docs"),
    ("Zz8yZYL3dpn9gBcHHgs7", "Google Sheets"),
    ("NNngBz8ph2qHfcdXsGYK", "Google Slides"),
    ("bhXbw2jNHa4vBzakwVBX", "Google Chat"),
    ("a2aXVYHEZdJQMBYwYTbF", "Google Meet"),
    ("3YWJRLzXrNGJ6g8ZnAvk", "Google Groups"),
    ("bWLfHMQmHZ9ejKdwbHML", "Google Forms"),
    ("VgTWbJmHQPDChaEpXYs4", "Admin console"),
    ("npdyhgECDJ6tB66MxXyo", "Gemini"),
)
_TITLES = dict(PRODUCTS)

# (days ago it began, hours it lasted, product id, impact, severity, title)
_DEMO: tuple[tuple[int, int, str, str, str, str], ...] = (
    (
        4,
        3,
        GMAIL_PRODUCT_ID,
        "SERVICE_DISRUPTION",
        "medium",
        "Some Gmail users are experiencing delays sending and receiving email",
    ),
    (
        11,
        2,
        "a2aXVYHEZdJQMBYwYTbF",
        "SERVICE_DISRUPTION",
        "medium",
        "Some users are unable to join Google Meet calls",
    ),
    (
        23,
        6,
        "VHNZDzYoRmXtHTmAzw3G",
        "SERVICE_INFORMATION",
        "low",
        "Some users may see errors when previewing files in Google Drive",
    ),
    (
        37,
        1,
        GMAIL_PRODUCT_ID,
        "SERVICE_OUTAGE",
        "high",
        "Gmail users are unable to access their mailboxes",
    ),
    (
        52,
        4,
        "KAFXfmrZxPyHUXAafirZ",
        "SERVICE_DISRUPTION",
        "low",
        "Some users are experiencing delays with Google Calendar notifications",
    ),
    (
        68,
        5,
        "VgTWbJmHQPDChaEpXYs4",
        "SERVICE_INFORMATION",
        "low",
        "Some administrators may see delays in reports in the Admin console",
    ),
)


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _id(*parts: object) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    number = int(hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest(), 16)
    out = []
    for _ in range(20):
        number, digit = divmod(number, len(alphabet))
        out.append(alphabet[digit])
    return "".join(out)


def _update(at: datetime, status: str, text: str) -> Resource:
    return {
        "created": _ts(at),
        "modified": _ts(at),
        "when": _ts(at),
        "status": status,
        "text": text,
    }


def _incident(
    begin: datetime, end: datetime | None, product: str, impact: str, severity: str, title: str
) -> Resource:
    name = _TITLES[product]
    first = _update(
        begin + timedelta(minutes=20),
        impact,
        f"**Title:**\n{title}\n\n**Description:**\nWe're investigating reports of an issue "
        f"with {name}. We will provide more information shortly.",
    )
    updates = [first]
    if end is not None:
        updates.insert(
            0,
            _update(
                end,
                "AVAILABLE",
                f"**Title:**\n{title}\n\n**Description:**\nThe problem with {name} has been "
                "resolved. We apologize for the inconvenience and thank you for your patience "
                "and continued support.",
            ),
        )
    incident_id = _id(product, _ts(begin))
    return {
        "id": incident_id,
        "number": str(int(hashlib.sha1(incident_id.encode()).hexdigest()[:15], 16)),
        "begin": _ts(begin),
        "end": None if end is None else _ts(end),
        "created": _ts(begin + timedelta(minutes=20)),
        "modified": updates[0]["modified"],
        "external_desc": f"**Title:**\n{title}",
        "updates": updates,
        "most_recent_update": updates[0],
        "status_impact": impact,
        "severity": severity,
        "service_key": product,
        "service_name": name,
        "affected_products": [{"title": name, "id": product}],
        "uri": f"incidents/{incident_id}",
    }


class StatusModel:
    """incidents.json, products.json and the switch of the emulated Gmail outage."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    def seed(self) -> None:
        now = self.clock()
        with self.store.write() as conn:
            for days, hours, product, impact, severity, title in _DEMO:
                begin = (now - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
                data = _incident(
                    begin, begin + timedelta(hours=hours), product, impact, severity, title
                )
                conn.execute(
                    "INSERT INTO st_incidents VALUES (?, ?, ?)",
                    (data["id"], data["begin"], json.dumps(data)),
                )

    def incidents(self) -> list[Resource]:
        rows = self.store.connection().execute(
            "SELECT json FROM st_incidents ORDER BY begin DESC, id"
        )
        return [json.loads(r[0]) for r in rows]

    def products(self) -> Resource:
        return {"products": [{"id": pid, "title": title} for pid, title in PRODUCTS]}

    def gmail_outage(self) -> bool:
        return self.store.get_meta(OUTAGE_META_KEY) == "1"

    def set_gmail_outage(self, on: bool) -> Resource:
        """Open (or close) the emulated Gmail outage; idempotent."""
        now = self.clock()
        with self.store.write() as conn:
            current = self.store.get_meta("status:gmail_outage_id")
            if on and not self.gmail_outage():
                data = _incident(
                    now,
                    None,
                    GMAIL_PRODUCT_ID,
                    "SERVICE_OUTAGE",
                    "high",
                    "Gmail users are unable to send or receive email",
                )
                conn.execute(
                    "INSERT OR REPLACE INTO st_incidents VALUES (?, ?, ?)",
                    (data["id"], data["begin"], json.dumps(data)),
                )
                self.store.set_meta("status:gmail_outage_id", data["id"])
                self.store.set_meta(OUTAGE_META_KEY, "1")
            elif not on and self.gmail_outage():
                row = conn.execute(
                    "SELECT json FROM st_incidents WHERE id = ?", (current,)
                ).fetchone()
                if row is not None:
                    data = json.loads(row[0])
                    title = data["external_desc"].split("\n", 1)[-1]
                    closing = _update(
                        now,
                        "AVAILABLE",
                        f"**Title:**\n{title}\n\n**Description:**\nThe problem with Gmail has "
                        "been resolved. We apologize for the inconvenience.",
                    )
                    data["end"] = _ts(now)
                    data["updates"] = [closing, *data["updates"]]
                    data["most_recent_update"] = closing
                    data["modified"] = closing["modified"]
                    conn.execute(
                        "UPDATE st_incidents SET json = ? WHERE id = ?",
                        (json.dumps(data), current),
                    )
                self.store.set_meta(OUTAGE_META_KEY, "0")
        return self.state()

    def state(self) -> Resource:
        open_count = sum(1 for i in self.incidents() if i["end"] is None)
        return {"gmail_outage": self.gmail_outage(), "incidentes_abiertos": open_count}
