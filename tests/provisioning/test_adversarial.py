"""Hostile tests of the sealed credentials file and the apply journal."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailops.errors import InputError
from mailops.provisioning.credentials import CredentialsFile, sha512_crypt
from mailops.provisioning.journal import Journal


def _matches(creds_path: Path, document_id: str, password_hash: str) -> bool:
    password = CredentialsFile(creds_path).password_for(document_id)
    assert password is not None
    salt = password_hash.split("$")[3]
    return sha512_crypt(password, salt, 1000) == password_hash


def test_two_writers_of_one_file_never_give_one_person_two_passwords(tmp_path: Path) -> None:
    # two runs of the same batch, each having read the file before either issued
    first = CredentialsFile.for_batch(tmp_path, "lote-1", rounds=1000)
    second = CredentialsFile.for_batch(tmp_path, "lote-1", rounds=1000)
    assert first.count == second.count == 0
    a = first.issue("52123456", "maria.munoz@cajica.example")
    b = second.issue("52123456", "maria.munoz@cajica.example")
    assert b.reused
    assert _matches(first.path, "52123456", a.password_hash)
    assert _matches(first.path, "52123456", b.password_hash)
    assert CredentialsFile(first.path).count == 1


def test_a_line_torn_by_a_crash_does_not_corrupt_the_next_entry(tmp_path: Path) -> None:
    creds = CredentialsFile.for_batch(tmp_path, "lote-1", rounds=1000)
    creds.issue("52123456", "maria.munoz@cajica.example")
    with creds.path.open("a", encoding="utf-8") as fh:
        fh.write("80234567,oscar.castaneda@cajica.example,Abc")  # no newline: cut mid-write
    resumed = CredentialsFile.for_batch(tmp_path, "lote-1", rounds=1000)
    issued = resumed.issue("80234567", "oscar.castaneda@cajica.example")
    assert not issued.reused
    assert _matches(creds.path, "80234567", issued.password_hash)
    assert CredentialsFile(creds.path).count == 2


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_the_file_and_folder_are_private_even_with_a_permissive_umask(
    tmp_path: Path, permissive_umask: None
) -> None:
    creds = CredentialsFile.for_batch(tmp_path / "estado", "lote-1", rounds=1000)
    creds.issue("52123456", "maria.munoz@cajica.example")
    assert stat.S_IMODE(creds.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(creds.path.parent.stat().st_mode) == 0o700


def test_a_damaged_journal_is_a_spanish_error_and_is_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "aprovisionamiento" / "diario.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"esto no es una base de datos" * 100)
    before = path.read_bytes()
    with pytest.raises(InputError, match="el diario de cambios está dañado") as caught:
        Journal(path)
    assert caught.value.where == str(path)
    assert path.read_bytes() == before


def test_a_truncated_journal_is_a_spanish_error(tmp_path: Path) -> None:
    path = tmp_path / "diario.sqlite3"
    with Journal(path) as journal:
        journal.commit()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=DELETE")
    db.executemany(
        "INSERT INTO steps (batch, step, kind, user, target, status, intended_at) "
        "VALUES (?, ?, 'create', 'u', 't', 'done', 'x')",
        [("b", f"s{i}") for i in range(2000)],
    )
    db.commit()
    db.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="el diario de cambios está dañado"):
        Journal(path)
