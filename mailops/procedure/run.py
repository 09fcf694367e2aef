"""A run of the procedure: one request walked through the flow, recorded as it happens.

The record is an append-only list of entries (start, enter, evidence, complete, decision,
correction). The state (current activity, visited path, loop counts) is derived by replaying
them, so a saved run resumes exactly where it stopped, and a tampered file that breaks the flow is
refused on load. A correction is a new entry that points to the one it corrects.

>>> proc = load_procedure()
>>> run = ProcedureRun.start(proc, request=RunRequest("Revisión mensual", "Dirección"),
...                          operator=Operator("Ana Pérez", "Profesional Universitario"))
>>> run.complete(evidence={"contrato": "vigente"})      # activity 1
>>> run.decide(True, "El tablero de estado de Google está en verde")   # 2 -> 4
>>> run.current
4
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from mailops.errors import InputError, MailopsError
from mailops.procedure.definition import Procedure, ProcedureDefinitionError
from mailops.procedure.history import (
    RUN_SCHEMA,
    DecisionRecord,
    EntryKind,
    EvidenceRecord,
    LoopLimitExceeded,
    Operator,
    RunEntry,
    RunRecordError,
    RunRequest,
    StepRecord,
    TransitionNotAllowed,
    checked_data,
    checked_links,
    decision_dict,
    entry_dict,
    entry_from_dict,
    filled,
    operator_dict,
    operator_from_dict,
    read_json,
    request_dict,
    request_from_dict,
    step_dict,
    write_json,
)

__all__ = [
    "DEFAULT_MAX_LOOPS",
    "Clock",
    "DecisionRecord",
    "EvidenceRecord",
    "LoopLimitExceeded",
    "Operator",
    "ProcedureRun",
    "RunEntry",
    "RunRecordError",
    "RunRequest",
    "StepRecord",
    "TransitionNotAllowed",
    "ensure_run_of",
]

DEFAULT_MAX_LOOPS = 3
Clock = Callable[[], dt.datetime]


def ensure_run_of(proc: Procedure, run: ProcedureRun | None, where: str) -> None:
    """Refuse a run that belongs to another procedure code or version than ``proc``."""
    if not isinstance(proc, Procedure):
        raise ProcedureDefinitionError(
            f"{where} necesita un Procedure (de load_procedure), no {type(proc).__name__}",
            rule="argumento",
        )
    if run is None:
        return
    if not isinstance(run, ProcedureRun):
        raise ProcedureDefinitionError(
            f"{where} necesita un ProcedureRun o None, no {type(run).__name__}", rule="argumento"
        )
    if (run.procedure.code, run.procedure.version) != (proc.code, proc.version):
        raise RunRecordError(
            f"la ejecución {run.run_id} es del procedimiento {run.procedure.code} versión "
            f"{run.procedure.version}, no de {proc.code} versión {proc.version}",
            where=where,
        )


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _new_run_id() -> str:
    return uuid.uuid4().hex[:12]


class ProcedureRun:
    """One request walked through the procedure. Build it with :meth:`start` or :meth:`load`."""

    def __init__(
        self,
        proc: Procedure,
        *,
        run_id: str,
        request: RunRequest,
        operator: Operator,
        max_loops: int,
        clock: Clock,
    ) -> None:
        if not isinstance(proc, Procedure):
            raise ProcedureDefinitionError(
                f"ProcedureRun necesita un Procedure (de load_procedure), no {type(proc).__name__}",
                rule="argumento",
            )
        if not isinstance(request, RunRequest):
            raise InputError(
                f"se esperaba un RunRequest, se recibió {type(request).__name__}", where="solicitud"
            )
        if not isinstance(operator, Operator):
            raise InputError(
                f"se esperaba un Operator, se recibió {type(operator).__name__}", where="operador"
            )
        if not filled(run_id):
            raise InputError(
                "el identificador de la ejecución no puede estar vacío", where="run_id"
            )
        if isinstance(max_loops, bool) or not isinstance(max_loops, int) or max_loops < 0:
            raise InputError(
                f"el límite de vueltas debe ser un entero ≥ 0 (se recibió {max_loops!r})",
                where="max_loops",
            )
        self.procedure = proc
        self.run_id = run_id
        self.request = request
        self.operator = operator
        self.max_loops = max_loops
        self._clock = clock
        self._entries: list[RunEntry] = []
        self._current: int | None = None
        self._loops: Counter[tuple[int, int]] = Counter()

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        proc: Procedure,
        *,
        request: RunRequest,
        operator: Operator,
        clock: Clock | None = None,
        run_id: str | None = None,
        max_loops: int = DEFAULT_MAX_LOOPS,
    ) -> ProcedureRun:
        """Start a run for ``request``; it enters the first activity at once."""
        run = cls(
            proc,
            run_id=run_id if run_id is not None else _new_run_id(),
            request=request,
            operator=operator,
            max_loops=max_loops,
            clock=clock or _utc_now,
        )
        at = run._now()
        run._apply(RunEntry(0, "start", at, by=operator))
        run._apply(RunEntry(1, "enter", at, activity=proc.first, by=operator))
        return run

    # -- state ----------------------------------------------------------------------------

    @property
    def current(self) -> int | None:
        """The activity in progress; ``None`` once the last activity is completed."""
        return self._current

    @property
    def finished(self) -> bool:
        return self._current is None

    @property
    def entries(self) -> tuple[RunEntry, ...]:
        return tuple(self._entries)

    @property
    def visited(self) -> list[int]:
        """Activities entered, in order, repeats included."""
        return [e.activity for e in self._entries if e.kind == "enter" and e.activity is not None]

    @property
    def decisions(self) -> list[DecisionRecord]:
        return [self._decision(e) for e in self._entries if e.kind == "decision"]

    @property
    def corrections(self) -> list[RunEntry]:
        return [e for e in self._entries if e.kind == "correction"]

    @property
    def next_notebook(self) -> str | None:
        """The notebook that serves the current activity (``None`` when finished)."""
        if self._current is None:
            return None
        return self.procedure.activity(self._current).notebook

    @property
    def allowed_moves(self) -> tuple[int, ...]:
        if self._current is None:
            return ()
        return self.procedure.successors(self._current)

    def loops_taken(self, source: int, target: int) -> int:
        return self._loops[(source, target)]

    @property
    def steps(self) -> list[StepRecord]:
        """The history grouped by activity pass: when it started, ended, who, evidence, answer."""
        steps: list[StepRecord] = []
        open_step: dict[str, Any] | None = None
        for entry in self._entries:
            if entry.kind == "enter":
                open_step = {"activity": entry.activity, "started_at": entry.at, "evidence": []}
            elif open_step is None:
                continue
            elif entry.kind == "evidence":
                open_step["evidence"].append(self._evidence(entry))
            elif entry.kind in ("complete", "decision"):
                decision = self._decision(entry) if entry.kind == "decision" else None
                steps.append(self._step(open_step, entry.at, entry.by, decision))
                open_step = None
        if open_step is not None:
            steps.append(self._step(open_step, None, None, None))
        return steps

    # -- moves ----------------------------------------------------------------------------

    def record_evidence(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        links: Sequence[str] = (),
        note: str | None = None,
        by: Operator | None = None,
    ) -> RunEntry:
        """Attach evidence (JSON-safe data, links to outputs) to the current activity."""
        current = self._require_current("registrar evidencia")
        return self._append("evidence", activity=current, by=by, data=data, links=links, note=note)

    def complete(
        self,
        *,
        by: Operator | None = None,
        evidence: Mapping[str, Any] | None = None,
        links: Sequence[str] = (),
        note: str | None = None,
    ) -> None:
        """End the current (non-decision) activity and enter the next one."""
        current = self._require_current("completar la actividad")
        activity = self.procedure.activity(current)
        if activity.kind == "decision":
            raise TransitionNotAllowed(
                f"La actividad {current} es una decisión («{activity.question}»): "
                "respóndala con SI o NO y el motivo (decide), no la complete."
            )
        self._finish_step(current, "complete", by, evidence, links, note, None, None, activity.next)

    def decide(
        self,
        answer: bool,
        reason: str,
        *,
        by: Operator | None = None,
        evidence: Mapping[str, Any] | None = None,
        links: Sequence[str] = (),
    ) -> None:
        """Answer the current decision (``True`` = SI) with its reason, and follow the answer."""
        current = self._require_current("responder la decisión")
        activity = self.procedure.activity(current)
        if activity.kind != "decision":
            raise TransitionNotAllowed(
                f"La actividad {current} («{activity.label}») no es una decisión: "
                "no tiene respuesta SI/NO; complétela (complete)."
            )
        if not isinstance(answer, bool):
            raise InputError(
                f"la respuesta debe ser SI (True) o NO (False), se recibió {answer!r}",
                where=f"decisión de la actividad {current}",
            )
        if not isinstance(reason, str) or not reason.strip():
            raise InputError(
                "toda decisión necesita el motivo de la respuesta",
                where=f"decisión de la actividad {current}",
            )
        target = activity.yes if answer else activity.no
        self._finish_step(current, "decision", by, evidence, links, None, answer, reason, target)

    def move_to(
        self,
        target: int,
        *,
        reason: str | None = None,
        by: Operator | None = None,
        evidence: Mapping[str, Any] | None = None,
        links: Sequence[str] = (),
    ) -> None:
        """Move to ``target``; refused (:class:`TransitionNotAllowed`) if the flow forbids it.

        From a decision the answer is the one that leads to ``target`` and ``reason`` is required.
        """
        current = self._require_current(f"pasar a la actividad {target}")
        activity = self.procedure.activity(current)
        if target not in activity.successors:
            allowed = " o ".join(str(n) for n in activity.successors) or "ninguna"
            raise TransitionNotAllowed(
                f"El procedimiento no permite pasar de la actividad {current} a la {target}: "
                f"desde la actividad {current} solo se puede pasar a la {allowed}."
            )
        if activity.kind == "decision":
            self.decide(target == activity.yes, reason or "", by=by, evidence=evidence, links=links)
        else:
            self.complete(by=by, evidence=evidence, links=links, note=reason)

    def correct(
        self,
        entry: int,
        note: str,
        *,
        data: Mapping[str, Any] | None = None,
        by: Operator | None = None,
    ) -> RunEntry:
        """Append a correction of entry ``entry`` (its ``seq``); the original stays as it was."""
        if (
            isinstance(entry, bool)
            or not isinstance(entry, int)
            or not 0 <= entry < len(self._entries)
        ):
            raise InputError(
                f"no existe la entrada {entry!r} del historial (hay {len(self._entries)})",
                where=f"corrección de la ejecución {self.run_id}",
            )
        if not note.strip():
            raise InputError(
                "una corrección necesita una nota que explique qué se corrige y por qué",
                where=f"corrección de la entrada {entry}",
            )
        return self._append(
            "correction",
            activity=self._entries[entry].activity,
            by=by,
            data=data,
            note=note,
            refers_to=entry,
        )

    # -- persistence ----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The run as JSON-safe data (history plus derived fields for readers)."""
        return {
            "schema": RUN_SCHEMA,
            "run_id": self.run_id,
            "procedure": {"code": self.procedure.code, "version": self.procedure.version},
            "request": request_dict(self.request),
            "operator": operator_dict(self.operator),
            "max_loops": self.max_loops,
            "current": self._current,
            "finished": self.finished,
            "visited": self.visited,
            "started_at": self._entries[0].at.isoformat(),
            "decisions": [decision_dict(d) for d in self.decisions],
            "steps": [step_dict(st, self.procedure.activity(st.activity)) for st in self.steps],
            "entries": [entry_dict(e) for e in self._entries],
        }

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        proc: Procedure,
        *,
        clock: Clock | None = None,
        source: str = "registro de ejecución",
    ) -> ProcedureRun:
        """Rebuild a run by replaying its history against ``proc`` (refused if it breaks the flow)."""
        if not isinstance(data, Mapping) or data.get("schema") != RUN_SCHEMA:
            raise RunRecordError(
                f"no es un registro de ejecución del procedimiento (falta «schema»: «{RUN_SCHEMA}»)",
                where=source,
            )
        try:
            meta = data["procedure"]
            if (meta["code"], meta["version"]) != (proc.code, proc.version):
                raise RunRecordError(
                    f"la ejecución es del procedimiento {meta['code']} versión {meta['version']}, "
                    f"pero está cargado {proc.code} versión {proc.version}; cárguela con esa versión "
                    "de la definición",
                    where=source,
                )
            run = cls(
                proc,
                run_id=str(data["run_id"]),
                request=request_from_dict(data["request"]),
                operator=operator_from_dict(data["operator"]),
                max_loops=data["max_loops"],
                clock=clock or _utc_now,
            )
            raw_entries = data["entries"]
            if not isinstance(raw_entries, list) or not raw_entries:
                raise RunRecordError("el historial («entries») está vacío", where=source)
            entries = [entry_from_dict(raw) for raw in raw_entries]
        except RunRecordError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, InputError) as exc:
            raise RunRecordError(
                f"el registro está incompleto o mal formado ({exc})", where=source
            ) from None
        for expected, entry in enumerate(entries):
            if entry.seq != expected:
                raise RunRecordError(
                    f"la entrada {expected} del historial tiene número {entry.seq}: el historial "
                    "fue alterado o está incompleto",
                    where=source,
                )
            try:
                run._apply(entry)
            except MailopsError as exc:
                raise RunRecordError(
                    f"la entrada {entry.seq} ({entry.kind}) no es válida: {exc}", where=source
                ) from None
        return run

    def save(self, path: Path) -> Path:
        """Write the run as UTF-8 JSON (atomically: a crash never leaves half a file)."""
        path = Path(path)
        write_json(path, self.to_dict(), what="la ejecución")
        return path

    @classmethod
    def load(cls, path: Path, proc: Procedure, *, clock: Clock | None = None) -> ProcedureRun:
        """Read a run saved with :meth:`save`, ready to resume."""
        path = Path(path)
        data = read_json(path, what="el registro de ejecución")
        return cls.from_dict(data, proc, clock=clock, source=str(path))

    # -- internals ------------------------------------------------------------------------

    def _now(self) -> dt.datetime:
        now = self._clock()
        if not isinstance(now, dt.datetime) or now.tzinfo is None:
            raise InputError(
                "el reloj debe devolver fechas con zona horaria (p. ej. UTC)",
                where="reloj de la ejecución",
            )
        return now

    def _require_current(self, what: str) -> int:
        if self._current is None:
            raise TransitionNotAllowed(
                f"La ejecución {self.run_id} ya terminó (actividad {self.procedure.last}); "
                f"no se puede {what}. Inicie una nueva ejecución."
            )
        return self._current

    def _finish_step(
        self,
        current: int,
        kind: EntryKind,
        by: Operator | None,
        evidence: Mapping[str, Any] | None,
        links: Sequence[str],
        note: str | None,
        answer: bool | None,
        reason: str | None,
        target: int | None,
    ) -> None:
        if target is not None:
            self._check_loop(current, target)
        at = self._now()
        actor = by or self.operator
        if evidence is not None or links:
            self._append("evidence", activity=current, by=actor, data=evidence, links=links, at=at)
        self._append(
            kind, activity=current, by=actor, note=note, answer=answer, reason=reason, at=at
        )
        if target is not None:
            self._append("enter", activity=target, by=actor, at=at)

    def _check_loop(self, source: int, target: int) -> None:
        if (source, target) in self.procedure.loop_edges and self._loops[
            (source, target)
        ] >= self.max_loops:
            raise LoopLimitExceeded(
                f"El ciclo {source} → {target} ya se recorrió {self._loops[(source, target)]} "
                f"veces (límite {self.max_loops}): revise la causa antes de repetirlo o inicie una "
                "nueva ejecución con un límite mayor."
            )

    def _append(
        self,
        kind: EntryKind,
        *,
        activity: int | None,
        by: Operator | None,
        data: Mapping[str, Any] | None = None,
        links: Sequence[str] = (),
        note: str | None = None,
        answer: bool | None = None,
        reason: str | None = None,
        refers_to: int | None = None,
        at: dt.datetime | None = None,
    ) -> RunEntry:
        entry = RunEntry(
            seq=len(self._entries),
            kind=kind,
            at=at or self._now(),
            activity=activity,
            by=by or self.operator,
            data=checked_data(data, activity),
            links=checked_links(links, activity),
            answer=answer,
            reason=reason,
            note=note,
            refers_to=refers_to,
        )
        self._apply(entry)
        return entry

    def _apply(self, entry: RunEntry) -> None:
        """Check one entry against the flow and the state, then record it (the only mutator)."""
        if entry.seq != len(self._entries):
            raise TransitionNotAllowed(f"Entrada fuera de orden: se esperaba {len(self._entries)}.")
        if entry.kind == "start":
            if self._entries:
                raise TransitionNotAllowed("La ejecución ya había comenzado.")
        elif not self._entries:
            raise TransitionNotAllowed("El historial debe comenzar con el inicio de la ejecución.")
        elif entry.kind == "enter":
            self._apply_enter(entry)
        elif entry.kind in ("evidence", "complete", "decision"):
            if entry.activity != self._current or self._awaiting_enter():
                raise TransitionNotAllowed(
                    f"La entrada es de la actividad {entry.activity}, pero la actividad en curso es "
                    f"{self._current}."
                )
            self._apply_end(entry)
        elif entry.kind == "correction" and (
            entry.refers_to is None or not 0 <= entry.refers_to < len(self._entries)
        ):
            raise TransitionNotAllowed("La corrección no apunta a una entrada anterior.")
        self._entries.append(entry)

    def _awaiting_enter(self) -> bool:
        last = next(
            (e for e in reversed(self._entries) if e.kind not in ("evidence", "correction")), None
        )
        return (
            last is not None and last.kind in ("complete", "decision") and self._current is not None
        )

    def _apply_enter(self, entry: RunEntry) -> None:
        target = entry.activity
        if target is None or target not in self.procedure.activities:
            raise TransitionNotAllowed(f"La actividad {target} no existe en el procedimiento.")
        last = next(e for e in reversed(self._entries) if e.kind not in ("evidence", "correction"))
        if last.kind == "start":
            if target != self.procedure.first:
                raise TransitionNotAllowed(
                    f"Una ejecución comienza en la actividad {self.procedure.first}, no en la {target}."
                )
            self._current = target
            return
        source = last.activity
        assert source is not None
        activity = self.procedure.activity(source)
        expected = (
            (activity.yes if last.answer else activity.no)
            if last.kind == "decision"
            else activity.next
        )
        if last.kind not in ("complete", "decision") or target != expected:
            raise TransitionNotAllowed(
                f"El procedimiento no permite pasar de la actividad {source} a la {target}."
            )
        self._check_loop(source, target)
        if (source, target) in self.procedure.loop_edges:
            self._loops[(source, target)] += 1
        self._current = target

    def _apply_end(self, entry: RunEntry) -> None:
        if entry.kind == "evidence":
            return
        assert entry.activity is not None
        activity = self.procedure.activity(entry.activity)
        if entry.kind == "decision":
            if activity.kind != "decision" or entry.answer is None or not entry.reason:
                raise TransitionNotAllowed(
                    f"La actividad {entry.activity} no admite una respuesta SI/NO sin motivo."
                )
        elif activity.kind == "decision":
            raise TransitionNotAllowed(
                f"La actividad {entry.activity} es una decisión y necesita respuesta."
            )
        if activity.kind == "end":
            self._current = None

    def _decision(self, entry: RunEntry) -> DecisionRecord:
        assert entry.activity is not None and entry.answer is not None and entry.by is not None
        return DecisionRecord(entry.activity, entry.answer, entry.reason or "", entry.by, entry.at)

    def _evidence(self, entry: RunEntry) -> EvidenceRecord:
        assert entry.activity is not None and entry.by is not None
        return EvidenceRecord(
            entry.activity, entry.data, entry.links, entry.note, entry.by, entry.at
        )

    @staticmethod
    def _step(
        open_step: dict[str, Any],
        ended_at: dt.datetime | None,
        by: Operator | None,
        decision: DecisionRecord | None,
    ) -> StepRecord:
        return StepRecord(
            activity=open_step["activity"],
            started_at=open_step["started_at"],
            ended_at=ended_at,
            by=by,
            evidence=tuple(open_step["evidence"]),
            decision=decision,
        )
