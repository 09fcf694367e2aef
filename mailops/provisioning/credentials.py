"""Initial passwords: generated strongly, hashed with SHA-crypt, delivered out of band.

A new account's password exists in clear in exactly one place: the sealed credentials file,
``<state_dir>/credenciales/<lote>.csv`` (folder 0700, file 0600, outside ``reports/``). Google
receives only its SHA-512 crypt hash (``hashFunction: "crypt"``) with
``changePasswordAtNextLogin: true``; logs, the journal, notebook outputs and the archive only
ever say *that* a credential was issued and where the file is.

Why no account can exist without its password on file: ``CredentialsFile.issue`` appends the
entry and ``fsync``\\ s the file (and, for a new file, its folder) *before* it returns the
hash, and the create call is built from that hash only afterwards. A crash before the fsync
means the create was never sent; a crash after it leaves a password on file, possibly for an
account that was never created, which is harmless. On resume ``issue`` finds the entry of the
person and returns the same password's hash again, so one person never gets two passwords.

SHA-crypt (``$6$``) follows Ulrich Drepper's published specification ("Unix crypt using
SHA-256 and SHA-512", 2008); Python's ``crypt`` module is deprecated and passlib unmaintained.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mailops.errors import DefinitionError, InputError

__all__ = [
    "PASSWORD_ALPHABET",
    "CredentialsFile",
    "Issued",
    "generate_password",
    "new_salt",
    "sha512_crypt",
]

_ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ROUNDS_DEFAULT = 5000
ROUNDS_MIN = 1000
ROUNDS_MAX = 999_999_999
GOOGLE_ROUNDS_MAX = 10_000  # Google rejects crypt hashes with more rounds

# No 0/O/o, 1/l/I, nor characters that break CSV files or shells (, ; " ' ` \ space).
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"
_SYMBOLS = "!#%+=?@*-_"
PASSWORD_ALPHABET = _LOWER + _UPPER + _DIGITS + _SYMBOLS

# The order in which the 64 digest bytes are encoded (Drepper's spec, SHA-512 section).
_ORDER = [
    (0, 21, 42), (22, 43, 1), (44, 2, 23), (3, 24, 45), (25, 46, 4), (47, 5, 26),
    (6, 27, 48), (28, 49, 7), (50, 8, 29), (9, 30, 51), (31, 52, 10), (53, 11, 32),
    (12, 33, 54), (34, 55, 13), (56, 14, 35), (15, 36, 57), (37, 58, 16), (59, 17, 38),
    (18, 39, 60), (40, 61, 19), (62, 20, 41),
]  # fmt: skip


def _b64(b2: int, b1: int, b0: int, n: int) -> str:
    w = (b2 << 16) | (b1 << 8) | b0
    out = []
    for _ in range(n):
        out.append(_ITOA64[w & 0x3F])
        w >>= 6
    return "".join(out)


def _repeat(digest: bytes, length: int) -> bytes:
    return (digest * (length // len(digest) + 1))[:length]


def sha512_crypt(password: str, salt: str, rounds: int | None = ROUNDS_DEFAULT) -> str:
    """The ``$6$`` SHA-crypt string of ``password`` with ``salt`` (at most 16 characters used).

    ``rounds=None`` gives the implicit-5000 form without ``rounds=``; explicit rounds are
    clamped to 1,000..999,999,999 as the specification says.

    >>> sha512_crypt("Hello world!", "saltstring", None)[:24]
    '$6$saltstring$svn8UoSVap'
    """
    if not isinstance(password, str) or not isinstance(salt, str):
        raise DefinitionError("sha512_crypt needs str password and salt")
    pw = password.encode("utf-8")
    s = salt.encode("utf-8")[:16]
    explicit = rounds is not None
    n = ROUNDS_DEFAULT if rounds is None else min(max(rounds, ROUNDS_MIN), ROUNDS_MAX)

    b = hashlib.sha512(pw + s + pw).digest()
    a = hashlib.sha512(pw + s)
    a.update(_repeat(b, len(pw)))
    length = len(pw)
    while length:
        a.update(b if length & 1 else pw)
        length >>= 1
    da = a.digest()

    dp = _repeat(hashlib.sha512(pw * len(pw)).digest(), len(pw))
    ds = _repeat(hashlib.sha512(s * (16 + da[0])).digest(), len(s))

    c = da
    for i in range(n):
        h = hashlib.sha512()
        h.update(dp if i & 1 else c)
        if i % 3:
            h.update(ds)
        if i % 7:
            h.update(dp)
        h.update(c if i & 1 else dp)
        c = h.digest()

    encoded = "".join(_b64(c[x], c[y], c[z], 4) for x, y, z in _ORDER) + _b64(0, 0, c[63], 2)
    prefix = f"$6$rounds={n}$" if explicit else "$6$"
    return f"{prefix}{s.decode('utf-8', 'ignore')}${encoded}"


def new_salt(rng: Callable[[str], str] = secrets.choice) -> str:
    """A 16-character salt from the crypt alphabet."""
    return "".join(rng(_ITOA64) for _ in range(16))


def generate_password(length: int = 16, *, rng: secrets.SystemRandom | None = None) -> str:
    """A strong initial password: ``length`` >= 16, lower, upper, digit and symbol each present,
    no ambiguous characters (0/O, 1/l/I)."""
    if length < 16:
        raise DefinitionError("initial passwords must have at least 16 characters")
    r = rng or secrets.SystemRandom()
    chars = [r.choice(_LOWER), r.choice(_UPPER), r.choice(_DIGITS), r.choice(_SYMBOLS)]
    chars += [r.choice(PASSWORD_ALPHABET) for _ in range(length - len(chars))]
    r.shuffle(chars)
    return "".join(chars)


@dataclass(frozen=True)
class Issued:
    """What the caller gets back from issuing a credential: the hash, never the password."""

    document_id: str
    address: str
    password_hash: str
    reused: bool


_HEADER = ["documento", "correo", "contrasena_inicial", "emitida"]


class CredentialsFile:
    """The sealed file of initial passwords of one batch (one filled form).

    Its content is never printed: callers get ``path`` and ``count``; ``issue`` returns the
    hash for Google. Reading back a password (``password_for``) is for the out-of-band delivery
    only (the Gmail sender of a later issue).
    """

    def __init__(
        self,
        path: Path,
        *,
        rounds: int = ROUNDS_DEFAULT,
        clock: Callable[[], datetime] | None = None,
        password_factory: Callable[[], str] = generate_password,
    ) -> None:
        if not ROUNDS_MIN <= rounds <= GOOGLE_ROUNDS_MAX:
            raise DefinitionError(f"rounds must be within {ROUNDS_MIN}..{GOOGLE_ROUNDS_MAX}")
        self.path = Path(path)
        self.rounds = rounds
        self._clock = clock or (lambda: datetime.now(UTC))
        self._factory = password_factory
        self._entries: dict[str, tuple[str, str]] | None = None
        self._size = 0  # bytes of the file behind _entries: another writer changes it

    @classmethod
    def for_batch(
        cls, state_dir: Path, batch_id: str, *, rounds: int = ROUNDS_DEFAULT
    ) -> CredentialsFile:
        """The file of ``batch_id`` under ``<state_dir>/credenciales/``."""
        return cls(Path(state_dir) / "credenciales" / f"{batch_id}.csv", rounds=rounds)

    # -- reading -----------------------------------------------------------------------
    def _load(self) -> dict[str, tuple[str, str]]:
        if self._entries is None:
            self._entries = {}
            self._size = 0
            if self.path.exists():
                self._check_mode()
                self._size = self.path.stat().st_size
                with self.path.open(encoding="utf-8", newline="") as fh:
                    for row in csv.DictReader(fh):
                        # a torn line (crash mid-write) has no timestamp or too many fields
                        if row.get("emitida") and None not in row:
                            # the first password issued to a person is the one Google got
                            self._entries.setdefault(
                                row["documento"], (row["correo"], row["contrasena_inicial"])
                            )
        return self._entries

    def _check_mode(self) -> None:
        mode = self.path.stat().st_mode & 0o777
        if mode & 0o077:
            raise InputError(
                f"el archivo de credenciales es legible por otros (permisos {mode:o}); "
                "restrinja los permisos a 600 (chmod 600) antes de continuar",
                where=str(self.path),
            )

    @property
    def count(self) -> int:
        """How many credentials the file holds."""
        return len(self._load())

    def has(self, document_id: str) -> bool:
        return document_id in self._load()

    def password_for(self, document_id: str) -> str | None:
        """The clear password issued to ``document_id`` (for out-of-band delivery only)."""
        entry = self._load().get(document_id)
        return entry[1] if entry else None

    # -- writing -----------------------------------------------------------------------
    def issue(self, document_id: str, address: str) -> Issued:
        """The hash of the person's password, issuing (and fsync-ing) one if none is on file."""
        entry = self._load().get(document_id)
        if entry is not None:
            password, reused = entry[1], True
        else:
            password, reused = self._issue_locked(document_id, address)
        return Issued(document_id, address, sha512_crypt(password, new_salt(), self.rounds), reused)

    def _issue_locked(self, document_id: str, address: str) -> tuple[str, bool]:
        """Append a new password under an exclusive lock, unless another writer (a second run
        of the same batch) issued one meanwhile: then that one is the person's password."""
        folder = self.path.parent
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
            _fsync_dir(folder.parent)
        os.chmod(folder, 0o700)
        new = not self.path.exists()
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_size != self._size:
                self._entries = None  # another writer appended since we read: read again
            entry = self._load().get(document_id)
            if entry is not None:
                return entry[1], True
            password = self._factory()
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            size = os.fstat(fd).st_size
            if size == 0:
                writer.writerow(_HEADER)
            elif os.pread(fd, 1, size - 1) != b"\n":
                buf.write("\n")  # end a line torn by a crash, so this entry stands alone
            stamp = self._clock().isoformat(timespec="seconds")
            writer.writerow([document_id, address, password, stamp])
            os.write(fd, buf.getvalue().encode("utf-8"))
            os.fsync(fd)
            self._load()[document_id] = (address, password)
            self._size = os.fstat(fd).st_size
            return password, False
        finally:
            os.close(fd)  # releases the lock
            if new:
                _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
