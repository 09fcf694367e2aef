"""The everyday actions on existing accounts, each planned and applied like a form.

Suspend and restore, reset password, add and remove aliases, move to another unit, add to
and remove from groups, and offboarding (suspend, remove from every group, keep the mailbox).
Each ``plan_*`` function reads the directory and returns a ``Plan`` (nothing changes); apply
it with ``apply_plan``. Accounts already in the wanted state get action ``none``.

Example::

    plan = plan_suspend(ws, ["ana.perez@cajica.example"])
    summary = plan.text()
    apply_plan(ws, plan)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from mailops.errors import InputError
from mailops.provisioning.changes import Plan, PlanItem, Step, StepKind
from mailops.provisioning.validation import RowError
from mailops.workspace import User, Workspace

__all__ = [
    "plan_add_alias",
    "plan_add_to_group",
    "plan_move_ou",
    "plan_offboarding",
    "plan_remove_alias",
    "plan_remove_from_group",
    "plan_reset_password",
    "plan_restore",
    "plan_suspend",
]

Decide = Callable[[Workspace, User], tuple[list[Step], list[str]]]


def _users(value: str | Sequence[str]) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    out = [u.strip().lower() for u in items if u and u.strip()]
    if not out:
        raise InputError("indique al menos una cuenta (correo)", where="usuarios")
    return list(dict.fromkeys(out))


def _plan(
    ws: Workspace,
    kind: str,
    title: str,
    users: str | Sequence[str],
    decide: Decide,
    clock: Callable[[], datetime] | None,
    extra: str = "",
) -> Plan:
    now = (clock or (lambda: datetime.now(UTC)))()
    items: list[PlanItem] = []
    keys = _users(users)
    for key in keys:
        user = ws.directory.users_find(key)
        if user is None:
            err = RowError(0, key, "la cuenta no existe en el directorio; revise la dirección")
            items.append(PlanItem(None, "", "", key, "invalid", errors=(err,)))
            continue
        steps, reasons = decide(ws, user)
        items.append(
            PlanItem(
                None,
                user.document_id,
                user.full_name,
                user.primary_email,
                "update" if steps else "none",
                tuple(steps),
                tuple(reasons),
            )
        )
    digest = hashlib.sha256("|".join([*keys, extra]).encode()).hexdigest()[:8]
    return Plan(
        batch_id=f"{kind}-{now:%Y%m%dT%H%M%S}-{digest}",
        title=title,
        domain=ws.settings.primary_domain,
        items=tuple(items),
        created_at=now,
    )


def _step(kind: StepKind, user: User, target: str = "") -> Step:
    return Step(kind, user.primary_email, target, user.document_id)


def plan_suspend(
    ws: Workspace, users: str | Sequence[str], *, clock: Callable[[], datetime] | None = None
) -> Plan:
    """Suspend accounts (the mailbox is kept)."""

    def decide(_: Workspace, u: User) -> tuple[list[Step], list[str]]:
        if u.suspended:
            return [], ["ya está suspendida"]
        return [_step("suspend", u)], ["está activa"]

    return _plan(ws, "suspender", "Suspensión de cuentas", users, decide, clock)


def plan_restore(
    ws: Workspace, users: str | Sequence[str], *, clock: Callable[[], datetime] | None = None
) -> Plan:
    """Reactivate suspended accounts."""

    def decide(_: Workspace, u: User) -> tuple[list[Step], list[str]]:
        if not u.suspended:
            return [], ["ya está activa"]
        return [_step("restore", u)], ["está suspendida"]

    return _plan(ws, "reactivar", "Reactivación de cuentas", users, decide, clock)


def plan_reset_password(
    ws: Workspace, users: str | Sequence[str], *, clock: Callable[[], datetime] | None = None
) -> Plan:
    """New initial passwords (sealed file), with change at next login."""

    def decide(_: Workspace, u: User) -> tuple[list[Step], list[str]]:
        return [_step("reset_password", u)], ["solicitado por el operador"]

    return _plan(ws, "contrasena", "Restablecimiento de contraseñas", users, decide, clock)


def _full_alias(alias: str, domain: str) -> str:
    a = alias.strip().lower()
    return a if "@" in a else f"{a}@{domain}"


def plan_add_alias(
    ws: Workspace,
    user: str,
    aliases: str | Sequence[str],
    *,
    clock: Callable[[], datetime] | None = None,
) -> Plan:
    """Add aliases (local parts take the primary domain) to one account."""
    wanted = [_full_alias(a, ws.settings.primary_domain) for a in _users(aliases)]

    def decide(w: Workspace, u: User) -> tuple[list[Step], list[str]]:
        steps, reasons = [], []
        for a in wanted:
            if a in u.aliases:
                reasons.append(f"el alias {a} ya es suyo")
                continue
            other = w.directory.users_find(a)
            if other is not None:
                raise InputError(f"el alias {a} ya es de {other.primary_email}", where=a)
            steps.append(_step("add_alias", u, a))
        return steps, reasons

    return _plan(ws, "alias", "Agregar alias", user, decide, clock, ",".join(wanted))


def plan_remove_alias(
    ws: Workspace,
    user: str,
    aliases: str | Sequence[str],
    *,
    clock: Callable[[], datetime] | None = None,
) -> Plan:
    """Remove aliases from one account."""
    wanted = [_full_alias(a, ws.settings.primary_domain) for a in _users(aliases)]

    def decide(_: Workspace, u: User) -> tuple[list[Step], list[str]]:
        steps = [_step("remove_alias", u, a) for a in wanted if a in u.aliases]
        reasons = [f"el alias {a} no es suyo" for a in wanted if a not in u.aliases]
        return steps, reasons

    return _plan(ws, "quitar-alias", "Quitar alias", user, decide, clock, ",".join(wanted))


def plan_move_ou(
    ws: Workspace,
    users: str | Sequence[str],
    org_unit: str,
    *,
    clock: Callable[[], datetime] | None = None,
) -> Plan:
    """Move accounts to another organisational unit (which must exist)."""
    known = {o.path for o in ws.directory.orgunits_list()} | {"/"}
    if org_unit not in known:
        raise InputError(
            f"la unidad organizativa «{org_unit}» no existe; use una de: "
            f"{', '.join(sorted(known))}",
            where="unidad organizativa",
        )

    def decide(_: Workspace, u: User) -> tuple[list[Step], list[str]]:
        if u.org_unit_path == org_unit:
            return [], [f"ya está en {org_unit}"]
        return [_step("move_ou", u, org_unit)], [f"está en {u.org_unit_path}"]

    return _plan(ws, "mover", f"Mover a {org_unit}", users, decide, clock, org_unit)


def _group(ws: Workspace, group: str) -> str:
    g = _full_alias(group, ws.settings.primary_domain)
    if g not in {x.email.lower() for x in ws.directory.groups_list()}:
        raise InputError(f"el grupo {g} no existe en el directorio", where="grupo")
    return g


def plan_add_to_group(
    ws: Workspace,
    users: str | Sequence[str],
    group: str,
    *,
    clock: Callable[[], datetime] | None = None,
) -> Plan:
    """Add accounts to a group."""
    g = _group(ws, group)

    def decide(w: Workspace, u: User) -> tuple[list[Step], list[str]]:
        if w.directory.members_has_member(g, u.primary_email):
            return [], [f"ya es miembro de {g}"]
        return [_step("add_group", u, g)], [f"no es miembro de {g}"]

    return _plan(ws, "grupo", f"Agregar al grupo {g}", users, decide, clock, g)


def plan_remove_from_group(
    ws: Workspace,
    users: str | Sequence[str],
    group: str,
    *,
    clock: Callable[[], datetime] | None = None,
) -> Plan:
    """Remove accounts from a group."""
    g = _group(ws, group)

    def decide(w: Workspace, u: User) -> tuple[list[Step], list[str]]:
        if not w.directory.members_has_member(g, u.primary_email):
            return [], [f"no es miembro de {g}"]
        return [_step("remove_group", u, g)], [f"es miembro de {g}"]

    return _plan(ws, "quitar-grupo", f"Retirar del grupo {g}", users, decide, clock, g)


def plan_offboarding(
    ws: Workspace, users: str | Sequence[str], *, clock: Callable[[], datetime] | None = None
) -> Plan:
    """Offboarding: suspend and remove from every group; the mailbox and aliases are kept."""

    def decide(w: Workspace, u: User) -> tuple[list[Step], list[str]]:
        steps = [] if u.suspended else [_step("suspend", u)]
        groups = sorted(g.email.lower() for g in w.directory.groups_list(user_key=u.primary_email))
        steps += [_step("remove_group", u, g) for g in groups]
        reasons = ["se conserva el buzón y sus alias"]
        if u.suspended:
            reasons.append("ya está suspendida")
        return steps, reasons

    return _plan(ws, "retiro", "Retiro de personas (desvinculación)", users, decide, clock)
