"""The procedure as data: its activities, its flow, and the checks made when it is loaded.

The definition lives in a JSON file shipped with the package (``procedimiento_correo_v01.json``);
when the office revises the document, the file changes, not this code. Loading checks the flow
(every target exists, every decision has both answers, every activity is reachable from the first
and reaches the last) and raises :class:`ProcedureDefinitionError` naming the activity and the rule.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from mailops.errors import DefinitionError

__all__ = [
    "SHIPPED_DEFINITION",
    "Activity",
    "ActivityKind",
    "Approval",
    "ChangeRecord",
    "Procedure",
    "ProcedureDefinitionError",
    "load_procedure",
    "parse_procedure",
]

SHIPPED_DEFINITION = Path(__file__).with_name("procedimiento_correo_v01.json")
SCHEMA = "mailops.procedure/1"

ActivityKind = Literal["activity", "decision", "end"]
_KINDS: tuple[str, ...] = ("activity", "decision", "end")


class ProcedureDefinitionError(DefinitionError):
    """The procedure definition is inconsistent.

    ``activity`` is the culprit activity number (``None`` when the problem is not about one
    activity) and ``rule`` the short name of the broken rule (``destino-existente``,
    ``decision-completa``, ``alcanzable``, ``llega-al-fin`` ...).
    """

    def __init__(
        self, message: str, *, activity: int | None = None, rule: str, source: str | None = None
    ) -> None:
        self.activity = activity
        self.rule = rule
        self.source = source
        where = f"{source}: " if source else ""
        who = f"actividad {activity}: " if activity is not None else ""
        super().__init__(f"{where}{who}{message} (regla «{rule}»)")


@dataclass(frozen=True)
class Activity:
    """One row of the document's activity table, plus its place in the flow.

    ``description`` is the document's text, exactly as written; ``label`` a shorter text for the
    flowchart (the description when the data gives none). A decision has ``question``, ``yes`` and
    ``no`` (activity numbers) and ``next`` is ``None``; the end activity has neither.
    """

    number: int
    description: str
    dependencia: str
    role: str
    record: str
    notebook: str | None
    kind: ActivityKind
    next: int | None
    question: str | None
    yes: int | None
    no: int | None
    observation: str | None
    label: str
    yes_text: str | None = None
    no_text: str | None = None

    @property
    def is_decision(self) -> bool:
        return self.kind == "decision"

    @property
    def successors(self) -> tuple[int, ...]:
        """The activities that may follow this one (SI first for a decision)."""
        if self.kind == "decision":
            assert self.yes is not None and self.no is not None
            return (self.yes, self.no)
        return () if self.next is None else (self.next,)


@dataclass(frozen=True)
class ChangeRecord:
    """One row of the document's change-control table."""

    date: dt.date
    version: str
    change: str


@dataclass(frozen=True)
class Approval:
    """Who drew up, approved or adopted the document."""

    step: str
    name: str
    position: str


@dataclass(frozen=True)
class Procedure:
    """A validated procedure definition (build it with :func:`load_procedure`)."""

    code: str
    version: str
    date: dt.date
    title: str
    organization: str
    process: str
    responsible_role: str
    objective: str
    roles: tuple[str, ...]
    forms: tuple[str, ...]
    references: tuple[str, ...]
    definitions: Mapping[str, str]
    change_control: tuple[ChangeRecord, ...]
    approvals: tuple[Approval, ...]
    observations: tuple[str, ...]
    activities: Mapping[int, Activity]
    first: int
    last: int
    source: str

    def __hash__(self) -> int:
        return hash((self.code, self.version, self.source))

    def activity(self, number: int) -> Activity:
        """The activity ``number``; a :class:`ProcedureDefinitionError` if there is none."""
        try:
            return self.activities[number]
        except KeyError:
            raise ProcedureDefinitionError(
                f"no existe en el procedimiento {self.code} versión {self.version} "
                f"(hay actividades {self.first} a {self.last})",
                activity=number,
                rule="actividad-existente",
            ) from None

    def successors(self, number: int) -> tuple[int, ...]:
        """The activities allowed after ``number`` (empty for the last one)."""
        return self.activity(number).successors

    @property
    def decisions(self) -> tuple[Activity, ...]:
        return tuple(a for a in self.activities.values() if a.kind == "decision")

    @property
    def loop_edges(self) -> frozenset[tuple[int, int]]:
        """Edges that go back to an earlier activity (10 → 7, 12 → 9 in version 01)."""
        return frozenset(
            (a.number, t) for a in self.activities.values() for t in a.successors if t <= a.number
        )


