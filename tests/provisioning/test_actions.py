"""Everyday actions on existing accounts: planned, applied, and a no-op when repeated."""

from __future__ import annotations

import re

import pytest

from mailops.errors import InputError
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
from mailops.provisioning.apply import apply_plan
from mailops.provisioning.credentials import CredentialsFile
from mailops.workspace import User, Workspace


def someone(ws: Workspace) -> User:
    return next(
        u for u in ws.directory.users_list("isSuspended=false") if not u.is_admin and u.document_id
    )


def test_suspend_then_restore_and_repeating_each_is_a_no_op(ws: Workspace) -> None:
    user = someone(ws)
    plan = plan_suspend(ws, [user.primary_email])
    assert [s.kind for s in plan.steps] == ["suspend"]
    assert apply_plan(ws, plan, progress=False).ok
    assert ws.directory.users_get(user.primary_email).suspended
    again = plan_suspend(ws, user.primary_email)
    assert again.items[0].action == "none" and again.items[0].reasons == ("ya está suspendida",)
    apply_plan(ws, plan_restore(ws, user.primary_email), progress=False)
    assert not ws.directory.users_get(user.primary_email).suspended


def test_an_unknown_account_is_an_invalid_item_naming_it(ws: Workspace) -> None:
    plan = plan_suspend(ws, ["nadie@cajica.example"])
    (item,) = plan.items
    assert item.action == "invalid"
    assert str(item.errors[0]) == (
        "nadie@cajica.example: la cuenta no existe en el directorio; revise la dirección"
    )


def test_reset_password_issues_a_sealed_credential_and_forces_a_change(ws: Workspace) -> None:
    user = someone(ws)
    report = apply_plan(ws, plan_reset_password(ws, user.primary_email), progress=False)
    assert report.ok and report.credentials_count == 1
    assert report.credentials_path is not None
    assert CredentialsFile(report.credentials_path).password_for(user.document_id)
    assert ws.directory.users_get(user.primary_email).raw["changePasswordAtNextLogin"] is True


def test_aliases_are_added_and_removed(ws: Workspace) -> None:
    user = someone(ws)
    apply_plan(ws, plan_add_alias(ws, user.primary_email, "ventanilla"), progress=False)
    assert "ventanilla@cajica.example" in ws.directory.users_get(user.primary_email).aliases
    assert plan_add_alias(ws, user.primary_email, "ventanilla").items[0].action == "none"
    apply_plan(ws, plan_remove_alias(ws, user.primary_email, "ventanilla"), progress=False)
    assert "ventanilla@cajica.example" not in ws.directory.users_get(user.primary_email).aliases


def test_an_alias_that_is_someone_elses_address_is_refused(ws: Workspace) -> None:
    user = someone(ws)
    with pytest.raises(
        InputError, match=re.escape("el alias admin@cajica.example ya es de admin@cajica.example")
    ):
        plan_add_alias(ws, user.primary_email, "admin")


def test_move_ou_moves_and_refuses_unknown_units(ws: Workspace) -> None:
    user = someone(ws)
    target = (
        "/Dirección TICS-CTEI"
        if user.org_unit_path != "/Dirección TICS-CTEI"
        else "/Oficina Jurídica"
    )
    apply_plan(ws, plan_move_ou(ws, user.primary_email, target), progress=False)
    assert ws.directory.users_get(user.primary_email).org_unit_path == target
    with pytest.raises(InputError, match="la unidad organizativa «/Turismo» no existe"):
        plan_move_ou(ws, user.primary_email, "/Turismo")


def test_groups_are_joined_and_left(ws: Workspace) -> None:
    user = someone(ws)
    apply_plan(ws, plan_add_to_group(ws, user.primary_email, "tics"), progress=False)
    assert ws.directory.members_has_member("tics@cajica.example", user.primary_email)
    apply_plan(ws, plan_remove_from_group(ws, user.primary_email, "tics"), progress=False)
    assert not ws.directory.members_has_member("tics@cajica.example", user.primary_email)
    with pytest.raises(InputError, match=re.escape("el grupo fantasma@cajica.example no existe")):
        plan_add_to_group(ws, user.primary_email, "fantasma")


def test_offboarding_suspends_removes_every_group_and_keeps_the_mailbox(ws: Workspace) -> None:
    user = someone(ws)
    groups = ws.directory.groups_list(user_key=user.primary_email)
    assert groups
    plan = plan_offboarding(ws, user.primary_email)
    assert [s.kind for s in plan.steps] == ["suspend"] + ["remove_group"] * len(groups)
    assert apply_plan(ws, plan, progress=False).ok
    after = ws.directory.users_get(user.primary_email)
    assert after.suspended and after.aliases == user.aliases
    assert ws.directory.groups_list(user_key=user.primary_email) == []
