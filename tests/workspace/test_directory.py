"""Typed Directory operations through the seam, end to end on the emulator."""

from __future__ import annotations

import pandas as pd
import pytest

from mailops.errors import AlreadyExistsError, InputError, NotFoundError
from mailops.workspace import Workspace, directory_calls

HACIENDA = "/Secretaría de Hacienda"


def body(email: str, given: str = "Ana María", family: str = "Muñoz Peña") -> dict[str, object]:
    return {
        "primaryEmail": email,
        "name": {"givenName": given, "familyName": family},
        "password": "d41d8cd98f00b204e9800998ecf8427e",
        "hashFunction": "MD5",
        "orgUnitPath": HACIENDA,
        "organizations": [
            {"department": "Secretaría de Hacienda", "title": "Contadora", "primary": True}
        ],
        "externalIds": [{"type": "organization", "value": "52123456"}],
    }


def test_user_lifecycle_insert_get_patch_suspend_delete_undelete(workspace: Workspace) -> None:
    d = workspace.directory
    created = d.users_insert(body("ana.munoz@cajica.example"))
    assert (created.primary_email, created.full_name, created.org_unit_path) == (
        "ana.munoz@cajica.example",
        "Ana María Muñoz Peña",
        HACIENDA,
    )
    assert created.document_id == "52123456" and created.department == "Secretaría de Hacienda"
    assert d.users_get(created.id).primary_email == "ana.munoz@cajica.example"
    assert d.users_patch("ana.munoz@cajica.example", {"suspended": True}).suspended
    d.users_delete("ana.munoz@cajica.example")
    assert d.users_find("ana.munoz@cajica.example") is None
    d.users_undelete(created.id, HACIENDA)
    assert d.users_get("ana.munoz@cajica.example").id == created.id


def test_duplicate_user_is_an_already_exists_error(workspace: Workspace) -> None:
    with pytest.raises(AlreadyExistsError) as info:
        workspace.directory.users_insert(body("admin@cajica.example"))
    assert (info.value.status, info.value.reason) == (409, "duplicate")
    assert "Ya existe" in str(info.value)


def test_users_list_with_a_query_and_as_a_frame(shared_workspace: Workspace) -> None:
    d = shared_workspace.directory
    hacienda = d.users_list(f"orgUnitPath='{HACIENDA}'")
    assert hacienda and all(u.org_unit_path == HACIENDA for u in hacienda)
    suspended = d.users_list("isSuspended=true")
    assert suspended and all(u.suspended for u in suspended)
    frame = d.users_frame()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == len(d.users_list())
    assert {"correo", "dependencia", "suspendido", "creado"} <= set(frame.columns)
    assert str(frame["creado"].dtype).startswith("datetime64")


def test_aliases_groups_and_members(workspace: Workspace) -> None:
    d = workspace.directory
    d.users_insert(body("ana.munoz@cajica.example"))
    assert (
        d.user_aliases_insert("ana.munoz@cajica.example", "ana.presupuesto@cajica.example")
        == "ana.presupuesto@cajica.example"
    )
    assert d.user_aliases_list("ana.munoz@cajica.example") == ["ana.presupuesto@cajica.example"]
    assert d.users_get("ana.presupuesto@cajica.example").primary_email == "ana.munoz@cajica.example"
    group = d.groups_insert("comite.presupuesto@cajica.example", "Comité de Presupuesto")
    assert group.name == "Comité de Presupuesto"
    d.members_insert(group.email, "ana.munoz@cajica.example", "MANAGER")
    assert d.members_has_member(group.email, "ana.munoz@cajica.example")
    assert [(m.email, m.role) for m in d.members_list(group.email)] == [
        ("ana.munoz@cajica.example", "MANAGER")
    ]
    assert group.email in {g.email for g in d.groups_list(user_key="ana.munoz@cajica.example")}
    d.members_delete(group.email, "ana.munoz@cajica.example")
    assert not d.members_has_member(group.email, "ana.munoz@cajica.example")
    d.user_aliases_delete("ana.munoz@cajica.example", "ana.presupuesto@cajica.example")
    with pytest.raises(NotFoundError):
        d.users_get("ana.presupuesto@cajica.example")


def test_org_units_domains_and_customer(workspace: Workspace) -> None:
    d = workspace.directory
    ou = d.orgunits_insert("Tesorería", parent=HACIENDA, description="Pagos y recaudo")
    assert ou.path == f"{HACIENDA}/Tesorería"
    assert d.orgunits_get(ou.path).name == "Tesorería"
    assert ou.path in {o.path for o in d.orgunits_list()}
    d.orgunits_delete(ou.path)
    assert ou.path not in {o.path for o in d.orgunits_list()}
    assert {x.name for x in d.domains_list()} == {"cajica.example", "cajica.gov.example"}
    customer = d.customer_get()
    assert customer.domain == "cajica.example" and "Cajicá" in customer.organization


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (
            lambda: directory_calls.users_insert({"primaryEmail": "x@cajica.example"}),
            "falta el nombre",
        ),
        (
            lambda: directory_calls.users_insert({**body("x@cajica.example"), "password": ""}),
            "contraseña",
        ),
        (lambda: directory_calls.users_insert({**body("sin-arroba")}), "no es una dirección"),
        (lambda: directory_calls.users_insert("no es un dict"), "diccionario"),  # type: ignore[arg-type]
        (lambda: directory_calls.users_get(""), "falta usuario"),
        (lambda: directory_calls.users_get("ana\n@cajica.example"), "caracteres de control"),
        (lambda: directory_calls.users_list(), "cliente"),
        (
            lambda: directory_calls.users_list(customer="my_customer", max_results=900),
            "entre 1 y 500",
        ),
        (
            lambda: directory_calls.users_list(customer="my_customer", order_by="edad"),
            "orden inválido",
        ),
        (
            lambda: directory_calls.members_insert("g@cajica.example", "a@cajica.example", "JEFE"),
            "rol inválido",
        ),
        (lambda: directory_calls.orgunits_insert("my_customer", "A/B"), "sin «/»"),
        (lambda: directory_calls.orgunits_get("my_customer", "Hacienda"), "debe empezar por «/»"),
        (lambda: directory_calls.orgunits_delete("my_customer", "/"), "raíz"),
        (lambda: directory_calls.users_make_admin("a@cajica.example", "sí"), "verdadero o falso"),  # type: ignore[arg-type]
        (lambda: directory_calls.groups_list(), "cliente"),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(build: object, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        build()  # type: ignore[operator]
    assert fragment in str(info.value)
