from __future__ import annotations

import pytest

from mailops.emulator.errors import ApiError
from mailops.emulator.partial import apply_fields, parse_fields

PAGE = {
    "kind": "admin#directory#users",
    "nextPageToken": "abc",
    "users": [
        {"primaryEmail": "a@cajica.example", "name": {"givenName": "Ana", "familyName": "Díaz"}},
        {"primaryEmail": "b@cajica.example", "name": {"givenName": "Beto", "familyName": "Niño"}},
    ],
}


def test_a_nested_selection_keeps_only_the_named_fields() -> None:
    tree = parse_fields("users(primaryEmail,name/givenName),nextPageToken")
    assert apply_fields(PAGE, tree) == {
        "nextPageToken": "abc",
        "users": [
            {"primaryEmail": "a@cajica.example", "name": {"givenName": "Ana"}},
            {"primaryEmail": "b@cajica.example", "name": {"givenName": "Beto"}},
        ],
    }


def test_a_top_level_selection_keeps_whole_subtrees() -> None:
    assert apply_fields(PAGE, parse_fields("kind")) == {"kind": "admin#directory#users"}


@pytest.mark.parametrize("spec", ["users(", "users)", ",", "users(name//x)"])
def test_a_malformed_selection_is_400(spec: str) -> None:
    with pytest.raises(ApiError) as exc:
        parse_fields(spec)
    assert exc.value.code == 400
    assert exc.value.message.startswith("Invalid field selection")
