from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.errors import HttpError

from tests.emulator.conftest import error_of


def emails(page: dict[str, Any]) -> list[str]:
    return [u["primaryEmail"] for u in page.get("users", [])]


def all_users(directory: Any, **params: Any) -> list[dict[str, Any]]:
    users: list[dict[str, Any]] = []
    request = directory.users().list(**params)
    while request is not None:
        page = request.execute()
        users += page.get("users", [])
        request = directory.users().list_next(request, page)
    return users


def test_list_pages_through_every_user_with_opaque_tokens(directory: Any) -> None:
    first = directory.users().list(customer="my_customer", maxResults=100).execute()
    assert len(first["users"]) == 100
    assert not first["nextPageToken"].isdigit()
    users = all_users(directory, customer="my_customer", maxResults=100)
    assert len(users) == 300
    assert len({u["id"] for u in users}) == 300


def test_list_is_sorted_by_email_by_default(directory: Any) -> None:
    got = emails(directory.users().list(customer="my_customer", maxResults=50).execute())
    assert got == sorted(got)


def test_list_orders_by_family_name_descending(directory: Any) -> None:
    page = (
        directory.users()
        .list(customer="my_customer", orderBy="familyName", sortOrder="DESCENDING", maxResults=500)
        .execute()
    )
    names = [u["name"]["familyName"].lower() for u in page["users"]]
    assert names == sorted(names, reverse=True)


def test_list_without_customer_or_domain_is_400(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        directory.users().list().execute()
    assert exc.value.status_code == 400


@pytest.mark.parametrize("size", [0, 501])
def test_max_results_outside_the_range_is_400_invalid(directory: Any, size: int) -> None:
    with pytest.raises(HttpError) as exc:
        directory.users().list(customer="my_customer", maxResults=size).execute()
    assert error_of(exc.value)["message"] == (
        f"Invalid value '{size}'. Values must be within the range: [1, 500]"
    )


def test_a_forged_page_token_is_400(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        directory.users().list(customer="my_customer", pageToken="100").execute()
    assert exc.value.status_code == 400


def test_domain_lists_only_the_users_of_that_domain(directory: Any) -> None:
    users = all_users(directory, domain="cajica.gov.example", maxResults=500)
    assert users
    assert all(u["primaryEmail"].endswith("@cajica.gov.example") for u in users)


def test_query_is_suspended_finds_the_suspended_users(directory: Any) -> None:
    users = all_users(directory, customer="my_customer", query="isSuspended=true")
    assert 5 <= len(users) <= 30
    assert all(u["suspended"] for u in users)


def test_query_is_admin_finds_the_super_admin(directory: Any) -> None:
    users = all_users(directory, customer="my_customer", query="isAdmin=true")
    assert [u["primaryEmail"] for u in users] == ["admin@cajica.example"]


def test_query_org_unit_path_with_quotes_and_accents(directory: Any) -> None:
    users = all_users(
        directory, customer="my_customer", query="orgUnitPath='/Secretaría de Hacienda'"
    )
    assert len(users) == 30
    assert {u["orgUnitPath"] for u in users} == {"/Secretaría de Hacienda"}


def test_query_email_prefix_matches_primary_addresses_and_aliases(directory: Any) -> None:
    users = all_users(directory, customer="my_customer", query="email:tesoreria*")
    assert len(users) == 1
    assert "tesoreria@cajica.example" in users[0]["aliases"]


def test_query_clauses_are_anded(directory: Any) -> None:
    users = all_users(
        directory,
        customer="my_customer",
        query="orgDepartment:'Secretaría de Salud' isSuspended=false",
    )
    assert users
    assert all(
        u["organizations"][0]["department"] == "Secretaría de Salud" and not u["suspended"]
        for u in users
    )


def test_query_given_name_is_case_insensitive_but_accent_sensitive(directory: Any) -> None:
    accented = all_users(directory, customer="my_customer", query="givenName:lucía*")
    plain = all_users(directory, customer="my_customer", query="givenName:lucia*")
    assert accented
    assert all(u["name"]["givenName"].lower().startswith("lucía") for u in accented)
    assert plain == []


def test_query_external_id_finds_the_person_by_document(directory: Any) -> None:
    users = all_users(directory, customer="my_customer", query="externalId=1000000001")
    assert [u["primaryEmail"] for u in users] == ["admin@cajica.example"]


def test_an_unsupported_query_field_is_400_invalid_query(directory: Any) -> None:
    with pytest.raises(HttpError) as exc:
        directory.users().list(customer="my_customer", query="shoeSize=42").execute()
    assert error_of(exc.value)["message"] == "Invalid query"


def test_fields_selects_a_partial_response(directory: Any) -> None:
    page = (
        directory.users()
        .list(
            customer="my_customer",
            maxResults=2,
            fields="users(primaryEmail,name/givenName),nextPageToken",
        )
        .execute()
    )
    assert set(page) == {"users", "nextPageToken"}
    assert set(page["users"][0]) == {"primaryEmail", "name"}
    assert set(page["users"][0]["name"]) == {"givenName"}


def test_the_basic_projection_hides_custom_schemas(directory: Any) -> None:
    admin = directory.users().get(userKey="admin@cajica.example").execute()
    assert "customSchemas" not in admin


def test_the_full_projection_shows_custom_schemas(directory: Any) -> None:
    admin = directory.users().get(userKey="admin@cajica.example", projection="full").execute()
    assert admin["customSchemas"]["Vinculacion"]["tipo"] == "planta"


def test_the_custom_projection_shows_only_the_masked_schemas(directory: Any) -> None:
    page = (
        directory.users()
        .list(
            customer="my_customer",
            maxResults=5,
            projection="custom",
            customFieldMask="Vinculacion",
        )
        .execute()
    )
    assert all(set(u["customSchemas"]) == {"Vinculacion"} for u in page["users"])
