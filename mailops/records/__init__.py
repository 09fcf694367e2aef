"""The magnetic record (activity 24): papermill runs, a tamper-evident archive, outcomes.

Every run of a procedure notebook, passed or failed, becomes an archived, searchable,
verifiable record::

    from mailops.records import run_notebook, verify_archive
    archived = run_notebook("00_procedimiento", {"solicitud": "Crear cuenta de correo"})
    archived.status, archived.folder
    verify_archive(settings.archive_root).ok

Inside a notebook, ``record_outcome(name, data)`` hands structured results to the record.
"""

from __future__ import annotations

from mailops.records.archive import (
    ArchivedRecord,
    ChainHead,
    append_record,
    find_record,
    iter_record_folders,
    load_record,
)
from mailops.records.index import IndexEntry, RecordIndex, RecordQuery
from mailops.records.outcomes import (
    OUTCOME_MIME,
    read_outcomes,
    record_outcome,
    record_procedure_run,
)
from mailops.records.parameters import NotebookParameter, inspect_parameters, looks_secret
from mailops.records.record import (
    STATUS_LABELS,
    ArchiveError,
    Decision,
    Failure,
    Record,
    Status,
    new_run_id,
)
from mailops.records.redaction import REDACTED, Redactor
from mailops.records.verify import Problem, VerifyReport, verify_archive

__all__ = [
    "OUTCOME_MIME",
    "REDACTED",
    "STATUS_LABELS",
    "ArchiveError",
    "ArchivedRecord",
    "ChainHead",
    "Decision",
    "Failure",
    "IndexEntry",
    "NotebookParameter",
    "Problem",
    "Record",
    "RecordIndex",
    "RecordQuery",
    "Redactor",
    "RunLimits",
    "Status",
    "VerifyReport",
    "append_record",
    "find_record",
    "inspect_parameters",
    "iter_record_folders",
    "load_record",
    "looks_secret",
    "new_run_id",
    "read_outcomes",
    "record_outcome",
    "record_procedure_run",
    "run_notebook",
    "verify_archive",
]


def __getattr__(name: str) -> object:
    # The runner imports papermill and the engine; notebooks that only record outcomes
    # should not pay for that, so it is loaded on first use.
    if name in ("run_notebook", "RunLimits"):
        from mailops.records import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'mailops.records' has no attribute {name!r}")
