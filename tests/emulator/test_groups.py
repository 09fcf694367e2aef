from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.errors import HttpError

from tests.emulator.conftest import error_of, reason_of


def new_group(directory: Any, email: str = "comite@cajica.example") -> dict[str, Any]:
    group: dict[str, Any] = (
        directory.groups().insert(body={"email": email, "name": "Comité de Conciliación"}).execute()
    )
    return group


def test_insert_returns_the_group_with_its_counters(directory: Any) -> None:
    group = new_group(directory)
    assert group["kind"] == "admin#directory#group"
    assert group["email"] == "comite@cajica.example"
    assert group["directMembersCount"] == "0"
    assert group["adminCreated"] is True


def test_insert_without_email_is_400_required(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        directory.groups().insert(body={"name": "Sin correo"}).execute()
    assert reason_of(exc.value) == "required"


def test_a_group_cannot_take_the_address_of_a_user(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        new_group(directory, "admin@cajica.example")
    assert exc.value.status_code == 409
    assert reason_of(exc.value) == "duplicate"


def test_get_finds_a_group_by_email_id_and_alias(directory: Any) -> None:
    by_email = directory.groups().get(groupKey="general@cajica.example").execute()
    by_id = directory.groups().get(groupKey=by_email["id"]).execute()
    by_alias = directory.groups().get(groupKey="contactenos@cajica.example").execute()
    assert by_email["id"] == by_id["id"] == by_alias["id"]
    assert by_email["directMembersCount"] == "24"


def test_get_of_an_unknown_group_is_404_group_key(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        directory.groups().get(groupKey="nada@cajica.example").execute()
    assert error_of(exc.value)["message"] == "Resource Not Found: groupKey"


def test_list_filters_by_query_prefix(directory: Any) -> None:
    page = directory.groups().list(customer="my_customer", query="email:hac*").execute()
    assert [g["email"] for g in page["groups"]] == ["hacienda@cajica.example"]


def test_list_pages_with_max_results(directory: Any) -> None:
    first = directory.groups().list(customer="my_customer", maxResults=10).execute()
    second = (
        directory.groups()
        .list(customer="my_customer", maxResults=10, pageToken=first["nextPageToken"])
        .execute()
    )
    assert len(first["groups"]) == 10
    assert len(second["groups"]) == 5
    assert "nextPageToken" not in second


def test_list_by_user_key_gives_the_groups_of_a_person(directory: Any) -> None:
    page = directory.groups().list(userKey="admin@cajica.example").execute()
    assert [g["email"] for g in page["groups"]] == ["todos@cajica.example"]


def test_patch_and_update_change_name_and_description(directory: Any) -> None:
    group = new_group(directory)
    patched = (
        directory.groups()
        .patch(groupKey=group["id"], body={"description": "Comité del municipio"})
        .execute()
    )
    assert patched["name"] == "Comité de Conciliación"
    assert patched["description"] == "Comité del municipio"
    updated = directory.groups().update(groupKey=group["id"], body={"name": "Comité"}).execute()
    assert updated["name"] == "Comité"
    assert updated["description"] == ""


def test_delete_removes_the_group(directory: Any) -> None:
    group = new_group(directory)
    directory.groups().delete(groupKey=group["email"]).execute()
    with pytest.raises(HttpError) as exc:
        directory.groups().get(groupKey=group["id"]).execute()
    assert exc.value.status_code == 404


def test_group_aliases_are_inserted_listed_and_deleted(directory: Any) -> None:
    group = new_group(directory)
    aliases = directory.groups().aliases()
    aliases.insert(groupKey=group["id"], body={"alias": "conciliacion@cajica.example"}).execute()
    listed = aliases.list(groupKey=group["id"]).execute()["aliases"]
    assert [a["alias"] for a in listed] == ["conciliacion@cajica.example"]
    aliases.delete(groupKey=group["id"], alias="conciliacion@cajica.example").execute()
    assert aliases.list(groupKey=group["id"]).execute()["aliases"] == []


def test_members_insert_adds_a_user_and_counts_it(directory: Any) -> None:
    group = new_group(directory)
    member = (
        directory.members()
        .insert(groupKey=group["id"], body={"email": "admin@cajica.example", "role": "OWNER"})
        .execute()
    )
    assert member["kind"] == "admin#directory#member"
    assert (member["role"], member["type"], member["status"]) == ("OWNER", "USER", "ACTIVE")
    assert directory.groups().get(groupKey=group["id"]).execute()["directMembersCount"] == "1"


def test_members_insert_accepts_an_external_address(directory: Any) -> None:
    group = new_group(directory)
    member = (
        directory.members()
        .insert(groupKey=group["id"], body={"email": "veedor@example.org"})
        .execute()
    )
    assert (member["type"], member["role"]) == ("EXTERNAL", "MEMBER")


def test_a_duplicate_member_is_409_member_already_exists(directory: Any) -> None:
    group = new_group(directory)
    body = {"email": "admin@cajica.example"}
    directory.members().insert(groupKey=group["id"], body=body).execute()
    with pytest.raises(HttpError) as exc:
        directory.members().insert(groupKey=group["id"], body=body).execute()
    assert exc.value.status_code == 409
    assert reason_of(exc.value) == "duplicate"
    assert error_of(exc.value)["message"] == "Member already exists."


def test_a_cyclic_membership_is_412_condition_not_met(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        directory.members().insert(
            groupKey="hacienda@cajica.example", body={"email": "todos@cajica.example"}
        ).execute()
    assert exc.value.status_code == 412
    assert reason_of(exc.value) == "conditionNotMet"
    assert error_of(exc.value)["message"] == "Cyclic memberships not allowed"


def test_inserting_a_member_into_an_unknown_group_is_404_group_key(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        directory.members().insert(
            groupKey="nada@cajica.example", body={"email": "admin@cajica.example"}
        ).execute()
    assert error_of(exc.value)["message"] == "Resource Not Found: groupKey"


def test_inserting_an_unknown_internal_member_is_404_member_key(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        directory.members().insert(
            groupKey="hacienda@cajica.example", body={"email": "nadie@cajica.example"}
        ).execute()
    assert error_of(exc.value)["message"] == "Resource Not Found: memberKey"


def test_members_list_filters_by_role_and_pages(directory: Any) -> None:
    owners = directory.members().list(groupKey="hacienda@cajica.example", roles="OWNER").execute()
    assert len(owners["members"]) == 1
    first = directory.members().list(groupKey="hacienda@cajica.example", maxResults=20).execute()
    rest = (
        directory.members()
        .list(groupKey="hacienda@cajica.example", maxResults=20, pageToken=first["nextPageToken"])
        .execute()
    )
    assert len(first["members"]) + len(rest["members"]) == 30


def test_members_get_patch_and_delete(directory: Any) -> None:
    group = new_group(directory)
    directory.members().insert(
        groupKey=group["id"], body={"email": "admin@cajica.example"}
    ).execute()
    got = directory.members().get(groupKey=group["id"], memberKey="admin@cajica.example").execute()
    assert got["role"] == "MEMBER"
    patched = (
        directory.members()
        .patch(groupKey=group["id"], memberKey=got["id"], body={"role": "MANAGER"})
        .execute()
    )
    assert patched["role"] == "MANAGER"
    directory.members().delete(groupKey=group["id"], memberKey="admin@cajica.example").execute()
    with pytest.raises(HttpError) as exc:
        directory.members().get(groupKey=group["id"], memberKey="admin@cajica.example").execute()
    assert error_of(exc.value)["message"] == "Resource Not Found: memberKey"


def test_has_member_sees_direct_and_nested_membership(directory: Any) -> None:
    direct = (
        directory.members()
        .hasMember(groupKey="todos@cajica.example", memberKey="admin@cajica.example")
        .execute()
    )
    one = directory.members().list(groupKey="salud@cajica.example", maxResults=1).execute()
    nested = (
        directory.members()
        .hasMember(groupKey="todos@cajica.example", memberKey=one["members"][0]["email"])
        .execute()
    )
    outside = (
        directory.members()
        .hasMember(groupKey="salud@cajica.example", memberKey="admin@cajica.example")
        .execute()
    )
    assert direct == {"isMember": True}
    assert nested == {"isMember": True}
    assert outside == {"isMember": False}
