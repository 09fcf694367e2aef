from __future__ import annotations

import mailops.procedure as procedure
from mailops.errors import DefinitionError, MailopsError

CONTRACT = {
    "load_procedure",
    "Procedure",
    "Activity",
    "ProcedureRun",
    "Operator",
    "RunRequest",
    "render_flowchart",
    "render_text",
    "render_markdown",
    "ProcedureDefinitionError",
    "TransitionNotAllowed",
}


def test_the_shared_contract_names_are_exported() -> None:
    assert set(procedure.__all__) >= CONTRACT


def test_every_exported_name_exists() -> None:
    assert all(hasattr(procedure, name) for name in procedure.__all__)


def test_definition_errors_and_run_errors_sit_in_their_trees() -> None:
    assert issubclass(procedure.ProcedureDefinitionError, DefinitionError)
    assert not issubclass(procedure.ProcedureDefinitionError, MailopsError)
    assert issubclass(procedure.TransitionNotAllowed, MailopsError)
