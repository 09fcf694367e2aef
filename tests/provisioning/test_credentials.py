"""SHA-crypt against the specification's vectors, password strength, the sealed file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from mailops.errors import InputError
from mailops.provisioning.credentials import (
    PASSWORD_ALPHABET,
    CredentialsFile,
    generate_password,
    sha512_crypt,
)

# Test vectors published with Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512".
VECTORS = [
    (
        "saltstring",
        None,
        "Hello world!",
        "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEd"
        "FCoEOfaS35inz1",
    ),
    (
        "saltstringsaltstring",
        10000,
        "Hello world!",
        "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0D"
        "p8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.",
    ),
    (
        "toolongsaltstring",
        5000,
        "This is just a test",
        "$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUh"
        "x1yxdYcz/e1JSbq3y6JMxxl8audkUEm0",
    ),
    (
        "anotherlongsaltstring",
        1400,
        "a very much longer text to encrypt.  This one even stretches over morethan one line.",
        "$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs"
        "66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1",
    ),
    (
        "short",
        77777,
        "we have a short salt string but not a short password",
        "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeO"
        "xFmtlcGZelFl5CxtgfiAc0",
    ),
    (
        "roundstoolow",
        10,
        "the minimum number is still observed",
        "$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaT"
        "fF4ZEQpyUNGc0dqbpBYYBaHHrsX.",
    ),
]


@pytest.mark.parametrize(("salt", "rounds", "password", "expected"), VECTORS)
def test_sha512_crypt_matches_the_published_test_vectors(
    salt: str, rounds: int | None, password: str, expected: str
) -> None:
    assert sha512_crypt(password, salt, rounds) == expected


def test_generated_passwords_are_long_mixed_and_unambiguous() -> None:
    for _ in range(200):
        pw = generate_password()
        assert len(pw) >= 16
        assert set(pw) <= set(PASSWORD_ALPHABET)
        assert any(c.islower() for c in pw) and any(c.isupper() for c in pw)
        assert any(c.isdigit() for c in pw) and any(not c.isalnum() for c in pw)
        assert not set(pw) & set("0O1lI")


def test_issuing_writes_a_file_only_its_owner_can_read(tmp_path: Path) -> None:
    creds = CredentialsFile.for_batch(tmp_path, "lote-1", rounds=1000)
    issued = creds.issue("52123456", "maria.munoz@cajica.example")
    assert issued.password_hash.startswith("$6$rounds=1000$")
    assert stat.S_IMODE(creds.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(creds.path.parent.stat().st_mode) == 0o700
    assert creds.path == tmp_path / "credenciales" / "lote-1.csv"


def test_the_hash_returned_is_the_hash_of_the_password_on_file(tmp_path: Path) -> None:
    creds = CredentialsFile.for_batch(tmp_path, "lote-1", rounds=1000)
    issued = creds.issue("52123456", "maria.munoz@cajica.example")
    password = CredentialsFile(creds.path).password_for("52123456")
    assert password is not None
    salt = issued.password_hash.split("$")[3]
    assert sha512_crypt(password, salt, 1000) == issued.password_hash


def test_issuing_again_for_the_same_person_reuses_the_password_on_file(tmp_path: Path) -> None:
    first = CredentialsFile.for_batch(tmp_path, "lote-1", rounds=1000)
    first.issue("52123456", "maria.munoz@cajica.example")
    again = CredentialsFile.for_batch(tmp_path, "lote-1", rounds=1000)
    issued = again.issue("52123456", "maria.munoz@cajica.example")
    assert issued.reused and again.count == 1
    assert len(again.path.read_text(encoding="utf-8").splitlines()) == 2  # header + one entry


def test_a_torn_last_line_from_a_crash_is_ignored(tmp_path: Path) -> None:
    creds = CredentialsFile.for_batch(tmp_path, "lote-1", rounds=1000)
    creds.issue("52123456", "maria.munoz@cajica.example")
    with creds.path.open("a", encoding="utf-8") as fh:
        fh.write("80234567,oscar.castaneda@cajica.example,Abc")
    assert CredentialsFile(creds.path).count == 1


def test_a_credentials_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    creds = CredentialsFile.for_batch(tmp_path, "lote-1", rounds=1000)
    creds.issue("52123456", "maria.munoz@cajica.example")
    creds.path.chmod(0o644)
    with pytest.raises(InputError, match="legible por otros"):
        CredentialsFile(creds.path).count  # noqa: B018
