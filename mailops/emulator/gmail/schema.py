"""SQLite tables of the Gmail API area (names prefixed ``gm_``)."""

from __future__ import annotations

__all__ = ["OUTAGE_META_KEY", "SCHEMA", "TABLES"]

# emu_meta key the Status area sets while an emulated Gmail outage is open
OUTAGE_META_KEY = "status:gmail_outage"

TABLES: tuple[str, ...] = ("gm_messages", "gm_settings", "gm_items")

SCHEMA = """
CREATE TABLE IF NOT EXISTS gm_messages (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,               -- mailbox (primary address, lowercase)
    thread_id TEXT NOT NULL,
    labels TEXT NOT NULL,              -- JSON list
    internal_date INTEGER NOT NULL,    -- epoch milliseconds
    subject TEXT NOT NULL,
    sender TEXT NOT NULL,
    recipients TEXT NOT NULL,          -- comma-separated, lowercase
    snippet TEXT NOT NULL,
    raw BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS gm_messages_owner ON gm_messages (owner, internal_date);
CREATE TABLE IF NOT EXISTS gm_settings (
    owner TEXT NOT NULL,
    kind TEXT NOT NULL,                -- autoForwarding, vacation
    json TEXT NOT NULL,
    PRIMARY KEY (owner, kind)
);
CREATE TABLE IF NOT EXISTS gm_items (
    owner TEXT NOT NULL,
    kind TEXT NOT NULL,                -- forwardingAddresses, sendAs, delegates
    key TEXT NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (owner, kind, key)
);
"""
