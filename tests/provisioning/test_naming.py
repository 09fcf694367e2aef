"""Addresses: the rule, transliteration, Google's limits, collisions, determinism."""

from __future__ import annotations

import re

import pytest

from mailops.errors import InputError
from mailops.provisioning.naming import NamingRule, assign_addresses, slug, split_surnames

D = "cajica.example"


def one(
    given: str, family: str, taken: list[str] | None = None, rule: NamingRule | None = None
) -> str:
    return assign_addresses([("k", given, family)], D, taken or [], rule)["k"]


def test_the_default_rule_is_first_name_dot_first_surname() -> None:
    assert one("María José", "Muñoz Peña") == "maria.munoz@cajica.example"


def test_accents_and_enye_are_transliterated() -> None:
    assert one("Ñuflo Óscar", "Castañeda Ibáñez") == "nuflo.castaneda@cajica.example"


def test_characters_google_rejects_are_removed() -> None:
    assert slug("D'Alemán-Pérez") == "dalemanperez"
    assert one("Ana", "O'Connor") == "ana.oconnor@cajica.example"


def test_particles_stay_with_their_surname() -> None:
    assert split_surnames("de la Torre Gómez") == ("de la Torre", "Gómez")
    assert one("Óscar", "Castañeda de la Torre") == "oscar.castaneda@cajica.example"
    assert one("Luis", "del Río") == "luis.delrio@cajica.example"


def test_a_taken_address_gets_the_second_surname_then_a_number() -> None:
    taken = ["maria.munoz@cajica.example"]
    assert one("María", "Muñoz Peña", taken) == "maria.munoz.pena@cajica.example"
    taken.append("MARIA.MUNOZ.PENA@cajica.example")
    assert one("María", "Muñoz Peña", taken) == "maria.munoz2@cajica.example"


def test_without_second_surname_a_number_is_added() -> None:
    assert one("Ana", "Ruiz", ["ana.ruiz@cajica.example"]) == "ana.ruiz2@cajica.example"


def test_people_of_the_same_batch_do_not_collide_and_earlier_rows_win() -> None:
    out = assign_addresses(
        [("2", "Ana", "Ruiz Gil"), ("3", "Ana", "Ruiz Gil"), ("4", "Ana", "Ruiz")], D, []
    )
    assert out == {
        "2": "ana.ruiz@cajica.example",
        "3": "ana.ruiz.gil@cajica.example",
        "4": "ana.ruiz2@cajica.example",
    }


def test_addresses_are_deterministic() -> None:
    batch = [(str(i), "Ana", "Ruiz Gil") for i in range(20)]
    assert assign_addresses(batch, D, ["ana.ruiz5@cajica.example"]) == assign_addresses(
        batch, D, ["ana.ruiz5@cajica.example"]
    )
    assert (
        "ana.ruiz5@cajica.example"
        not in assign_addresses(batch, D, ["ana.ruiz5@cajica.example"]).values()
    )


def test_the_local_part_is_cut_to_googles_limit_even_with_a_number() -> None:
    long_family = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft Ruiz"
    first = one("Maximiliano", long_family)
    assert len(first.partition("@")[0]) == 64
    second = one("Maximiliano", long_family, [first])
    assert second.partition("@")[0] == first.partition("@")[0][:63] + "2"


def test_a_configured_rule_is_followed() -> None:
    rule = NamingRule("{inicial}{apellido}")
    assert one("María José", "Muñoz Peña", rule=rule) == "mmunoz@cajica.example"


def test_a_rule_with_unknown_placeholders_is_refused() -> None:
    with pytest.raises(
        InputError, match=re.escape("regla de nombres inválida «{nombre}.{cedula}»")
    ):
        NamingRule("{nombre}.{cedula}")
