"""Planning a filled form against the directory: who is created, updated or left alone, and why.

The person's documento is the anchor: a row whose documento already has an account is never
created again; it is compared (unit, groups, aliases) and updated or left alone. New people
get an address by the naming rule, avoiding every address in use. Nothing is changed here.

Example::

    with connect(settings) as ws:
        plan = plan_form(ws, read_form("solicitudes.xlsx"))
        summary = plan.text()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mailops.dependencias import DependenciaMap
from mailops.provisioning.changes import Action, Plan, PlanItem, Step
from mailops.provisioning.form import FilledForm
from mailops.provisioning.naming import NamingRule, assign_addresses
from mailops.provisioning.validation import Person, RowError, RowResult, validate_form
from mailops.workspace import User, Workspace

__all__ = ["DirectorySnapshot", "build_plan", "plan_form", "user_body"]


@dataclass(frozen=True)
class DirectorySnapshot:
    """What planning needs to know of the directory, read once."""

    users: tuple[User, ...]
    groups: frozenset[str]
    memberships: Mapping[str, frozenset[str]]

    @classmethod
    def read(cls, ws: Workspace, *, members_of: Iterable[str] = ()) -> DirectorySnapshot:
        """Every user and group; the groups of each address in ``members_of``."""
        users = tuple(ws.directory.users_list())
        groups: set[str] = set()
        for g in ws.directory.groups_list():
            groups.add(g.email.lower())
            groups.update(a.lower() for a in g.aliases)
        return cls(users, frozenset(groups), _read_memberships(ws, members_of))

    def by_document(self) -> dict[str, list[User]]:
        out: dict[str, list[User]] = {}
        for u in self.users:
            if u.document_id:
                out.setdefault(u.document_id, []).append(u)
        return out

    def taken(self) -> set[str]:
        out = set(self.groups)
        for u in self.users:
            out.add(u.primary_email.lower())
            out.update(a.lower() for a in u.aliases)
        return out


def user_body(person: Person, address: str) -> dict[str, Any]:
    """The Google user resource for a new account (no password: it is added at apply time)."""
    vinculacion: dict[str, str] = {
        "tipo": person.vinculacion,
        "fecha_inicio": person.start.isoformat(),
    }
    if person.end is not None:
        vinculacion["fecha_fin"] = person.end.isoformat()
    body: dict[str, Any] = {
        "primaryEmail": address,
        "name": {"givenName": person.given_names, "familyName": person.family_names},
        "orgUnitPath": person.dependencia.org_unit_path,
        "organizations": [
            {"department": person.dependencia.nombre, "title": person.title, "primary": True}
        ],
        "externalIds": [{"type": "organization", "value": person.document_id}],
        "customSchemas": {"Vinculacion": vinculacion},
        "changePasswordAtNextLogin": True,
    }
    if person.personal_email:
        body["recoveryEmail"] = person.personal_email
    if person.phone:
        body["recoveryPhone"] = person.phone
    return body


def _resolve_group(text: str, domain: str, mapping: DependenciaMap) -> str:
    dep = mapping.find(text)
    if dep is not None:
        return dep.group_email
    return text if "@" in text else f"{text}@{domain}"


def _wanted(
    person: Person, domain: str, mapping: DependenciaMap, groups: frozenset[str], header: str
) -> tuple[list[str], list[RowError]]:
    wanted = [person.dependencia.group_email]
    errors: list[RowError] = []
    if person.dependencia.group_email not in groups:
        errors.append(
            RowError(
                person.row,
                "Dependencia",
                f"el grupo de la dependencia {person.dependencia.group_email} no existe en el "
                "directorio; créelo o corrija el mapeo de dependencias",
            )
        )
    for text in person.extra_groups:
        email = _resolve_group(text, domain, mapping)
        if email not in groups:
            errors.append(
                RowError(person.row, header, f"el grupo «{text}» no existe en el directorio")
            )
        elif email not in wanted:
            wanted.append(email)
    return wanted, errors


def plan_form(
    ws: Workspace,
    form: FilledForm,
    *,
    mapping: DependenciaMap | None = None,
    rule: NamingRule | None = None,
    domain: str | None = None,
    clock: Callable[[], datetime] | None = None,
    snapshot: DirectorySnapshot | None = None,
) -> Plan:
    """Validate ``form`` and compare it with the directory. Changes nothing."""
    deps = mapping or DependenciaMap.load()
    dom = (domain or ws.settings.primary_domain).lower()
    own = tuple(d.name for d in ws.settings.domains)
    results = validate_form(form, deps, own_domains=own)
    if snapshot is None:
        base = DirectorySnapshot.read(ws)
        index = base.by_document()
        existing = [
            index[r.person.document_id][0].primary_email
            for r in results
            if r.person is not None and len(index.get(r.person.document_id, [])) == 1
        ]
        snapshot = DirectorySnapshot(base.users, base.groups, _read_memberships(ws, existing))
    return build_plan(form, results, snapshot, deps, rule or NamingRule(), dom, clock)


def _read_memberships(ws: Workspace, addresses: Iterable[str]) -> dict[str, frozenset[str]]:
    return {
        a: frozenset(g.email.lower() for g in ws.directory.groups_list(user_key=a))
        for a in addresses
    }


def build_plan(
    form: FilledForm,
    results: tuple[RowResult, ...],
    snapshot: DirectorySnapshot,
    mapping: DependenciaMap,
    rule: NamingRule,
    domain: str,
    clock: Callable[[], datetime] | None = None,
) -> Plan:
    """The plan of validated ``results`` against ``snapshot`` (pure: no calls)."""
    index = snapshot.by_document()
    taken = snapshot.taken()
    groups_header = form.header("grupos")
    alias_header = form.header("alias")
    new_people = [
        (str(r.row), r.person.given_names, r.person.family_names)
        for r in results
        if r.person is not None and r.person.document_id not in index
    ]
    addresses = assign_addresses(new_people, domain, taken, rule)
    items: list[PlanItem] = []
    for r in results:
        if r.person is None:
            items.append(PlanItem(r.row, r.document_id, r.name, "", "invalid", errors=r.errors))
            continue
        p = r.person
        matches = index.get(p.document_id, [])
        if len(matches) > 1:
            listed = ", ".join(u.primary_email for u in matches)
            err = RowError(
                p.row,
                form.header("documento"),
                f"el documento {p.document_id} ya figura en {len(matches)} cuentas ({listed}); "
                "resuelva el duplicado en el directorio antes de continuar",
            )
            items.append(PlanItem(p.row, p.document_id, p.full_name, "", "invalid", errors=(err,)))
            continue
        wanted_groups, errors = _wanted(p, domain, mapping, snapshot.groups, groups_header)
        account = matches[0] if matches else None
        address = account.primary_email if account else addresses[str(p.row)]
        own_aliases = set(account.aliases) if account else set()
        aliases: list[str] = []
        for a in p.aliases:
            full = a if "@" in a else f"{a}@{domain}"
            if full in own_aliases:
                continue
            if full in taken or full == address or full in aliases:
                if full != address:
                    errors.append(RowError(p.row, alias_header, f"el alias {full} ya está en uso"))
                continue
            aliases.append(full)
        if errors:
            items.append(
                PlanItem(
                    p.row, p.document_id, p.full_name, address, "invalid", errors=tuple(errors)
                )
            )
            continue
        doc = p.document_id
        if account is None:
            steps = [
                Step("create", address, p.dependencia.org_unit_path, doc, user_body(p, address))
            ]
            steps += [Step("add_group", address, g, doc) for g in wanted_groups]
            steps += [Step("add_alias", address, a, doc) for a in aliases]
            reasons = [f"no hay ninguna cuenta con el documento {doc}"]
            if address.partition("@")[0] not in rule.candidates(p.given_names, p.family_names)[:1]:
                reasons.append("la dirección base ya estaba en uso: se eligió otra")
            items.append(
                PlanItem(p.row, doc, p.full_name, address, "create", tuple(steps), tuple(reasons))
            )
            continue
        steps = []
        reasons = [f"ya existe la cuenta {address} con el documento {doc}"]
        if account.org_unit_path != p.dependencia.org_unit_path:
            steps.append(Step("move_ou", address, p.dependencia.org_unit_path, doc))
            reasons.append(f"está en {account.org_unit_path}")
        current = snapshot.memberships.get(address, frozenset())
        missing = [g for g in wanted_groups if g not in current]
        steps += [Step("add_group", address, g, doc) for g in missing]
        steps += [Step("add_alias", address, a, doc) for a in aliases]
        if account.suspended:
            reasons.append("la cuenta está suspendida: reactívela aparte si corresponde")
        action: Action = "update" if steps else "none"
        if not steps:
            reasons.append("ya está al día")
        items.append(
            PlanItem(p.row, doc, p.full_name, address, action, tuple(steps), tuple(reasons))
        )
    now = (clock or (lambda: datetime.now(UTC)))()
    return Plan(
        batch_id=f"formato-{form.fingerprint}",
        title=f"Creación de usuarios desde {form.source}",
        domain=domain,
        items=tuple(items),
        created_at=now,
        source=form.source,
    )
