from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.errors import HttpError

from tests.emulator.conftest import error_of, reason_of

NEW = {
    "primaryEmail": "maria.munoz@cajica.example",
    "name": {"givenName": "María Fernanda", "familyName": "Muñoz Peña"},
    "password": "Cl4ve-Segura-2026",
    "orgUnitPath": "/Secretaría de Hacienda",
    "organizations": [
        {"department": "Secretaría de Hacienda", "title": "Tesorera", "primary": True}
    ],
    "externalIds": [{"type": "organization", "value": "52123456"}],
    "recoveryPhone": "+573101234567",
}


def insert(directory: Any, **changes: Any) -> dict[str, Any]:
    body = {**NEW, **changes}
    result: dict[str, Any] = directory.users().insert(body=body).execute()
    return result


def test_insert_returns_the_user_with_output_only_fields_filled(directory: Any) -> None:
    user = insert(directory)
    assert user["kind"] == "admin#directory#user"
    assert user["id"].isdigit()
    assert user["primaryEmail"] == "maria.munoz@cajica.example"
    assert user["name"]["fullName"] == "María Fernanda Muñoz Peña"
    assert user["customerId"] == "C03cajica"
    assert user["isAdmin"] is False and user["suspended"] is False
    assert user["isMailboxSetup"] is True
    assert user["creationTime"].endswith("Z")
    assert user["organizations"][0]["title"] == "Tesorera"


def test_insert_never_returns_the_password_or_its_hash_function(directory: Any) -> None:
    user = insert(directory, password="a" * 40, hashFunction="SHA-1")
    fetched = directory.users().get(userKey=user["id"]).execute()
    assert "password" not in user and "hashFunction" not in user
    assert "password" not in fetched and "hashFunction" not in fetched


@pytest.mark.parametrize(
    ("password", "hash_function"),
    [
        ("0123456789abcdef0123456789abcdef", "MD5"),
        ("$6$rounds=5000$saltsalt$" + "A" * 86, "crypt"),
        ("$6$saltsalt$" + "b" * 86, "crypt"),
    ],
)
def test_insert_accepts_well_formed_password_hashes(
    directory: Any, password: str, hash_function: str
) -> None:
    user = insert(directory, password=password, hashFunction=hash_function)
    assert user["primaryEmail"] == NEW["primaryEmail"]


@pytest.mark.parametrize(
    ("password", "hash_function"),
    [
        ("not-hex", "MD5"),
        ("$6$rounds=20000$saltsalt$" + "A" * 86, "crypt"),
        ("corta", None),
    ],
)
def test_insert_rejects_bad_passwords_with_invalid_password(
    directory: Any, password: str, hash_function: str | None
) -> None:
    body = {**NEW, "password": password}
    if hash_function:
        body["hashFunction"] = hash_function
    with pytest.raises(HttpError) as exc:
        directory.users().insert(body=body).execute()
    assert exc.value.status_code == 400
    assert error_of(exc.value)["message"] == "Invalid Password"


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("primaryEmail", "Missing required field: primaryEmail"),
        ("password", "Missing required field: password"),
    ],
)
def test_insert_without_a_required_field_is_a_400_required(
    directory: Any, missing: str, message: str
) -> None:
    body = {k: v for k, v in NEW.items() if k != missing}
    with pytest.raises(HttpError) as exc:
        directory.users().insert(body=body).execute()
    assert exc.value.status_code == 400
    assert reason_of(exc.value) == "required"
    assert error_of(exc.value)["message"] == message


