from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.errors import HttpError

from tests.emulator.conftest import error_of, reason_of

USER = {
    "primaryEmail": "pedro.nino@cajica.example",
    "name": {"givenName": "Pedro", "familyName": "Niño Acuña"},
    "password": "Cl4ve-Segura-2026",
}


def orgunits(directory: Any) -> Any:
    return directory.orgunits()


def test_get_by_path_with_spaces_and_accents(directory: Any) -> None:
    ou = (
        orgunits(directory)
        .get(customerId="my_customer", orgUnitPath="Secretaría de Hacienda")
        .execute()
    )
    assert ou["kind"] == "admin#directory#orgUnit"
    assert ou["orgUnitPath"] == "/Secretaría de Hacienda"
    assert ou["parentOrgUnitPath"] == "/"


def test_get_by_id(directory: Any) -> None:
    ou = orgunits(directory).get(customerId="my_customer", orgUnitPath="Oficina Jurídica").execute()
    again = orgunits(directory).get(customerId="my_customer", orgUnitPath=ou["orgUnitId"]).execute()
    assert again["orgUnitPath"] == "/Oficina Jurídica"


def test_get_of_an_unknown_org_unit_is_404(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        orgunits(directory).get(customerId="my_customer", orgUnitPath="No Existe").execute()
    assert exc.value.status_code == 404
    assert error_of(exc.value)["message"] == "Org unit not found"


def test_insert_a_child_and_list_children_and_all(directory: Any) -> None:
    child = (
        orgunits(directory)
        .insert(
            customerId="my_customer",
            body={"name": "Tesorería", "parentOrgUnitPath": "/Secretaría de Hacienda"},
        )
        .execute()
    )
    assert child["orgUnitPath"] == "/Secretaría de Hacienda/Tesorería"
    children = orgunits(directory).list(customerId="my_customer").execute()["organizationUnits"]
    everything = orgunits(directory).list(customerId="my_customer", type="all").execute()
    below = (
        orgunits(directory)
        .list(
            customerId="my_customer",
            orgUnitPath="/Secretaría de Hacienda",
            type="allIncludingParent",
        )
        .execute()["organizationUnits"]
    )
    assert len(children) == 14
    assert len(everything["organizationUnits"]) == 15
    assert [u["orgUnitPath"] for u in below] == [
        "/Secretaría de Hacienda",
        "/Secretaría de Hacienda/Tesorería",
    ]


def test_insert_an_existing_org_unit_is_409(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        orgunits(directory).insert(
            customerId="my_customer", body={"name": "Secretaría de Salud", "parentOrgUnitPath": "/"}
        ).execute()
    assert reason_of(exc.value) == "duplicate"


def test_insert_under_a_missing_parent_is_400(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        orgunits(directory).insert(
            customerId="my_customer", body={"name": "X", "parentOrgUnitPath": "/No Existe"}
        ).execute()
    assert error_of(exc.value)["message"] == "Invalid parent orgunit id"


def test_renaming_an_org_unit_moves_its_children_and_users(directory: Any) -> None:
    orgunits(directory).insert(
        customerId="my_customer",
        body={"name": "Tesorería", "parentOrgUnitPath": "/Secretaría de Hacienda"},
    ).execute()
    user = (
        directory.users()
        .insert(body={**USER, "orgUnitPath": "/Secretaría de Hacienda/Tesorería"})
        .execute()
    )
    renamed = (
        orgunits(directory)
        .patch(
            customerId="my_customer",
            orgUnitPath="Secretaría de Hacienda",
            body={"name": "Secretaría de Hacienda Pública"},
        )
        .execute()
    )
    assert renamed["orgUnitPath"] == "/Secretaría de Hacienda Pública"
    child = (
        orgunits(directory)
        .get(customerId="my_customer", orgUnitPath="Secretaría de Hacienda Pública/Tesorería")
        .execute()
    )
    assert child["parentOrgUnitPath"] == "/Secretaría de Hacienda Pública"
    moved = directory.users().get(userKey=user["id"]).execute()
    assert moved["orgUnitPath"] == "/Secretaría de Hacienda Pública/Tesorería"


def test_deleting_an_org_unit_with_users_fails_with_a_clear_message(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        orgunits(directory).delete(
            customerId="my_customer", orgUnitPath="Secretaría de Salud"
        ).execute()
    assert exc.value.status_code == 400
    assert "cannot be deleted" in error_of(exc.value)["message"]


def test_deleting_an_empty_org_unit_removes_it(directory: Any) -> None:
    orgunits(directory).insert(
        customerId="my_customer", body={"name": "Archivo Central", "parentOrgUnitPath": "/"}
    ).execute()
    orgunits(directory).delete(customerId="my_customer", orgUnitPath="Archivo Central").execute()
    with pytest.raises(HttpError) as exc:
        orgunits(directory).get(customerId="my_customer", orgUnitPath="Archivo Central").execute()
    assert exc.value.status_code == 404


def test_domains_list_shows_the_municipal_and_gel_domains(directory: Any) -> None:
    domains = directory.domains().list(customer="my_customer").execute()["domains"]
    by_name = {d["domainName"]: d for d in domains}
    assert set(by_name) == {"cajica.example", "cajica.gov.example"}
    assert by_name["cajica.example"]["isPrimary"] is True
    assert by_name["cajica.gov.example"]["isPrimary"] is False


def test_domains_insert_get_and_delete(directory: Any) -> None:
    created = (
        directory.domains()
        .insert(customer="my_customer", body={"domainName": "concejo-cajica.example"})
        .execute()
    )
    assert created["verified"] is False
    got = (
        directory.domains()
        .get(customer="my_customer", domainName="concejo-cajica.example")
        .execute()
    )
    assert got["domainName"] == "concejo-cajica.example"
    directory.domains().delete(
        customer="my_customer", domainName="concejo-cajica.example"
    ).execute()
    with pytest.raises(HttpError) as exc:
        directory.domains().get(
            customer="my_customer", domainName="concejo-cajica.example"
        ).execute()
    assert exc.value.status_code == 404


def test_the_primary_domain_cannot_be_deleted(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        directory.domains().delete(customer="my_customer", domainName="cajica.example").execute()
    assert error_of(exc.value)["message"] == "Cannot delete primary domain"


def test_a_domain_alias_gives_users_non_editable_aliases(directory: Any) -> None:
    directory.domainAliases().insert(
        customer="my_customer",
        body={"domainAliasName": "alcaldia-cajica.example", "parentDomainName": "cajica.example"},
    ).execute()
    listed = directory.domainAliases().list(customer="my_customer").execute()["domainAliases"]
    assert [a["domainAliasName"] for a in listed] == ["alcaldia-cajica.example"]
    admin = directory.users().get(userKey="admin@cajica.example").execute()
    assert admin["nonEditableAliases"] == ["admin@alcaldia-cajica.example"]
    via_alias = directory.users().get(userKey="admin@alcaldia-cajica.example").execute()
    assert via_alias["id"] == admin["id"]
    with pytest.raises(HttpError) as exc:
        directory.users().insert(
            body={**USER, "primaryEmail": "admin@alcaldia-cajica.example"}
        ).execute()
    assert reason_of(exc.value) == "duplicate"
    directory.domainAliases().delete(
        customer="my_customer", domainAliasName="alcaldia-cajica.example"
    ).execute()
    assert directory.domainAliases().list(customer="my_customer").execute()["domainAliases"] == []


def test_customer_get_by_my_customer_and_by_id(directory: Any) -> None:
    mine = directory.customers().get(customerKey="my_customer").execute()
    again = directory.customers().get(customerKey=mine["id"]).execute()
    assert mine == again
    assert mine["id"] == "C03cajica"
    assert mine["customerDomain"] == "cajica.example"
    assert mine["postalAddress"]["locality"] == "Cajicá"
    assert mine["postalAddress"]["region"] == "Cundinamarca"


def test_customer_of_another_account_is_403_forbidden(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        directory.customers().get(customerKey="C0otro").execute()
    assert exc.value.status_code == 403
    assert reason_of(exc.value) == "forbidden"


def test_customer_patch_merges_the_postal_address(directory: Any) -> None:
    patched = (
        directory.customers()
        .patch(
            customerKey="my_customer",
            body={
                "phoneNumber": "+576018837000",
                "postalAddress": {"addressLine1": "Carrera 4 # 2-29"},
            },
        )
        .execute()
    )
    assert patched["phoneNumber"] == "+576018837000"
    assert patched["postalAddress"]["addressLine1"] == "Carrera 4 # 2-29"
    assert patched["postalAddress"]["locality"] == "Cajicá"


def test_moving_an_org_unit_under_another_changes_its_path(directory: Any) -> None:
    moved = (
        orgunits(directory)
        .patch(
            customerId="my_customer",
            orgUnitPath="Oficina Jurídica",
            body={"parentOrgUnitPath": "/Despacho del Alcalde"},
        )
        .execute()
    )
    assert moved["orgUnitPath"] == "/Despacho del Alcalde/Oficina Jurídica"
    users = (
        directory.users()
        .list(customer="my_customer", query="orgUnitPath='/Despacho del Alcalde/Oficina Jurídica'")
        .execute()["users"]
    )
    assert len(users) == 14


def test_an_org_unit_cannot_move_under_itself(directory: Any) -> None:
    orgunits(directory).insert(
        customerId="my_customer",
        body={"name": "Tesorería", "parentOrgUnitPath": "/Secretaría de Hacienda"},
    ).execute()
    with pytest.raises(HttpError) as exc:
        orgunits(directory).patch(
            customerId="my_customer",
            orgUnitPath="Secretaría de Hacienda",
            body={"parentOrgUnitPath": "/Secretaría de Hacienda/Tesorería"},
        ).execute()
    assert error_of(exc.value)["message"] == "Invalid parent orgunit id"
