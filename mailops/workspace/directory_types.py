"""Directory API resources as frozen dataclasses, read from Google's JSON.

Each keeps ``raw`` (the JSON Google returned) for fields mailops does not model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

__all__ = [
    "Customer",
    "DomainAliasInfo",
    "DomainInfo",
    "Group",
    "Member",
    "OrgUnit",
    "User",
    "groups_frame",
    "parse_time",
    "users_frame",
]

_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def parse_time(value: Any) -> datetime | None:
    """Google's RFC 3339 timestamps (and the epoch meaning "never") as aware datetimes."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return None if parsed <= _NEVER else parsed


def _primary(items: Any) -> Mapping[str, Any]:
    if isinstance(items, list) and items:
        for item in items:
            if isinstance(item, dict) and item.get("primary"):
                return item
        first = items[0]
        return first if isinstance(first, dict) else {}
    return {}


@dataclass(frozen=True)
class User:
    id: str
    primary_email: str
    given_name: str
    family_name: str
    org_unit_path: str = "/"
    suspended: bool = False
    is_admin: bool = False
    aliases: tuple[str, ...] = ()
    department: str = ""
    title: str = ""
    document_id: str = ""
    creation_time: datetime | None = None
    last_login_time: datetime | None = None
    is_mailbox_setup: bool = True
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def domain(self) -> str:
        return self.primary_email.rpartition("@")[2]

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> User:
        name = data.get("name") or {}
        org = _primary(data.get("organizations"))
        ext = data.get("externalIds") or []
        document = next(
            (
                str(e.get("value", ""))
                for e in ext
                if isinstance(e, dict) and e.get("type") == "organization"
            ),
            "",
        )
        return cls(
            id=str(data.get("id", "")),
            primary_email=str(data.get("primaryEmail", "")),
            given_name=str(name.get("givenName", "")),
            family_name=str(name.get("familyName", "")),
            org_unit_path=str(data.get("orgUnitPath", "/")),
            suspended=bool(data.get("suspended", False)),
            is_admin=bool(data.get("isAdmin", False)),
            aliases=tuple(data.get("aliases") or ()),
            department=str(org.get("department", "")),
            title=str(org.get("title", "")),
            document_id=document,
            creation_time=parse_time(data.get("creationTime")),
            last_login_time=parse_time(data.get("lastLoginTime")),
            is_mailbox_setup=bool(data.get("isMailboxSetup", True)),
            raw=dict(data),
        )


@dataclass(frozen=True)
class Group:
    id: str
    email: str
    name: str
    description: str = ""
    direct_members_count: int = 0
    aliases: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Group:
        try:
            count = int(data.get("directMembersCount", 0))
        except (TypeError, ValueError):
            count = 0
        return cls(
            id=str(data.get("id", "")),
            email=str(data.get("email", "")),
            name=str(data.get("name", "")),
            description=str(data.get("description", "")),
            direct_members_count=count,
            aliases=tuple(data.get("aliases") or ()),
            raw=dict(data),
        )


@dataclass(frozen=True)
class Member:
    id: str
    email: str
    role: str = "MEMBER"
    type: str = "USER"
    status: str = "ACTIVE"

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Member:
        return cls(
            id=str(data.get("id", "")),
            email=str(data.get("email", "")),
            role=str(data.get("role", "MEMBER")),
            type=str(data.get("type", "USER")),
            status=str(data.get("status", "ACTIVE")),
        )


@dataclass(frozen=True)
class OrgUnit:
    id: str
    path: str
    name: str
    parent_path: str = ""
    description: str = ""

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> OrgUnit:
        return cls(
            id=str(data.get("orgUnitId", "")),
            path=str(data.get("orgUnitPath", "")),
            name=str(data.get("name", "")),
            parent_path=str(data.get("parentOrgUnitPath", "")),
            description=str(data.get("description", "")),
        )


@dataclass(frozen=True)
class DomainAliasInfo:
    name: str
    parent: str
    verified: bool = False

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> DomainAliasInfo:
        return cls(
            name=str(data.get("domainAliasName", "")),
            parent=str(data.get("parentDomainName", "")),
            verified=bool(data.get("verified", False)),
        )


@dataclass(frozen=True)
class DomainInfo:
    name: str
    is_primary: bool = False
    verified: bool = False
    aliases: tuple[DomainAliasInfo, ...] = ()

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> DomainInfo:
        return cls(
            name=str(data.get("domainName", "")),
            is_primary=bool(data.get("isPrimary", False)),
            verified=bool(data.get("verified", False)),
            aliases=tuple(DomainAliasInfo.from_api(a) for a in data.get("domainAliases") or ()),
        )


@dataclass(frozen=True)
class Customer:
    id: str
    domain: str
    language: str = ""
    organization: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Customer:
        postal = data.get("postalAddress") or {}
        return cls(
            id=str(data.get("id", "")),
            domain=str(data.get("customerDomain", "")),
            language=str(data.get("language", "")),
            organization=str(postal.get("organizationName", "")),
            raw=dict(data),
        )


def users_frame(users: Sequence[User]) -> pd.DataFrame:
    """Users as a table with Spanish column names, for notebooks."""
    rows = [
        {
            "correo": u.primary_email,
            "nombres": u.given_name,
            "apellidos": u.family_name,
            "unidad_organizativa": u.org_unit_path,
            "dependencia": u.department,
            "cargo": u.title,
            "suspendido": u.suspended,
            "administrador": u.is_admin,
            "alias": ", ".join(u.aliases),
            "creado": u.creation_time,
            "ultimo_acceso": u.last_login_time,
        }
        for u in users
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "correo",
            "nombres",
            "apellidos",
            "unidad_organizativa",
            "dependencia",
            "cargo",
            "suspendido",
            "administrador",
            "alias",
            "creado",
            "ultimo_acceso",
        ],
    )
    for col in ("creado", "ultimo_acceso"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def groups_frame(groups: Sequence[Group]) -> pd.DataFrame:
    """Groups as a table with Spanish column names."""
    return pd.DataFrame(
        [
            {
                "correo": g.email,
                "nombre": g.name,
                "miembros": g.direct_members_count,
                "descripcion": g.description,
            }
            for g in groups
        ],
        columns=["correo", "nombre", "miembros", "descripcion"],
    )
