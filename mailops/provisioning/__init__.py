"""User administration from the "Formato de Creación de Usuarios" (activities 3, 5 and 11).

Read a filled form, validate it row by row, plan it against the directory (create, update,
leave alone, invalid), and apply the plan resumably through the batch executor with a journal,
so that no account is ever created twice. The everyday actions (suspend, restore, reset
password, aliases, units, groups, offboarding) and the lifecycle of fixed-term accounts are
planned and applied the same way::

    from mailops.provisioning import read_form, plan_form, apply_plan
    with connect() as ws:
        plan = plan_form(ws, read_form("solicitudes.xlsx"))
        summary = plan.text()
        report = apply_plan(ws, plan)
"""

from __future__ import annotations

from mailops.dependencias import Dependencia, DependenciaMap
from mailops.provisioning.actions import (
    plan_add_alias,
    plan_add_to_group,
    plan_move_ou,
    plan_offboarding,
    plan_remove_alias,
    plan_remove_from_group,
    plan_reset_password,
    plan_restore,
    plan_suspend,
)
from mailops.provisioning.apply import ApplyReport, StepFailure, apply_plan
from mailops.provisioning.changes import Plan, PlanItem, Step
from mailops.provisioning.credentials import CredentialsFile, generate_password, sha512_crypt
from mailops.provisioning.form import COLUMNS, FilledForm, FormRow, read_form
from mailops.provisioning.journal import Journal
from mailops.provisioning.lifecycle import (
    Expiry,
    expired_accounts,
    expiring_accounts,
    expiry_frame,
    plan_expired_suspension,
)
from mailops.provisioning.naming import NamingRule, assign_addresses
from mailops.provisioning.planning import DirectorySnapshot, plan_form
from mailops.provisioning.template import write_templates
from mailops.provisioning.validation import Person, RowError, RowResult, validate_form

__all__ = [
    "COLUMNS",
    "ApplyReport",
    "CredentialsFile",
    "Dependencia",
    "DependenciaMap",
    "DirectorySnapshot",
    "Expiry",
    "FilledForm",
    "FormRow",
    "Journal",
    "NamingRule",
    "Person",
    "Plan",
    "PlanItem",
    "RowError",
    "RowResult",
    "Step",
    "StepFailure",
    "apply_plan",
    "assign_addresses",
    "expired_accounts",
    "expiring_accounts",
    "expiry_frame",
    "generate_password",
    "plan_add_alias",
    "plan_add_to_group",
    "plan_expired_suspension",
    "plan_form",
    "plan_move_ou",
    "plan_offboarding",
    "plan_remove_alias",
    "plan_remove_from_group",
    "plan_reset_password",
    "plan_restore",
    "plan_suspend",
    "read_form",
    "sha512_crypt",
    "validate_form",
    "write_templates",
]
