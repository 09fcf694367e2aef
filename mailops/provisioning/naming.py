"""Institutional addresses from names: a configurable rule, transliteration, collisions.

The default rule is ``{nombre}.{apellido}`` (first given name, first surname). Accents and
``ñ`` are transliterated (``Muñoz`` → ``munoz``), characters Google rejects are removed, and the
local part is kept within Google's 64 characters. When an address is taken (by a user, an
alias or a group in the directory, or by an earlier row of the same form), the second surname
is added, then a number: ``ana.perez`` → ``ana.perez.gomez`` → ``ana.perez2`` → ... Rows are
named in form order, so the same form and directory always give the same addresses.

Placeholders: ``{nombre}`` first given name, ``{nombres}`` all given names, ``{inicial}`` its
first letter, ``{apellido}`` first surname, ``{apellido2}`` second surname (may be empty).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mailops.errors import InputError
from mailops.folding import slug

__all__ = ["DEFAULT_RULE", "NamingRule", "assign_addresses", "slug", "split_surnames"]

DEFAULT_RULE = "{nombre}.{apellido}"
MAX_LOCAL = 64
_PLACEHOLDERS = {"nombre", "nombres", "inicial", "apellido", "apellido2"}
# particles that belong to the surname that follows them: "de la Torre", "del Río"
_PARTICLES = {"de", "del", "la", "las", "los", "y", "san", "da", "van", "von"}


def split_surnames(family_names: str) -> tuple[str, str]:
    """(first surname, second surname), keeping particles with their surname."""
    words = family_names.split()
    groups: list[list[str]] = []
    current: list[str] = []
    for w in words:
        current.append(w)
        if w.lower() not in _PARTICLES:
            groups.append(current)
            current = []
    if current:
        if groups:
            groups[-1].extend(current)
        else:
            groups.append(current)
    first = " ".join(groups[0]) if groups else ""
    second = " ".join(" ".join(g) for g in groups[1:])
    return first, second


@dataclass(frozen=True)
class NamingRule:
    """How addresses are formed (see the module docstring)."""

    pattern: str = DEFAULT_RULE
    max_length: int = MAX_LOCAL

    def __post_init__(self) -> None:
        used = set(re.findall(r"{(\w+)}", self.pattern))
        unknown = used - _PLACEHOLDERS
        if unknown or not used & {"apellido", "nombre", "nombres", "inicial"}:
            raise InputError(
                f"regla de nombres inválida «{self.pattern}»; use marcadores "
                f"{', '.join('{' + p + '}' for p in sorted(_PLACEHOLDERS))}",
                where="regla de nombres",
            )
        if re.sub(r"{\w+}", "", self.pattern).strip(".-_") and not re.fullmatch(
            r"[a-z0-9._-]*", re.sub(r"{\w+}", "", self.pattern)
        ):
            raise InputError(
                f"la regla «{self.pattern}» tiene caracteres no permitidos fuera de los marcadores",
                where="regla de nombres",
            )
        if not 8 <= self.max_length <= MAX_LOCAL:
            raise InputError(
                f"la longitud máxima debe estar entre 8 y {MAX_LOCAL}", where="regla de nombres"
            )

    def parts(self, given_names: str, family_names: str) -> dict[str, str]:
        given = [slug(w) for w in given_names.split() if slug(w)]
        first, second = split_surnames(family_names)
        return {
            "nombre": given[0] if given else "",
            "nombres": ".".join(given),
            "inicial": given[0][:1] if given else "",
            "apellido": slug(first),
            "apellido2": slug(second),
        }

    def render(self, values: Mapping[str, str], *, room: int = 0) -> str:
        local = self.pattern.format(**values)
        local = re.sub(r"[^a-z0-9._-]", "", local)
        local = re.sub(r"([._-])[._-]+", r"\1", local).strip("._-")
        local = local[: self.max_length - room].rstrip("._-")
        return local

    def candidates(self, given_names: str, family_names: str) -> list[str]:
        """The local parts to try, in order, before numbering."""
        values = self.parts(given_names, family_names)
        out = [self.render(values)]
        if values["apellido2"]:
            both = dict(values, apellido=f"{values['apellido']}.{values['apellido2']}")
            out.append(self.render(both))
        return [c for i, c in enumerate(out) if c and c not in out[:i]]

    def numbered(self, given_names: str, family_names: str, n: int) -> str:
        values = self.parts(given_names, family_names)
        return f"{self.render(values, room=len(str(n)))}{n}"


def assign_addresses(
    people: Iterable[tuple[str, str, str]],
    domain: str,
    taken: Iterable[str],
    rule: NamingRule | None = None,
) -> dict[str, str]:
    """Addresses for ``(key, given names, family names)`` in order, avoiding ``taken``.

    ``taken`` holds every address in use (users, aliases, groups), any case. Returns key →
    address; addresses given to earlier people are taken for later ones.
    """
    r = rule or NamingRule()
    used = {t.lower() for t in taken}
    out: dict[str, str] = {}
    for key, given, family in people:
        chosen = ""
        for local in r.candidates(given, family):
            if f"{local}@{domain}" not in used:
                chosen = local
                break
        n = 2
        while not chosen:
            local = r.numbered(given, family, n)
            if f"{local}@{domain}" not in used:
                chosen = local
            n += 1
        if not chosen:
            raise InputError("no se pudo formar una dirección", where=key)
        address = f"{chosen}@{domain}"
        used.add(address)
        out[key] = address
    return out
