"""Row-by-row validation of a filled form, before anything changes.

Every problem is reported with its row and its column as written in the form, in Spanish;
valid rows become ``Person`` values that planning can use while invalid rows are reported.
Checks that need the directory (documento already used by several accounts, unknown
groups) are made when planning (see ``mailops.provisioning.plan``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from mailops.dependencias import Dependencia, DependenciaMap
from mailops.provisioning.form import FilledForm, FormRow, normalize_text

__all__ = [
    "VINCULACIONES",
    "Person",
    "RowError",
    "RowResult",
    "normalize_phone",
    "parse_date",
    "validate_form",
]

# canonical value -> accepted spellings (normalised)
VINCULACIONES: dict[str, tuple[str, ...]] = {
    "planta": ("planta", "carrera", "carrera administrativa"),
    "provisional": ("provisional",),
    "libre nombramiento": ("libre nombramiento", "libre nombramiento y remocion", "lnr"),
    "contratista": ("contratista", "contrato", "prestacion de servicios", "ops"),
    "pasante": ("pasante", "practicante", "judicante"),
}
NEEDS_END = ("contratista", "pasante")

_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,63}$")
_NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ' .-]+$")
_DOC = re.compile(r"^[0-9A-Za-z]{4,15}$")


@dataclass(frozen=True)
class RowError:
    """One problem of one row: ``row`` number, ``column`` header as written, Spanish text."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row <= 0:  # not from a form row (an action on an account)
            return f"{self.column}: {self.message}"
        return f"Fila {self.row}, columna «{self.column}»: {self.message}"


@dataclass(frozen=True)
class Person:
    """A valid row: who the account is for and what the office asked for."""

    row: int
    given_names: str
    family_names: str
    document_id: str
    dependencia: Dependencia
    title: str
    vinculacion: str
    start: date
    end: date | None
    personal_email: str | None
    phone: str | None
    extra_groups: tuple[str, ...]
    aliases: tuple[str, ...]
    requested_by: str
    approved_by: str

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}"


@dataclass(frozen=True)
class RowResult:
    """A row after validation: its ``person`` when valid, else its ``errors``."""

    row: int
    person: Person | None
    errors: tuple[RowError, ...]
    document_id: str = ""
    name: str = ""

    @property
    def ok(self) -> bool:
        return self.person is not None


def parse_date(text: str) -> date:
    """DD/MM/AAAA (also with ``-``), AAAA-MM-DD, or an Excel date already as ISO text."""
    t = text.strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%y"):
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    raise ValueError(t)


def normalize_phone(text: str) -> str:
    """E.164: Colombian mobiles (3xx) and landlines (60x) get +57; others must carry their +."""
    t = re.sub(r"[\s().-]", "", text)
    if t.startswith("+"):
        if re.fullmatch(r"\+[1-9][0-9]{7,14}", t):
            return t
        raise ValueError(text)
    if t.startswith("0057"):
        t = t[4:]
    elif t.startswith("57") and len(t) == 12:
        t = t[2:]
    if re.fullmatch(r"3[0-9]{9}|60[1-8][0-9]{7}", t):
        return f"+57{t}"
    raise ValueError(text)


def _split_list(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"[,;\n]", text) if p.strip())


