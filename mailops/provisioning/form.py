"""The "Formato de Creación de Usuarios": its columns, the template, and reading filled forms.

A filled form arrives as an Excel workbook (``.xlsx``) or as a CSV file the way Excel in
Colombia saves it: UTF-8 (with or without BOM) or Windows-1252, separated by ``;`` or ``,``.
Reading keeps every cell as text and remembers the spreadsheet row number and the header as
written, so that validation can say "fila 7, columna «Fecha de fin»".

Example::

    form = read_form("notebooks/formatos/formato_creacion_usuarios.csv")
    form.rows[0].number, form.rows[0].get("documento")
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mailops.errors import InputError
from mailops.folding import fold as normalize_text

__all__ = ["COLUMNS", "Column", "FilledForm", "FormRow", "normalize_text", "read_form"]


@dataclass(frozen=True)
class Column:
    """One column of the form: its key, the header printed on the template, and its help."""

    key: str
    header: str
    required: bool
    help: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("nombres", "Nombres", True, "Nombres completos, como en el documento."),
    Column("apellidos", "Apellidos", True, "Primer y segundo apellido."),
    Column(
        "documento",
        "Documento de identidad",
        True,
        "Número de cédula (sin puntos). Identifica a la persona: nunca se crean dos cuentas "
        "para el mismo documento.",
        ("documento", "cedula", "numero de documento", "cc"),
    ),
    Column("dependencia", "Dependencia", True, "Nombre o código de la dependencia."),
    Column("cargo", "Cargo", True, "Cargo o perfil del contrato."),
    Column(
        "vinculacion",
        "Tipo de vinculación",
        True,
        "planta, provisional, libre nombramiento, contratista o pasante.",
        ("vinculacion", "tipo vinculacion"),
    ),
    Column(
        "fecha_inicio",
        "Fecha de inicio",
        True,
        "DD/MM/AAAA.",
        ("inicio",),
    ),
    Column(
        "fecha_fin",
        "Fecha de fin",
        False,
        "DD/MM/AAAA. Obligatoria para contratistas y pasantes.",
        ("fin", "fecha de terminacion"),
    ),
    Column(
        "correo_personal",
        "Correo personal",
        False,
        "Recibe la contraseña inicial y sirve de correo de recuperación.",
        ("correo alterno",),
    ),
    Column(
        "telefono",
        "Teléfono",
        False,
        "Celular de 10 dígitos (3001234567) o fijo con indicativo (6018795000).",
        ("celular", "telefono celular"),
    ),
    Column(
        "grupos",
        "Grupos adicionales",
        False,
        "Correos o nombres de grupos, separados por coma.",
        ("grupos",),
    ),
    Column(
        "alias",
        "Alias",
        False,
        "Direcciones adicionales (opcional), separadas por coma.",
        ("alias adicionales",),
    ),
    Column("solicitado_por", "Solicitado por", True, "Quien solicita (jefe de la dependencia)."),
    Column("aprobado_por", "Aprobado por", True, "Quien aprueba. Sin aprobación no se crea."),
)

_BY_KEY = {c.key: c for c in COLUMNS}


_HEADER_INDEX: dict[str, str] = {}
for _c in COLUMNS:
    for _name in (_c.key, _c.header, *_c.aliases):
        _HEADER_INDEX[normalize_text(_name)] = _c.key


@dataclass(frozen=True)
class FormRow:
    """One filled row: its spreadsheet row ``number`` and its cells by column key."""

    number: int
    values: Mapping[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass(frozen=True)
class FilledForm:
    """A filled form: where it came from, the headers as written, and its non-empty rows."""

    source: str
    rows: tuple[FormRow, ...]
    headers: Mapping[str, str] = field(default_factory=dict)

    def header(self, key: str) -> str:
        """The column's header as written in this form (the template's when absent)."""
        return self.headers.get(key) or _BY_KEY[key].header

    @property
    def fingerprint(self) -> str:
        """A short hash of the rows' content: the same form gives the same batch id."""
        data = [[r.number, sorted(r.values.items())] for r in self.rows]
        blob = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()[:12]

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, str]], source: str = "") -> FilledForm:
        """A form from dicts keyed by column key (rows numbered from 2, as under a header)."""
        rows = tuple(
            FormRow(n, {k: str(v).strip() for k, v in rec.items() if k in _BY_KEY})
            for n, rec in enumerate(records, start=2)
        )
        return cls(source or "(formulario en memoria)", rows)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _from_table(table: Sequence[Sequence[Any]], source: str) -> FilledForm:
    header_at = -1
    mapping: dict[int, str] = {}
    for i, line in enumerate(table[:10]):
        found = {
            j: _HEADER_INDEX[normalize_text(_cell_text(v))]
            for j, v in enumerate(line)
            if normalize_text(_cell_text(v)) in _HEADER_INDEX
        }
        if len(found) >= 3:
            header_at, mapping = i, found
            break
    if header_at < 0:
        raise InputError(
            "no se encontró la fila de encabezados del formato (Nombres, Apellidos, Documento "
            "de identidad, ...) en las primeras 10 filas; use la plantilla "
            "notebooks/formatos/formato_creacion_usuarios.xlsx",
            where=source,
        )
    present = set(mapping.values())
    missing = [c.header for c in COLUMNS if c.required and c.key not in present]
    if missing:
        raise InputError(
            f"faltan columnas obligatorias: {', '.join(missing)}; use la plantilla del formato",
            where=source,
        )
    headers = {key: _cell_text(table[header_at][j]) for j, key in mapping.items()}
    rows: list[FormRow] = []
    for i, line in enumerate(table[header_at + 1 :], start=header_at + 2):
        values = {key: _cell_text(line[j]) if j < len(line) else "" for j, key in mapping.items()}
        if any(values.values()):
            rows.append(FormRow(i, values))
    return FilledForm(source, tuple(rows), headers)


def _decode(data: bytes, source: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel "CSV (delimitado por comas)" in Spanish Windows writes Windows-1252
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes, source: str) -> FilledForm:
    text = _decode(data, source)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _from_table(table, source)


def _read_xlsx(path: Path, source: str) -> FilledForm:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(
            f"no se pudo abrir el libro de Excel ({type(exc).__name__}); guárdelo de nuevo "
            "como .xlsx",
            where=source,
        ) from exc
    try:
        sheet = book.active
        for ws in book.worksheets:
            if normalize_text(ws.title).startswith("formato"):
                sheet = ws
                break
        if sheet is None:
            raise InputError("el libro no tiene hojas", where=source)
        table = [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _from_table(table, source)


def read_form(path: str | Path) -> FilledForm:
    """Read a filled form (.xlsx, or .csv in UTF-8/Windows-1252 with ``;`` or ``,``).

    Raises ``InputError`` naming the file when it cannot be read or lacks required columns.
    """
    p = Path(path)
    source = p.name
    if not p.is_file():
        raise InputError("no existe el archivo del formato; revise la ruta", where=str(p))
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(p, source)
    if suffix in (".csv", ".txt"):
        return _read_csv(p.read_bytes(), source)
    raise InputError(
        f"formato de archivo no soportado «{p.suffix}»; use .xlsx o .csv", where=str(p)
    )
