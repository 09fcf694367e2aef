from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mailops.emulator import EmulatorServer
from mailops.emulator.seed import load_dependencias, transliterate
from tests.emulator.conftest import directory_client

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def snapshot() -> dict[str, Any]:
    with EmulatorServer(clock=lambda: NOW) as emu, directory_client(emu.base_url) as directory:
        return {
            "users": directory.users()
            .list(customer="my_customer", maxResults=500, projection="full")
            .execute(),
            "groups": directory.groups().list(customer="my_customer").execute(),
            "orgunits": directory.orgunits().list(customerId="my_customer", type="all").execute(),
            "members": directory.members().list(groupKey="hacienda@cajica.example").execute(),
            "customer": directory.customers().get(customerKey="my_customer").execute(),
        }


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    return snapshot()


def test_two_seeds_with_the_same_clock_give_identical_json(demo: dict[str, Any]) -> None:
    assert snapshot() == demo


def test_the_demo_has_300_users(demo: dict[str, Any]) -> None:
    assert len(demo["users"]["users"]) == 300


def test_every_dependencia_has_its_org_unit_and_group(demo: dict[str, Any]) -> None:
    paths = {ou["orgUnitPath"] for ou in demo["orgunits"]["organizationUnits"]}
    groups = {g["email"]: g for g in demo["groups"]["groups"]}
    for dep in load_dependencias():
        assert dep.org_unit_path in paths
        assert groups[dep.group_email]["name"] == dep.group_name
        assert int(groups[dep.group_email]["directMembersCount"]) > 0
    assert groups["todos@cajica.example"]["directMembersCount"] == str(len(load_dependencias()) + 1)


def test_dependencias_are_the_fourteen_of_the_municipality() -> None:
    deps = load_dependencias()
    hacienda = next(d for d in deps if d.codigo == "hacienda")
    assert len(deps) == 14
    assert hacienda.nombre == "Secretaría de Hacienda"
    assert hacienda.org_unit_path == "/Secretaría de Hacienda"
    assert hacienda.group_email == "hacienda@cajica.example"


def test_names_carry_accents_enes_and_two_surnames(demo: dict[str, Any]) -> None:
    users = demo["users"]["users"]
    full = " ".join(u["name"]["fullName"] for u in users)
    assert "ñ" in full and any(c in full for c in "áéíóú")
    people = [u for u in users if u["primaryEmail"] != "admin@cajica.example"]
    assert all(len(u["name"]["familyName"].split()) >= 2 for u in people)
    assert all(u["primaryEmail"].isascii() for u in users)


def test_addresses_are_nombre_apellido_transliterated(demo: dict[str, Any]) -> None:
    user = next(u for u in demo["users"]["users"] if "ñ" in u["name"]["familyName"].split()[0])
    local = user["primaryEmail"].split("@")[0]
    first = transliterate(user["name"]["givenName"].split()[0])
    assert local.startswith(f"{first}.{transliterate(user['name']['familyName'].split()[0])}")


def test_about_five_percent_are_suspended_and_some_use_the_gel_domain(
    demo: dict[str, Any],
) -> None:
    users = demo["users"]["users"]
    suspended = [u for u in users if u["suspended"]]
    gel = [u for u in users if u["primaryEmail"].endswith("@cajica.gov.example")]
    assert 5 <= len(suspended) <= 30
    assert 10 <= len(gel) <= 60


def test_the_super_admin_lives_in_the_tics_org_unit(demo: dict[str, Any]) -> None:
    admin = next(u for u in demo["users"]["users"] if u["primaryEmail"] == "admin@cajica.example")
    assert admin["isAdmin"] is True
    assert admin["orgUnitPath"] == "/Dirección TICS-CTEI"


def test_people_carry_document_vinculacion_and_organization(demo: dict[str, Any]) -> None:
    users = demo["users"]["users"]
    kinds = {u["customSchemas"]["Vinculacion"]["tipo"] for u in users}
    contractors = [u for u in users if u["customSchemas"]["Vinculacion"]["tipo"] == "contratista"]
    assert kinds == {"planta", "contratista", "pasante"}
    assert all("fecha_fin" in u["customSchemas"]["Vinculacion"] for u in contractors)
    assert all(u["externalIds"][0]["type"] == "organization" for u in users)
    assert all(u["organizations"][0]["primary"] is True for u in users)


def test_creation_times_spread_over_the_last_three_years(demo: dict[str, Any]) -> None:
    times = [
        datetime.strptime(u["creationTime"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        for u in demo["users"]["users"]
    ]
    assert min(times) >= NOW - timedelta(days=3 * 365 + 1)
    assert max(times) <= NOW
    assert max(times) - min(times) > timedelta(days=2 * 365)


def test_some_people_have_functional_aliases(demo: dict[str, Any]) -> None:
    aliases = [a for u in demo["users"]["users"] for a in u.get("aliases", [])]
    assert "tesoreria@cajica.example" in aliases
    assert len(aliases) >= 5


def test_the_customer_is_the_municipality_in_cajica(demo: dict[str, Any]) -> None:
    address = demo["customer"]["postalAddress"]
    assert address["organizationName"] == "Alcaldía Municipal de Cajicá"
    assert (address["locality"], address["region"], address["countryCode"]) == (
        "Cajicá",
        "Cundinamarca",
        "CO",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("María", "maria"), ("Muñoz", "munoz"), ("Peña Ávila", "penaavila"), ("Ángela", "angela")],
)
def test_transliterate_removes_accents_and_enes(text: str, expected: str) -> None:
    assert transliterate(text) == expected
