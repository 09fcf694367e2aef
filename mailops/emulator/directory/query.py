"""The users.list ``query`` language, the subset mailops needs.

Clauses ``field op value`` separated by spaces are AND-ed. Operators: ``=`` (exact, case
insensitive), ``:`` (contains a word starting with the value; ``:abc*`` prefix of the whole
value). Values may be quoted with ``'...'`` or ``"..."``. A bare word matches the start of a
word in the given name, family name or email. Fields: ``email`` (primary and aliases),
``givenName``, ``familyName``, ``name``, ``isSuspended``, ``isAdmin``, ``orgUnitPath`` (``=``,
also matches sub-units), ``orgName``, ``orgDepartment``, ``orgTitle``, ``externalId``.

Matching ignores case but not accents ("Muñoz" does not match "munoz"), as Google does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mailops.emulator.directory.state import Resource
from mailops.emulator.errors import invalid

__all__ = ["Clause", "matches", "parse_query"]

_TOKEN = re.compile(
    r"""\s*(?:(?P<field>[A-Za-z][A-Za-z0-9_.]*)\s*(?P<op>[=:])\s*)?"""
    r"""(?P<value>'[^']*'|"[^"]*"|[^\s'"]+)"""
)

_BOOL_FIELDS = {"isSuspended": "suspended", "isAdmin": "isAdmin"}
_TEXT_FIELDS = {
    "email",
    "givenName",
    "familyName",
    "name",
    "orgUnitPath",
    "orgName",
    "orgDepartment",
    "orgTitle",
    "externalId",
}


@dataclass(frozen=True)
class Clause:
    field: str | None  # None = bare word
    op: str
    value: str


def parse_query(query: str) -> list[Clause]:
    """The clauses of ``query``; 400 ``Invalid query`` for anything outside the subset."""
    clauses: list[Clause] = []
    pos = 0
    text = query.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise invalid("Invalid query")
        pos = m.end()
        field, op, value = m.group("field"), m.group("op") or "", m.group("value")
        if value[:1] in "'\"" and value[-1:] == value[:1] and len(value) >= 2:
            value = value[1:-1]
        if field is not None and field not in _BOOL_FIELDS and field not in _TEXT_FIELDS:
            raise invalid("Invalid query")
        if field in _BOOL_FIELDS and (op != "=" or value.lower() not in ("true", "false")):
            raise invalid("Invalid query")
        if field == "orgUnitPath" and op != "=":
            raise invalid("Invalid query")
        clauses.append(Clause(field, op, value))
    return clauses


def _text_match(op: str, value: str, candidates: list[str]) -> bool:
    wanted = value.lower()
    for cand in candidates:
        c = cand.lower()
        if op == "=":
            if c == wanted:
                return True
        elif wanted.endswith("*"):
            if c.startswith(wanted[:-1]):
                return True
        elif wanted in c:
            return True
    return False


def _word_prefix(value: str, candidates: list[str]) -> bool:
    wanted = value.lower().rstrip("*")
    for cand in candidates:
        for word in re.split(r"[\s.@_-]+", cand.lower()):
            if word.startswith(wanted):
                return True
    return False


def _orgs(user: Resource, key: str) -> list[str]:
    return [str(o.get(key, "")) for o in user.get("organizations") or [] if isinstance(o, dict)]


_EXTRACTORS: dict[str, Callable[[Resource], list[str]]] = {
    "email": lambda u: [u["primaryEmail"], *u.get("aliases", [])],
    "givenName": lambda u: [u["name"]["givenName"]],
    "familyName": lambda u: [u["name"]["familyName"]],
    "name": lambda u: [u["name"]["fullName"]],
    "orgName": lambda u: _orgs(u, "name"),
    "orgDepartment": lambda u: _orgs(u, "department"),
    "orgTitle": lambda u: _orgs(u, "title"),
    "externalId": lambda u: [
        str(e.get("value", "")) for e in u.get("externalIds") or [] if isinstance(e, dict)
    ],
}


def matches(user: Resource, clauses: list[Clause]) -> bool:
    """Whether the user resource satisfies every clause."""
    for clause in clauses:
        if clause.field is None:
            names = [user["name"]["givenName"], user["name"]["familyName"], user["primaryEmail"]]
            if not _word_prefix(clause.value, names):
                return False
        elif clause.field in _BOOL_FIELDS:
            actual = bool(user.get(_BOOL_FIELDS[clause.field], False))
            if actual != (clause.value.lower() == "true"):
                return False
        elif clause.field == "orgUnitPath":
            path = str(user.get("orgUnitPath", "/")).lower()
            wanted = clause.value.lower().rstrip("/") or "/"
            if not (wanted == "/" or path == wanted or path.startswith(wanted + "/")):
                return False
        elif not _text_match(clause.op, clause.value, _EXTRACTORS[clause.field](user)):
            return False
    return True
