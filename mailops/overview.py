"""A short picture of a Workspace domain: users per dependencia, groups, org units.

Fetched through the library (``mailops.workspace``) so it reads the emulator and Google alike::

    with connect() as ws:
        text = domain_overview(ws).as_text()
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mailops.workspace import Workspace

__all__ = ["DomainOverview", "domain_overview"]


@dataclass(frozen=True)
class DomainOverview:
    organization: str
    customer_id: str
    domains: tuple[tuple[str, str], ...]  # (name, Spanish description of its origin)
    users: int
    suspended: int
    admins: int
    by_dependencia: pd.DataFrame  # dependencia, unidad_organizativa, usuarios, activos, suspendidos
    groups: pd.DataFrame  # correo, nombre, miembros
    org_units: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "organizacion": self.organization,
            "cliente": self.customer_id,
            "dominios": [{"dominio": n, "origen": o} for n, o in self.domains],
            "usuarios": self.users,
            "suspendidos": self.suspended,
            "administradores": self.admins,
            "por_dependencia": self.by_dependencia.to_dict(orient="records"),
            "grupos": self.groups.to_dict(orient="records"),
            "unidades_organizativas": list(self.org_units),
        }

    def as_text(self) -> str:
        lines = [
            f"{self.organization} (cliente {self.customer_id})",
            "Dominios:",
            *(f"  - {n}: {o}" for n, o in self.domains),
            f"Usuarios: {self.users} · suspendidos: {self.suspended} · administradores: {self.admins}",
            "",
            "Usuarios por dependencia:",
        ]
        width = max((len(str(d)) for d in self.by_dependencia["dependencia"]), default=10)
        for row in self.by_dependencia.itertuples(index=False):
            lines.append(
                f"  {row.dependencia:<{width}}  {row.usuarios:>4}  ({row.suspendidos} suspendidos)"
            )
        lines += ["", f"Grupos ({len(self.groups)}):"]
        for g in self.groups.itertuples(index=False):
            lines.append(f"  {g.correo:<40} {g.miembros:>4} miembros  {g.nombre}")
        lines += ["", f"Unidades organizativas ({len(self.org_units)}):"]
        lines += [f"  {p}" for p in self.org_units]
        return "\n".join(lines)


def domain_overview(ws: Workspace) -> DomainOverview:
    """Read the domain's customer, domains, users, groups and org units."""
    d = ws.directory
    customer = d.customer_get()
    users = d.users_list()
    groups = d.groups_list()
    org_units = sorted(o.path for o in d.orgunits_list())
    origins = {dom.name: dom.origin_label for dom in ws.settings.domains}
    domains = tuple(
        (
            x.name,
            origins.get(x.name, "dominio sin origen configurado")
            + (" (principal)" if x.is_primary else ""),
        )
        for x in d.domains_list()
    )
    total: Counter[tuple[str, str]] = Counter()
    susp: Counter[tuple[str, str]] = Counter()
    for u in users:
        key = (u.department or "(sin dependencia)", u.org_unit_path)
        total[key] += 1
        susp[key] += u.suspended
    by_dep = pd.DataFrame(
        [
            {
                "dependencia": dep,
                "unidad_organizativa": ou,
                "usuarios": n,
                "activos": n - susp[(dep, ou)],
                "suspendidos": susp[(dep, ou)],
            }
            for (dep, ou), n in sorted(total.items())
        ],
        columns=["dependencia", "unidad_organizativa", "usuarios", "activos", "suspendidos"],
    )
    group_frame = pd.DataFrame(
        [{"correo": g.email, "nombre": g.name, "miembros": g.direct_members_count} for g in groups],
        columns=["correo", "nombre", "miembros"],
    )
    return DomainOverview(
        organization=customer.organization or customer.domain,
        customer_id=customer.id,
        domains=domains,
        users=len(users),
        suspended=sum(u.suspended for u in users),
        admins=sum(u.is_admin for u in users),
        by_dependencia=by_dep,
        groups=group_frame,
        org_units=tuple(org_units),
    )
