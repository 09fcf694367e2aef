"""Password handling of users.insert/update: validate hashes, hash clear passwords.

Only hashes are ever stored; a clear password is salted and hashed (SHA-512) at once. Google's
rules: ``hashFunction`` is ``MD5`` (32 hex), ``SHA-1`` (40 hex) or ``crypt`` (DES, ``$1$``,
``$5$``, ``$6$``; rounds, when given, at most 10,000). Clear passwords have 8-100 characters.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from mailops.emulator.errors import invalid

__all__ = ["stored_password"]

_HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")
_HEX40 = re.compile(r"^[0-9a-fA-F]{40}$")
_CRYPT = re.compile(
    r"^\$(?P<alg>1|5|6)\$(?:rounds=(?P<rounds>\d+)\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{22,86}$"
)
_DES = re.compile(r"^[./A-Za-z0-9]{13}$")


def stored_password(password: object, hash_function: object) -> tuple[str, str]:
    """(hash, hash function) to store; 400 ``Invalid Password`` when the input is unusable."""
    if not isinstance(password, str) or not password:
        raise invalid("Invalid Password")
    if hash_function in (None, ""):
        if not 8 <= len(password) <= 100:
            raise invalid("Invalid Password")
        salt = secrets.token_hex(8)
        digest = hashlib.sha512((salt + password).encode()).hexdigest()
        return f"{salt}${digest}", "SHA-512-salted"
    if hash_function == "MD5":
        if not _HEX32.match(password):
            raise invalid("Invalid Password")
    elif hash_function == "SHA-1":
        if not _HEX40.match(password):
            raise invalid("Invalid Password")
    elif hash_function == "crypt":
        m = _CRYPT.match(password)
        if m is None and not _DES.match(password):
            raise invalid("Invalid Password")
        if m is not None and m.group("rounds") is not None and int(m.group("rounds")) > 10_000:
            raise invalid("Invalid Password")
    else:
        raise invalid("Invalid Input: hashFunction")
    return password.lower() if hash_function != "crypt" else password, str(hash_function)
