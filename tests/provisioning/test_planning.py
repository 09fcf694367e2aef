"""Planning against the directory: create, update, none, invalid — and nothing changes."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from mailops.provisioning.changes import Plan
from mailops.provisioning.form import read_form
from mailops.provisioning.planning import plan_form
from mailops.workspace import User, Workspace, directory_calls
from tests.provisioning.conftest import HEADERS, KEYS, person, write_csv


def plan_rows(ws: Workspace, tmp_path: Path, rows: list[dict[str, str]]) -> Plan:
    return plan_form(ws, read_form(write_csv(tmp_path / "f.csv", rows)))


def an_existing_user(ws: Workspace) -> User:
    return next(
        u
        for u in ws.directory.users_list()
        if u.document_id and u.primary_email.endswith("@cajica.example") and not u.is_admin
    )


def test_a_new_person_is_planned_for_creation_with_groups(ws: Workspace, tmp_path: Path) -> None:
    plan = plan_rows(ws, tmp_path, [person(grupos="tics")])
    (item,) = plan.items
    assert (item.row, item.address, item.action) == (2, "maria.munoz@cajica.example", "create")
    assert [(s.kind, s.target) for s in item.steps] == [
        ("create", "/Secretaría de Hacienda"),
        ("add_group", "hacienda@cajica.example"),
        ("add_group", "tics@cajica.example"),
    ]
    assert item.reasons == ("no hay ninguna cuenta con el documento 52123456",)


def test_the_create_body_carries_documento_vinculacion_and_recovery(
    ws: Workspace, tmp_path: Path
) -> None:
    row = person(vinculacion="contratista", fecha_fin="31/12/2026")
    body = plan_rows(ws, tmp_path, [row]).items[0].steps[0].body
    assert body is not None and "password" not in body
    assert body["externalIds"] == [{"type": "organization", "value": "52123456"}]
    assert body["customSchemas"] == {
        "Vinculacion": {
            "tipo": "contratista",
            "fecha_inicio": "2026-02-01",
            "fecha_fin": "2026-12-31",
        }
    }
    assert body["organizations"] == [
        {
            "department": "Secretaría de Hacienda",
            "title": "Profesional universitario",
            "primary": True,
        }
    ]
    assert (body["recoveryEmail"], body["recoveryPhone"]) == (
        "mj.munoz@gmail.example",
        "+573001234567",
    )


def test_a_person_who_already_has_an_account_is_never_created_again(
    ws: Workspace, tmp_path: Path
) -> None:
    user = an_existing_user(ws)
    row = person(
        documento=user.document_id,
        dependencia=user.department,
        nombres=user.given_name,
        apellidos=user.family_name,
    )
    (item,) = plan_rows(ws, tmp_path, [row]).items
    assert item.address == user.primary_email
    assert item.action in ("none", "update")
    assert all(s.kind != "create" for s in item.steps)
    assert item.reasons[0] == (
        f"ya existe la cuenta {user.primary_email} con el documento {user.document_id}"
    )


def test_an_existing_person_in_another_dependencia_is_moved_and_added_to_its_group(
    ws: Workspace, tmp_path: Path
) -> None:
    user = next(
        u
        for u in ws.directory.users_list()
        if u.document_id and u.org_unit_path != "/Dirección TICS-CTEI"
    )
    row = person(documento=user.document_id, dependencia="tics")
    (item,) = plan_rows(ws, tmp_path, [row]).items
    assert item.action == "update"
    assert [(s.kind, s.target) for s in item.steps] == [
        ("move_ou", "/Dirección TICS-CTEI"),
        ("add_group", "tics@cajica.example"),
    ]
    assert f"está en {user.org_unit_path}" in item.reasons


def test_an_address_taken_in_the_directory_gets_the_second_surname(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.execute(
        directory_calls.users_insert(
            {
                "primaryEmail": "maria.munoz@cajica.example",
                "name": {"givenName": "María", "familyName": "Muñoz"},
                "password": "d41d8cd98f00b204e9800998ecf8427e",
                "hashFunction": "MD5",
            }
        )
    )
    (item,) = plan_rows(ws, tmp_path, [person()]).items
    assert item.address == "maria.munoz.pena@cajica.example"
    assert "la dirección base ya estaba en uso: se eligió otra" in item.reasons


def test_a_group_address_is_never_given_to_a_person(ws: Workspace, tmp_path: Path) -> None:
    row = person(nombres="Desarrollo", apellidos="Social")
    (item,) = plan_rows(ws, tmp_path, [row]).items
    assert item.address == "desarrollo.social2@cajica.example"


def test_an_unknown_additional_group_makes_the_row_invalid(ws: Workspace, tmp_path: Path) -> None:
    (item,) = plan_rows(ws, tmp_path, [person(grupos="club.de.lectura")]).items
    assert item.action == "invalid"
    assert str(item.errors[0]) == (
        "Fila 2, columna «Grupos adicionales»: el grupo «club.de.lectura» no existe en el directorio"
    )


def test_a_documento_shared_by_two_accounts_is_reported_not_guessed(
    ws: Workspace, tmp_path: Path
) -> None:
    user = an_existing_user(ws)
    ws.directory.users_insert(
        {
            "primaryEmail": "copia@cajica.example",
            "name": {"givenName": "Copia", "familyName": "Copia"},
            "password": "d41d8cd98f00b204e9800998ecf8427e",
            "hashFunction": "MD5",
            "externalIds": [{"type": "organization", "value": user.document_id}],
        }
    )
    (item,) = plan_rows(ws, tmp_path, [person(documento=user.document_id)]).items
    assert item.action == "invalid"
    assert "ya figura en 2 cuentas" in item.errors[0].message


def test_invalid_rows_are_listed_while_valid_rows_proceed(ws: Workspace, tmp_path: Path) -> None:
    plan = plan_rows(ws, tmp_path, [person(), person(documento="80234567", aprobado_por="")])
    assert [i.action for i in plan.items] == ["create", "invalid"]
    assert plan.counts == {"create": 1, "update": 0, "none": 0, "invalid": 1}


def test_planning_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    before = {u.primary_email for u in ws.directory.users_list()}
    plan_rows(ws, tmp_path, [person(), person(documento="80234567", nombres="Ana")])
    assert {u.primary_email for u in ws.directory.users_list()} == before


def test_the_plan_shows_as_json_frame_and_spanish_text(ws: Workspace, tmp_path: Path) -> None:
    plan = plan_rows(ws, tmp_path, [person(), person(documento="80234567", telefono="12")])
    data = json.loads(json.dumps(plan.to_json()))
    assert [(f["fila"], f["correo"], f["accion"]) for f in data["filas"]] == [
        (2, "maria.munoz@cajica.example", "create"),
        (3, "", "invalid"),
    ]
    assert data["filas"][1]["errores"][0]["columna"] == "Teléfono"
    frame = plan.frame()
    assert list(frame["accion"]) == ["crear", "inválida"]
    text = plan.text()
    assert "1 por crear, 0 por actualizar, 0 sin cambios, 1 con errores" in text
    assert "Fila 3, columna «Teléfono»" in text


def test_an_xlsx_form_plans_like_its_csv(ws: Workspace, tmp_path: Path) -> None:
    rows = [person(), person(nombres="Óscar", apellidos="Castañeda", documento="80234567")]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    for r in rows:
        sheet.append([r[k] for k in KEYS])
    book.save(tmp_path / "f.xlsx")
    from_xlsx = plan_form(ws, read_form(tmp_path / "f.xlsx"))
    from_csv = plan_rows(ws, tmp_path, rows)
    assert [(i.address, i.action) for i in from_xlsx.items] == [
        (i.address, i.action) for i in from_csv.items
    ]
    assert from_xlsx.batch_id == from_csv.batch_id
