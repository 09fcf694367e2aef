"""The record of one run: what ``record.json`` holds, its hash, run ids and status codes."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal, cast

from mailops.errors import MailopsError

__all__ = [
    "GENESIS_HASH",
    "RECORD_SCHEMA",
    "STATUS_LABELS",
    "ArchiveError",
    "Decision",
    "Failure",
    "Record",
    "Status",
    "canonical_hash",
    "new_run_id",
]

RECORD_SCHEMA = 1
GENESIS_HASH = "0" * 64

Status = Literal["passed", "failed", "timed_out", "kernel_died", "interrupted"]

STATUS_LABELS: dict[str, str] = {
    "passed": "completada",
    "failed": "fallida",
    "timed_out": "tiempo agotado",
    "kernel_died": "kernel caído",
    "interrupted": "interrumpida",
}


class ArchiveError(MailopsError):
    """The archive cannot be read or written as asked (missing record, damaged file, clash)."""


def new_run_id(now: datetime | None = None, token: Callable[[int], str] = secrets.token_hex) -> str:
    """A sortable, unique run id such as ``20261129T153012Z-ab12cd`` (UTC)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%SZ}-{token(3)}"


def canonical_hash(data: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON form (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Failure:
    """Why a run did not pass: where (cell index, if known) and which error, secrets removed."""

    cell_index: int | None
    error_name: str
    error_value: str
    detail: str = ""


@dataclass(frozen=True)
class Decision:
    """A decision of the procedure taken during the run (from the ProcedureRun outcome)."""

    activity: int
    answer: bool
    answer_label: str
    reason: str
    by: str
    at: str


@dataclass(frozen=True)
class Record:
    """One archived run, exactly as stored in ``record.json``."""

    run_id: str
    notebook: str
    status: Status
    started_at: str
    finished_at: str
    duration_seconds: float
    mailops_version: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    operator: str | None = None
    request: str | None = None
    procedure_code: str | None = None
    procedure_version: str | None = None
    procedure_run_id: str | None = None
    activities: tuple[int, ...] = ()
    decisions: tuple[Decision, ...] = ()
    outcomes: Mapping[str, Any] = field(default_factory=dict)
    failure: Failure | None = None
    files: Mapping[str, str] = field(default_factory=dict)
    sequence: int = 0
    archived_at: str = ""
    previous_record_hash: str = GENESIS_HASH
    record_hash: str = ""
    schema: int = RECORD_SCHEMA

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def date(self) -> str:
        """The UTC day the run started, ``AAAA-MM-DD``."""
        return self.started_at[:10]

    @property
    def folder_name(self) -> str:
        return f"{self.run_id}-{self.notebook}"

    @property
    def relative_folder(self) -> str:
        """Where the record lives under the archive root: ``AAAA/MM/DD/<run-id>-<notebook>``."""
        year, month, day = self.date.split("-")
        return f"{year}/{month}/{day}/{self.folder_name}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["activities"] = list(self.activities)
        data["decisions"] = [asdict(d) for d in self.decisions]
        data["parameters"] = dict(self.parameters)
        data["outcomes"] = dict(self.outcomes)
        data["files"] = dict(self.files)
        return data

    def computed_hash(self) -> str:
        """The hash this record should carry: everything but ``record_hash`` itself."""
        data = self.to_dict()
        data.pop("record_hash")
        return canonical_hash(data)

    def sealed(self) -> Record:
        return replace(self, record_hash=self.computed_hash())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "record.json") -> Record:
        """Rebuild a record from ``record.json``; raises ArchiveError when malformed."""
        try:
            failure = data.get("failure")
            status = data["status"]
            if status not in STATUS_LABELS:
                raise ValueError(f"estado desconocido {status!r}")
            return cls(
                run_id=str(data["run_id"]),
                notebook=str(data["notebook"]),
                status=cast(Status, status),
                started_at=str(data["started_at"]),
                finished_at=str(data["finished_at"]),
                duration_seconds=float(data["duration_seconds"]),
                mailops_version=str(data["mailops_version"]),
                parameters=dict(data.get("parameters") or {}),
                operator=data.get("operator"),
                request=data.get("request"),
                procedure_code=data.get("procedure_code"),
                procedure_version=data.get("procedure_version"),
                procedure_run_id=data.get("procedure_run_id"),
                activities=tuple(int(a) for a in data.get("activities") or ()),
                decisions=tuple(Decision(**d) for d in data.get("decisions") or ()),
                outcomes=dict(data.get("outcomes") or {}),
                failure=Failure(**failure) if failure else None,
                files=dict(data.get("files") or {}),
                sequence=int(data.get("sequence", 0)),
                archived_at=str(data.get("archived_at", "")),
                previous_record_hash=str(data.get("previous_record_hash", GENESIS_HASH)),
                record_hash=str(data.get("record_hash", "")),
                schema=int(data.get("schema", RECORD_SCHEMA)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ArchiveError(
                f"{where}: el registro está mal formado ({exc}); revise el archivo o restáurelo "
                "desde una copia de seguridad"
            ) from exc
