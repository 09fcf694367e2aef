"""The demo domain: "Alcaldía Municipal de Cajicá" on ``cajica.example`` (deterministic).

``mailops/data/dependencias.json`` lists the municipality's dependencias with their org unit and
group (``mailops.dependencias``, also the default mapping of user provisioning). ``nombres.json`` holds the names the ~300 fictional people are drawn
from with a seeded ``random.Random``; dates are relative to the emulator's clock, so a fixed
clock gives byte-identical state.

Addresses are ``nombre.apellido@dominio`` with accents removed (María Muñoz -> maria.munoz);
a collision takes the second surname (``maria.munoz.pena``), then a number (``maria.munoz2``).
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

from mailops.dependencias import Dependencia, DependenciaMap
from mailops.emulator.context import SeedKind
from mailops.emulator.directory.model import DirectoryModel
from mailops.errors import DefinitionError
from mailops.folding import slug as transliterate

__all__ = [
    "CUSTOMER_ID",
    "GEL_DOMAIN",
    "PRIMARY_DOMAIN",
    "Dependencia",
    "load_dependencias",
    "seed_directory",
    "transliterate",
]

CUSTOMER_ID = "C03cajica"
PRIMARY_DOMAIN = "cajica.example"
GEL_DOMAIN = "cajica.gov.example"
ADMIN_EMAIL = f"admin@{PRIMARY_DOMAIN}"
_RANDOM_SEED = 20260101

# People per dependencia (codigo -> count); with the administrator that makes 300 users.
_SIZES = {
    "despacho": 10,
    "gobierno": 28,
    "hacienda": 30,
    "planeacion": 22,
    "educacion": 35,
    "salud": 30,
    "desarrollo.social": 28,
    "obras": 22,
    "ambiente": 16,
    "movilidad": 20,
    "general": 24,
    "tics": 12,
    "control.interno": 8,
    "juridica": 14,
}
# Functional aliases given to the head of some dependencias.
_HEAD_ALIASES = {
    "despacho": "alcalde",
    "hacienda": "tesoreria",
    "gobierno": "inspeccion",
    "planeacion": "sisben",
    "salud": "vigilancia.salud",
    "juridica": "notificaciones.judiciales",
    "general": "pqrs",
}
_TITLES = (
    "Profesional universitario",
    "Profesional especializado",
    "Técnico administrativo",
    "Auxiliar administrativo",
    "Secretario ejecutivo",
    "Técnico operativo",
    "Contratista de apoyo a la gestión",
)


def _data(name: str) -> Any:
    return json.loads(resources.files("mailops.emulator").joinpath("data", name).read_text("utf-8"))


def load_dependencias() -> tuple[Dependencia, ...]:
    """The dependencias of the demo municipality (``mailops/data/dependencias.json``)."""
    return DependenciaMap.load().dependencias


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def _customer(model: DirectoryModel, now: datetime) -> None:
    conn = model.db
    model.create_customer(
        conn,
        CUSTOMER_ID,
        {
            "alternateEmail": "tics.cajica@example.org",
            "phoneNumber": "+576018795356",
            "language": "es-419",
            "postalAddress": {
                "contactName": "Dirección TICS-CTEI",
                "organizationName": "Alcaldía Municipal de Cajicá",
                "addressLine1": "Calle 2 # 4-07",
                "locality": "Cajicá",
                "region": "Cundinamarca",
                "postalCode": "250240",
                "countryCode": "CO",
            },
        },
        now - timedelta(days=3 * 365 + 30),
    )
    model.add_domain(
        conn,
        PRIMARY_DOMAIN,
        primary=True,
        verified=True,
        created=now - timedelta(days=3 * 365 + 30),
    )
    model.add_domain(
        conn, GEL_DOMAIN, primary=False, verified=True, created=now - timedelta(days=3 * 365)
    )
    model.ensure_root_ou(conn, "Alcaldía Municipal de Cajicá")


def _person(rng: random.Random, names: dict[str, Any]) -> tuple[str, str, str, str]:
    female = rng.random() < 0.52
    first = rng.choice(names["nombres_femeninos" if female else "nombres_masculinos"])
    given = first
    if rng.random() < 0.4:
        second = rng.choice(
            names["segundos_nombres_femeninos" if female else "segundos_nombres_masculinos"]
        )
        if second != first:
            given = f"{first} {second}"
    surname1, surname2 = rng.sample(names["apellidos"], 2)
    return first, given, surname1, surname2


def _address(first: str, s1: str, s2: str, domain: str, taken: set[str]) -> str:
    base = f"{transliterate(first)}.{transliterate(s1)}"
    candidates = [base, f"{base}.{transliterate(s2)}"]
    candidates += [f"{base}{n}" for n in range(2, 100)]
    for local in candidates:
        email = f"{local}@{domain}"
        if email not in taken:
            taken.add(email)
            return email
    raise DefinitionError(f"no quedan direcciones libres para {base}")


def seed_directory(model: DirectoryModel, kind: SeedKind) -> None:
    """Fill the Directory tables: customer and domains always; the demo municipality on "demo"."""
    now = model.now()
    with model.store.write():
        _customer(model, now)
        if kind == "demo":
            _demo(model, now)


def _demo(model: DirectoryModel, now: datetime) -> None:
    rng = random.Random(_RANDOM_SEED)
    names = _data("nombres.json")
    deps = load_dependencias()
    for dep in deps:
        model.orgunits_insert(
            CUSTOMER_ID,
            {
                "name": dep.org_unit_path.strip("/"),
                "parentOrgUnitPath": "/",
                "description": f"Unidad organizativa de la {dep.nombre}",
            },
        )
    taken: set[str] = {ADMIN_EMAIL}
    documents: set[str] = set()
    model.users_insert(
        {
            "primaryEmail": ADMIN_EMAIL,
            "name": {"givenName": "Administrador", "familyName": "Correo TICS"},
            "password": _sha1("admin-demo"),
            "hashFunction": "SHA-1",
            "orgUnitPath": "/Dirección TICS-CTEI",
            "organizations": [
                {
                    "department": "Dirección TICS-CTEI",
                    "title": "Administrador de Google Workspace",
                    "primary": True,
                }
            ],
            "externalIds": [{"type": "organization", "value": "1000000001"}],
            "customSchemas": {
                "Vinculacion": {
                    "tipo": "planta",
                    "fecha_inicio": (now - timedelta(days=1095)).date().isoformat(),
                }
            },
        },
        created=now - timedelta(days=1095),
    )
    model.users_make_admin(ADMIN_EMAIL, {"status": True})
    members: dict[str, list[tuple[str, str]]] = {}
    for dep in deps:
        group = members.setdefault(dep.codigo, [])
        for index in range(_SIZES.get(dep.codigo, 10)):
            first, given, s1, s2 = _person(rng, names)
            domain = GEL_DOMAIN if rng.random() < 0.1 else PRIMARY_DOMAIN
            email = _address(first, s1, s2, domain, taken)
            head = index == 0
            days_ago = rng.uniform(1, 3 * 365)
            created = now - timedelta(days=days_ago, seconds=rng.randint(0, 86_399))
            tipo = (
                "planta"
                if head
                else rng.choices(["planta", "contratista", "pasante"], weights=[60, 33, 7])[0]
            )
            vinculacion = {"tipo": tipo, "fecha_inicio": created.date().isoformat()}
            if tipo == "contratista":
                vinculacion["fecha_fin"] = (
                    (created + timedelta(days=rng.choice([180, 270, 330]))).date().isoformat()
                )
            document = str(rng.randint(10_000_000, 1_099_999_999))
            while document in documents:
                document = str(rng.randint(10_000_000, 1_099_999_999))
            documents.add(document)
            title = (
                f"Jefe de {dep.nombre}"
                if head
                else "Contratista de apoyo a la gestión"
                if tipo == "contratista"
                else "Pasante"
                if tipo == "pasante"
                else rng.choice(_TITLES[:-1])
            )
            body: dict[str, Any] = {
                "primaryEmail": email,
                "name": {"givenName": given, "familyName": f"{s1} {s2}"},
                "password": _sha1(f"demo:{email}"),
                "hashFunction": "SHA-1",
                "orgUnitPath": dep.org_unit_path,
                "suspended": (not head) and rng.random() < 0.05,
                "organizations": [
                    {
                        "department": dep.nombre,
                        "title": title,
                        "primary": True,
                        "name": "Alcaldía Municipal de Cajicá",
                    }
                ],
                "externalIds": [{"type": "organization", "value": document}],
                "customSchemas": {"Vinculacion": vinculacion},
            }
            if rng.random() < 0.3:
                body["recoveryPhone"] = f"+573{rng.randint(100_000_000, 229_999_999)}"
            model.users_insert(body, created=created)
            if head and dep.codigo in _HEAD_ALIASES:
                model.users_aliases_insert(
                    email, {"alias": f"{_HEAD_ALIASES[dep.codigo]}@{PRIMARY_DOMAIN}"}
                )
            group.append((email, "OWNER" if head else "MEMBER"))
    todos = model.groups_insert(
        {
            "email": f"todos@{PRIMARY_DOMAIN}",
            "name": "Todos los servidores públicos",
            "description": "Todas las dependencias de la Alcaldía Municipal de Cajicá",
        }
    )
    model.members_insert(todos["id"], {"email": ADMIN_EMAIL, "role": "OWNER"})
    for dep in deps:
        created_group = model.groups_insert(
            {
                "email": dep.group_email,
                "name": dep.group_name,
                "description": f"Grupo de correo de la {dep.nombre}",
            }
        )
        for email, role in members[dep.codigo]:
            model.members_insert(created_group["id"], {"email": email, "role": role})
        model.members_insert(todos["id"], {"email": dep.group_email, "role": "MEMBER"})
    model.groups_aliases_insert(
        f"general@{PRIMARY_DOMAIN}", {"alias": f"contactenos@{PRIMARY_DOMAIN}"}
    )
