from __future__ import annotations

from typing import Any

import pytest

from mailops.emulator.directory.query import Clause, matches, parse_query
from mailops.emulator.errors import ApiError

USER: dict[str, Any] = {
    "primaryEmail": "maria.munoz@cajica.example",
    "aliases": ["tesoreria@cajica.example"],
    "name": {
        "givenName": "María Fernanda",
        "familyName": "Muñoz Peña",
        "fullName": "María Fernanda Muñoz Peña",
    },
    "orgUnitPath": "/Secretaría de Hacienda/Tesorería",
    "suspended": False,
    "isAdmin": False,
    "organizations": [{"department": "Secretaría de Hacienda", "title": "Tesorera"}],
    "externalIds": [{"type": "organization", "value": "52123456"}],
}


def test_quoted_values_and_bare_words_are_parsed() -> None:
    assert parse_query("orgUnitPath='/Secretaría de Hacienda' muñoz") == [
        Clause("orgUnitPath", "=", "/Secretaría de Hacienda"),
        Clause(None, "", "muñoz"),
    ]


@pytest.mark.parametrize(
    "query",
    [
        "orgUnitPath='/Secretaría de Hacienda'",
        "email:tesoreria*",
        "familyName:muñoz",
        "name:'Fernanda Muñoz'",
        "isSuspended=false isAdmin=False",
        "orgTitle:tesorera",
        "externalId=52123456",
        "MARÍA",
    ],
)
def test_the_user_matches(query: str) -> None:
    assert matches(USER, parse_query(query))


@pytest.mark.parametrize(
    "query",
    ["familyName:munoz", "orgUnitPath='/Secretaría de Salud'", "isSuspended=true", "email:pedro*"],
)
def test_the_user_does_not_match(query: str) -> None:
    assert not matches(USER, parse_query(query))


@pytest.mark.parametrize(
    "query", ["shoeSize=42", "isAdmin:true", "orgUnitPath:/X", "isSuspended=quizas"]
)
def test_unsupported_queries_are_400_invalid_query(query: str) -> None:
    with pytest.raises(ApiError) as exc:
        parse_query(query)
    assert (exc.value.code, exc.value.message) == (400, "Invalid query")