def load_procedure(path: Path | None = None) -> Procedure:
    """Load and validate a procedure definition; ``None`` loads the shipped version 01.

    >>> proc = load_procedure()
    >>> proc.successors(2)
    (4, 3)
    """
    source = path if path is not None else SHIPPED_DEFINITION
    try:
        text = Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise ProcedureDefinitionError(
            f"no se pudo leer el archivo de definición del procedimiento ({exc.strerror}); "
            "verifique la ruta",
            rule="archivo-legible",
            source=str(source),
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProcedureDefinitionError(
            f"el archivo no es JSON válido (línea {exc.lineno}, columna {exc.colno}: {exc.msg})",
            rule="json-valido",
            source=str(source),
        ) from None
    return parse_procedure(data, source=str(source))


def parse_procedure(data: Any, *, source: str = "(definición en memoria)") -> Procedure:
    """Build and validate a :class:`Procedure` from already-parsed JSON data."""
    if isinstance(data, Procedure):
        return data
    reader = _Reader(source)
    if not isinstance(data, dict):
        raise reader.error("el contenido debe ser un objeto JSON", rule="esquema")
    if data.get("schema") != SCHEMA:
        raise reader.error(
            f"la clave «schema» debe ser «{SCHEMA}» (se encontró {data.get('schema')!r})",
            rule="esquema",
        )
    roles = tuple(reader.str_list(data, "roles"))
    raw_activities = data.get("activities")
    if not isinstance(raw_activities, list) or not raw_activities:
        raise reader.error("la clave «activities» debe ser una lista no vacía", rule="esquema")
    activities: dict[int, Activity] = {}
    for index, raw in enumerate(raw_activities, start=1):
        activity = reader.activity(raw, index, roles)
        if activity.number in activities:
            raise reader.error(
                "el número está repetido", activity=activity.number, rule="numero-unico"
            )
        activities[activity.number] = activity
    ordered = dict(sorted(activities.items()))
    first = min(ordered)
    ends = [a.number for a in ordered.values() if a.kind == "end"]
    if len(ends) != 1:
        raise reader.error(
            f"debe haber exactamente una actividad de tipo «end» y hay {len(ends)} "
            f"({', '.join(map(str, ends)) or 'ninguna'})",
            rule="fin-unico",
        )
    _check_flow(ordered, first, ends[0], reader)
    try:
        date = dt.date.fromisoformat(reader.text(data, "date"))
        changes = tuple(
            ChangeRecord(dt.date.fromisoformat(c["date"]), str(c["version"]), str(c["change"]))
            for c in data.get("change_control", [])
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise reader.error(
            f"fecha o control de cambios mal escrito ({exc}); use fechas AAAA-MM-DD",
            rule="esquema",
        ) from None
    approvals = tuple(
        Approval(str(a.get("step", "")), str(a.get("name", "")), str(a.get("position", "")))
        for a in data.get("approvals", [])
        if isinstance(a, dict)
    )
    definitions = data.get("definitions", {})
    if not isinstance(definitions, dict):
        raise reader.error("la clave «definitions» debe ser un objeto", rule="esquema")
    return Procedure(
        code=reader.text(data, "code"),
        version=reader.text(data, "version"),
        date=date,
        title=reader.text(data, "title"),
        organization=str(data.get("organization", "")),
        process=str(data.get("process", "")),
        responsible_role=reader.text(data, "responsible_role"),
        objective=str(data.get("objective", "")),
        roles=roles,
        forms=tuple(reader.str_list(data, "forms", required=False)),
        references=tuple(reader.str_list(data, "references", required=False)),
        definitions=MappingProxyType({str(k): str(v) for k, v in definitions.items()}),
        change_control=changes,
        approvals=approvals,
        observations=tuple(reader.str_list(data, "observations", required=False)),
        activities=MappingProxyType(ordered),
        first=first,
        last=ends[0],
        source=source,
    )


def _check_flow(activities: Mapping[int, Activity], first: int, last: int, reader: _Reader) -> None:
    for activity in activities.values():
        for answer, target in _targets(activity):
            if target not in activities:
                raise reader.error(
                    f"{answer} apunta a la actividad {target}, que no existe",
                    activity=activity.number,
                    rule="destino-existente",
                )
            if target == activity.number:
                raise reader.error(
                    f"{answer} apunta a la misma actividad",
                    activity=activity.number,
                    rule="sin-bucle-propio",
                )
        if activity.kind == "decision" and activity.yes == activity.no:
            raise reader.error(
                f"las respuestas SI y NO llevan ambas a la actividad {activity.yes}",
                activity=activity.number,
                rule="decision-completa",
            )
    reachable = _reach(first, {n: a.successors for n, a in activities.items()})
    unreachable = [n for n in activities if n not in reachable]
    if unreachable:
        raise reader.error(
            f"no se puede llegar a ella desde la actividad {first}{_also(unreachable)}",
            activity=unreachable[0],
            rule="alcanzable",
        )
    predecessors: dict[int, list[int]] = {n: [] for n in activities}
    for activity in activities.values():
        for target in activity.successors:
            predecessors[target].append(activity.number)
    reaching_end = _reach(last, {n: tuple(p) for n, p in predecessors.items()})
    stuck = [n for n in activities if n not in reaching_end]
    if stuck:
        raise reader.error(
            f"desde ella no se llega a la actividad final {last}{_also(stuck)}",
            activity=stuck[0],
            rule="llega-al-fin",
        )


def _also(culprits: list[int]) -> str:
    rest = culprits[1:]
    return f" (tampoco las actividades {', '.join(map(str, rest))})" if rest else ""


def _targets(activity: Activity) -> list[tuple[str, int]]:
    if activity.kind == "decision":
        assert activity.yes is not None and activity.no is not None
        return [("la respuesta SI", activity.yes), ("la respuesta NO", activity.no)]
    if activity.next is not None:
        return [("la siguiente actividad («next»)", activity.next)]
    return []


def _reach(start: int, edges: Mapping[int, tuple[int, ...]]) -> set[int]:
    seen = {start}
    stack = [start]
    while stack:
        for target in edges.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


class _Reader:
    """Reads fields from the raw JSON, raising errors that name the file, activity and key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(
        self, message: str, *, rule: str, activity: int | None = None
    ) -> ProcedureDefinitionError:
        return ProcedureDefinitionError(message, activity=activity, rule=rule, source=self.source)

    def text(self, data: Mapping[str, Any], key: str, *, activity: int | None = None) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(
                f"falta la clave «{key}» o no es un texto no vacío",
                activity=activity,
                rule="esquema",
            )
        return value

    def optional_text(self, data: Mapping[str, Any], key: str, activity: int) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(
                f"la clave «{key}» debe ser un texto", activity=activity, rule="esquema"
            )
        return value

    def number(self, data: Mapping[str, Any], key: str, activity: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(
                f"la clave «{key}» debe ser un número de actividad (se encontró {value!r})",
                activity=activity,
                rule="esquema",
            )
        return value

    def str_list(self, data: Mapping[str, Any], key: str, *, required: bool = True) -> list[str]:
        value = data.get(key, None if required else [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f"la clave «{key}» debe ser una lista de textos", rule="esquema")
        return list(value)

    def activity(self, raw: Any, index: int, roles: tuple[str, ...]) -> Activity:
        if not isinstance(raw, dict):
            raise self.error(f"el elemento {index} de «activities» no es un objeto", rule="esquema")
        number = raw.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise self.error(
                f"el elemento {index} de «activities» no tiene un «number» entero positivo",
                rule="esquema",
            )
        kind = raw.get("kind")
        if kind not in _KINDS:
            raise self.error(
                f"«kind» debe ser uno de {', '.join(_KINDS)} (se encontró {kind!r})",
                activity=number,
                rule="esquema",
            )
        role = self.text(raw, "role", activity=number)
        if role not in roles:
            raise self.error(
                f"el rol «{role}» no está entre los roles del procedimiento ({', '.join(roles)})",
                activity=number,
                rule="rol-conocido",
            )
        nxt = self.number(raw, "next", number)
        question = self.optional_text(raw, "question", number)
        yes = self.number(raw, "yes", number)
        no = self.number(raw, "no", number)
        if kind == "decision":
            if question is None or yes is None or no is None:
                missing = [
                    k for k, v in (("question", question), ("yes", yes), ("no", no)) if v is None
                ]
                raise self.error(
                    f"es una decisión y le falta {', '.join('«' + m + '»' for m in missing)}: "
                    "toda decisión necesita su pregunta y sus respuestas SI y NO",
                    activity=number,
                    rule="decision-completa",
                )
            if nxt is not None:
                raise self.error(
                    "es una decisión y no puede tener «next»; use «yes» y «no»",
                    activity=number,
                    rule="decision-completa",
                )
        else:
            if yes is not None or no is not None:
                raise self.error(
                    f"tiene respuestas SI/NO pero su «kind» es «{kind}»; márquela como «decision»",
                    activity=number,
                    rule="decision-completa",
                )
            if kind == "activity" and nxt is None:
                raise self.error(
                    "no indica la siguiente actividad («next»)",
                    activity=number,
                    rule="destino-existente",
                )
            if kind == "end" and nxt is not None:
                raise self.error(
                    "es la actividad final y no puede tener «next»",
                    activity=number,
                    rule="fin-unico",
                )
        description = self.text(raw, "description", activity=number)
        notebook = self.optional_text(raw, "notebook", number)
        return Activity(
            number=number,
            description=description,
            dependencia=self.text(raw, "dependencia", activity=number),
            role=role,
            record=self.optional_text(raw, "record", number) or "",
            notebook=notebook or None,
            kind=kind,
            next=nxt,
            question=question,
            yes=yes,
            no=no,
            observation=self.optional_text(raw, "observation", number),
            label=self.optional_text(raw, "label", number) or description,
            yes_text=self.optional_text(raw, "yes_text", number),
            no_text=self.optional_text(raw, "no_text", number),
        )
