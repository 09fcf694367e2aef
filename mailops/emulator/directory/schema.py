"""SQLite tables of the Directory API area (names prefixed ``dir_``)."""

from __future__ import annotations

__all__ = ["SCHEMA", "TABLES"]

TABLES: tuple[str, ...] = (
    "dir_customer",
    "dir_domains",
    "dir_orgunits",
    "dir_users",
    "dir_aliases",
    "dir_groups",
    "dir_members",
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS dir_customer (
    id TEXT PRIMARY KEY,
    json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dir_domains (
    name TEXT PRIMARY KEY,
    parent TEXT,                       -- NULL for a domain, the parent domain for a domain alias
    json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dir_orgunits (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    parent_path TEXT,
    json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dir_orgunits_parent ON dir_orgunits (parent_path);
CREATE TABLE IF NOT EXISTS dir_users (
    id TEXT PRIMARY KEY,
    primary_email TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    org_unit_path TEXT NOT NULL,
    is_suspended INTEGER NOT NULL DEFAULT 0,
    is_admin INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    ready_at REAL NOT NULL DEFAULT 0,  -- epoch seconds when creation is complete
    password_hash TEXT NOT NULL,
    hash_function TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dir_users_email ON dir_users (primary_email, deleted);
CREATE INDEX IF NOT EXISTS dir_users_ou ON dir_users (org_unit_path);
CREATE INDEX IF NOT EXISTS dir_users_names ON dir_users (family_name, given_name);
CREATE INDEX IF NOT EXISTS dir_users_flags ON dir_users (customer_id, deleted, is_suspended, is_admin);
CREATE TABLE IF NOT EXISTS dir_aliases (
    alias TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                -- 'user' or 'group'
    owner_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dir_aliases_owner ON dir_aliases (owner_id);
CREATE TABLE IF NOT EXISTS dir_groups (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dir_members (
    group_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    type TEXT NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX IF NOT EXISTS dir_members_member ON dir_members (member_id);
"""