def test_insert_without_a_family_name_is_a_400_required(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        insert(directory, name={"givenName": "Ana"})
    assert error_of(exc.value)["message"] == "Missing required field: name.familyName"


def test_insert_in_a_domain_of_another_customer_is_refused(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        insert(directory, primaryEmail="ana@otro.example")
    assert exc.value.status_code == 400
    assert error_of(exc.value)["message"] == "Domain not found."


def test_insert_into_a_missing_org_unit_is_refused(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        insert(directory, orgUnitPath="/No Existe")
    assert error_of(exc.value)["message"] == "Invalid Input: INVALID_OU_ID"


def test_insert_with_a_recovery_phone_not_in_e164_is_refused(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        insert(directory, recoveryPhone="310 123 4567")
    assert error_of(exc.value)["message"] == "Invalid Input: recoveryPhone"


def test_inserting_an_existing_address_is_409_duplicate(directory: Any) -> None:
    insert(directory)
    with pytest.raises(HttpError) as exc:
        insert(directory)
    assert exc.value.status_code == 409
    assert reason_of(exc.value) == "duplicate"
    assert error_of(exc.value) == {
        "code": 409,
        "message": "Entity already exists.",
        "errors": [
            {"message": "Entity already exists.", "domain": "global", "reason": "duplicate"}
        ],
        "status": "ALREADY_EXISTS",
    }


def test_get_finds_a_user_by_email_by_id_and_by_alias(directory: Any) -> None:
    user = insert(directory)
    directory.users().aliases().insert(
        userKey=user["id"], body={"alias": "tesoreria2@cajica.example"}
    ).execute()
    by_email = directory.users().get(userKey="MARIA.MUNOZ@cajica.example").execute()
    by_id = directory.users().get(userKey=user["id"]).execute()
    by_alias = directory.users().get(userKey="tesoreria2@cajica.example").execute()
    assert by_email["id"] == by_id["id"] == by_alias["id"] == user["id"]
    assert by_id["aliases"] == ["tesoreria2@cajica.example"]


def test_get_of_an_unknown_user_is_404_resource_not_found_user_key(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        directory.users().get(userKey="nadie@cajica.example").execute()
    assert exc.value.status_code == 404
    assert reason_of(exc.value) == "notFound"
    assert error_of(exc.value)["message"] == "Resource Not Found: userKey"


def test_patch_changes_only_the_given_fields(directory: Any) -> None:
    user = insert(directory)
    patched = (
        directory.users()
        .patch(userKey=user["id"], body={"name": {"familyName": "Muñoz Rojas"}, "suspended": True})
        .execute()
    )
    assert patched["name"] == {
        "givenName": "María Fernanda",
        "familyName": "Muñoz Rojas",
        "fullName": "María Fernanda Muñoz Rojas",
    }
    assert patched["suspended"] is True
    assert patched["organizations"] == NEW["organizations"]


def test_update_replaces_the_writable_fields(directory: Any) -> None:
    user = insert(directory)
    updated = (
        directory.users()
        .update(
            userKey=user["id"],
            body={"name": {"givenName": "María", "familyName": "Muñoz"}, "orgUnitPath": "/"},
        )
        .execute()
    )
    assert updated["orgUnitPath"] == "/"
    assert "organizations" not in updated
    assert updated["primaryEmail"] == NEW["primaryEmail"]


def test_renaming_the_primary_email_keeps_the_old_address_as_alias(directory: Any) -> None:
    user = insert(directory)
    renamed = (
        directory.users()
        .patch(userKey=user["id"], body={"primaryEmail": "mfmunoz@cajica.gov.example"})
        .execute()
    )
    assert renamed["primaryEmail"] == "mfmunoz@cajica.gov.example"
    assert renamed["aliases"] == ["maria.munoz@cajica.example"]
    old = directory.users().get(userKey="maria.munoz@cajica.example").execute()
    assert old["id"] == user["id"]


def test_delete_hides_the_user_and_lists_it_with_show_deleted(directory: Any) -> None:
    user = insert(directory)
    directory.users().delete(userKey=user["primaryEmail"]).execute()
    with pytest.raises(HttpError) as exc:
        directory.users().get(userKey=user["id"]).execute()
    assert exc.value.status_code == 404
    deleted = directory.users().list(customer="my_customer", showDeleted="true").execute()
    assert [u["id"] for u in deleted["users"]] == [user["id"]]


def test_undelete_restores_the_user_into_the_given_org_unit(directory: Any) -> None:
    user = insert(directory)
    directory.users().delete(userKey=user["id"]).execute()
    directory.users().undelete(
        userKey=user["id"], body={"orgUnitPath": "/Secretaría General"}
    ).execute()
    restored = directory.users().get(userKey=user["primaryEmail"]).execute()
    assert restored["orgUnitPath"] == "/Secretaría General"


def test_make_admin_sets_is_admin(directory: Any) -> None:
    user = insert(directory)
    directory.users().makeAdmin(userKey=user["id"], body={"status": True}).execute()
    assert directory.users().get(userKey=user["id"]).execute()["isAdmin"] is True


def test_sign_out_of_an_existing_user_answers_no_content(directory: Any) -> None:
    user = insert(directory)
    assert directory.users().signOut(userKey=user["id"]).execute() == ""


def test_aliases_are_listed_and_deleted(directory: Any) -> None:
    user = insert(directory)
    aliases = directory.users().aliases()
    aliases.insert(userKey=user["id"], body={"alias": "mf@cajica.example"}).execute()
    listed = aliases.list(userKey=user["id"]).execute()
    assert [a["alias"] for a in listed["aliases"]] == ["mf@cajica.example"]
    aliases.delete(userKey=user["id"], alias="mf@cajica.example").execute()
    assert aliases.list(userKey=user["id"]).execute()["aliases"] == []


def test_an_alias_already_used_by_a_group_is_409_duplicate(directory: Any) -> None:
    user = insert(directory)
    with pytest.raises(HttpError) as exc:
        directory.users().aliases().insert(
            userKey=user["id"], body={"alias": "hacienda@cajica.example"}
        ).execute()
    assert exc.value.status_code == 409
    assert error_of(exc.value)["message"] == "Entity already exists."


def test_a_group_alias_already_used_by_a_user_is_409_duplicate(directory: Any) -> None:
    insert(directory)
    with pytest.raises(HttpError) as exc:
        directory.groups().aliases().insert(
            groupKey="hacienda@cajica.example", body={"alias": NEW["primaryEmail"]}
        ).execute()
    assert reason_of(exc.value) == "duplicate"


def test_a_deleted_address_can_be_reused_and_then_undelete_conflicts(directory: Any) -> None:
    first = insert(directory)
    directory.users().delete(userKey=first["id"]).execute()
    second = insert(directory)
    with pytest.raises(HttpError) as exc:
        directory.users().undelete(userKey=first["id"], body={"orgUnitPath": "/"}).execute()
    assert second["id"] != first["id"]
    assert exc.value.status_code == 412
    assert reason_of(exc.value) == "conditionNotMet"