def _validate_row(
    row: FormRow, form: FilledForm, mapping: DependenciaMap, own_domains: tuple[str, ...]
) -> RowResult:
    errors: list[RowError] = []

    def err(key: str, message: str) -> None:
        errors.append(RowError(row.number, form.header(key), message))

    def required(key: str) -> str:
        value = row.get(key).strip()
        if not value:
            err(key, "es obligatorio y está vacío")
        return value

    given = required("nombres")
    family = required("apellidos")
    for key, value in (("nombres", given), ("apellidos", family)):
        if value and not _NAME.match(value):
            err(key, f"«{value}» tiene caracteres que no son letras")
    raw_doc = required("documento")
    document = re.sub(r"[.\s-]", "", raw_doc)
    if raw_doc and not _DOC.match(document):
        err("documento", f"«{raw_doc}» no es un número de documento válido (4 a 15 dígitos)")
    dep_text = required("dependencia")
    dependencia = mapping.find(dep_text) if dep_text else None
    if dep_text and dependencia is None:
        err(
            "dependencia",
            f"la dependencia «{dep_text}» no existe; use una de: {', '.join(mapping.names)}",
        )
    title = required("cargo")
    vin_text = required("vinculacion")
    vinculacion = next(
        (k for k, names in VINCULACIONES.items() if normalize_text(vin_text) in names), None
    )
    if vin_text and vinculacion is None:
        err(
            "vinculacion",
            f"«{vin_text}» no es un tipo de vinculación conocido; use: {', '.join(VINCULACIONES)}",
        )
    start: date | None = None
    start_text = required("fecha_inicio")
    if start_text:
        try:
            start = parse_date(start_text)
        except ValueError:
            err("fecha_inicio", f"«{start_text}» no es una fecha válida (use DD/MM/AAAA)")
    end: date | None = None
    end_text = row.get("fecha_fin").strip()
    if end_text:
        try:
            end = parse_date(end_text)
        except ValueError:
            err("fecha_fin", f"«{end_text}» no es una fecha válida (use DD/MM/AAAA)")
    elif vinculacion in NEEDS_END:
        err("fecha_fin", f"es obligatoria para la vinculación «{vinculacion}»")
    if start and end and end < start:
        err(
            "fecha_fin",
            f"la fecha de fin {end:%d/%m/%Y} es anterior a la de inicio {start:%d/%m/%Y}",
        )
    personal = row.get("correo_personal").strip() or None
    if personal is not None:
        if not _EMAIL.match(personal):
            err("correo_personal", f"«{personal}» no es una dirección de correo válida")
        elif personal.rpartition("@")[2].lower() in own_domains:
            err(
                "correo_personal",
                f"«{personal}» es institucional; escriba un correo personal de la persona",
            )
        personal = personal.lower()
    phone_text = row.get("telefono").strip()
    phone: str | None = None
    if phone_text:
        try:
            phone = normalize_phone(phone_text)
        except ValueError:
            err(
                "telefono",
                f"«{phone_text}» no es un teléfono válido (celular de 10 dígitos, fijo con "
                "indicativo 60X, o internacional con +)",
            )
    requested = required("solicitado_por")
    approved = row.get("aprobado_por").strip()
    if not approved:
        err("aprobado_por", "la solicitud no está aprobada; sin aprobación no se crea la cuenta")
    aliases = tuple(a.lower() for a in _split_list(row.get("alias")))
    for alias in aliases:
        if "@" in alias and not _EMAIL.match(alias):
            err("alias", f"«{alias}» no es una dirección válida")
    groups = tuple(g.lower() for g in _split_list(row.get("grupos")))

    name = f"{given} {family}".strip()
    if errors or dependencia is None or vinculacion is None or start is None:
        return RowResult(row.number, None, tuple(errors), document, name)
    person = Person(
        row=row.number,
        given_names=" ".join(given.split()),
        family_names=" ".join(family.split()),
        document_id=document,
        dependencia=dependencia,
        title=title,
        vinculacion=vinculacion,
        start=start,
        end=end,
        personal_email=personal,
        phone=phone,
        extra_groups=groups,
        aliases=aliases,
        requested_by=requested,
        approved_by=approved,
    )
    return RowResult(row.number, person, (), document, name)


def validate_form(
    form: FilledForm, mapping: DependenciaMap, *, own_domains: Iterable[str] = ()
) -> tuple[RowResult, ...]:
    """Validate every row; a documento repeated in the form invalidates its later rows."""
    domains = tuple(d.lower() for d in own_domains)
    results = [_validate_row(r, form, mapping, domains) for r in form.rows]
    first_seen: dict[str, int] = {}
    out: list[RowResult] = []
    for res in results:
        doc = res.document_id
        if doc and doc in first_seen:
            dup = RowError(
                res.row,
                form.header("documento"),
                f"el documento {doc} ya aparece en la fila {first_seen[doc]}; "
                "una persona solo puede tener una cuenta",
            )
            res = RowResult(res.row, None, (*res.errors, dup), doc, res.name)
        elif doc:
            first_seen[doc] = res.row
        out.append(res)
    return tuple(out)
