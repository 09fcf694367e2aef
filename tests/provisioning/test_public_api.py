"""The package's public surface is complete and importable."""

from __future__ import annotations

import mailops.provisioning as provisioning


def test_every_advertised_name_is_importable() -> None:
    missing = [name for name in provisioning.__all__ if not hasattr(provisioning, name)]
    assert missing == []


def test_the_advertised_names_are_sorted_and_unique() -> None:
    names = list(provisioning.__all__)
    assert len(names) == len(set(names))
