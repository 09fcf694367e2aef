"""The municipality's e-mail administration procedure as versioned, checked data.

- :func:`load_procedure` reads the definition (the shipped version 01 by default) and validates
  its flow;
- :class:`ProcedureRun` walks one request through the flow and records every step;
- :func:`render_flowchart`, :func:`render_text` and :func:`render_markdown` show the procedure
  (and, given a run, the path it took).
"""

from __future__ import annotations

from mailops.procedure.definition import (
    Activity,
    Procedure,
    ProcedureDefinitionError,
    load_procedure,
    parse_procedure,
)
from mailops.procedure.flowchart import render_flowchart
from mailops.procedure.run import (
    DecisionRecord,
    EvidenceRecord,
    LoopLimitExceeded,
    Operator,
    ProcedureRun,
    RunEntry,
    RunRecordError,
    RunRequest,
    StepRecord,
    TransitionNotAllowed,
)
from mailops.procedure.text import procedure_to_dict, render_markdown, render_text

__all__ = [
    "Activity",
    "DecisionRecord",
    "EvidenceRecord",
    "LoopLimitExceeded",
    "Operator",
    "Procedure",
    "ProcedureDefinitionError",
    "ProcedureRun",
    "RunEntry",
    "RunRecordError",
    "RunRequest",
    "StepRecord",
    "TransitionNotAllowed",
    "load_procedure",
    "parse_procedure",
    "procedure_to_dict",
    "render_flowchart",
    "render_markdown",
    "render_text",
]
