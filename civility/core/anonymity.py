"""What keeps a citizen who reports unidentifiable once the report is filed.

A reporter proves who they are to the report with a secret, and nothing stored derives it: it
is drawn at random and only its password hash (Django's hasher, PBKDF2 in production) is kept,
so the secret exists only in the reporter's hands. The id a report form carries (so a double
click files once) is stored as a keyed hash, never in clear: a database or audit-log reader
cannot match it to the form a browser holds, and without SECRET_KEY cannot compute it.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.utils.crypto import salted_hmac

__all__ = ["ALPHABET", "hash_secret", "keyed_hash", "new_secret", "random_code", "secret_matches"]

# Codes people copy by hand avoid letters and digits that are easy to confuse (0/O, 1/I).
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# 12 characters of 32 possible: 60 bits, out of reach of guessing behind a password hash.
SECRET_LENGTH = 12


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _i in range(length))


def new_secret() -> str:
    return random_code(SECRET_LENGTH)


def hash_secret(secret: str) -> str:
    return make_password(secret)


def secret_matches(secret: str, secret_hash: str | None) -> bool:
    """Whether `secret` is the one hashed; with no hash (unknown receipt) the same work is
    done, so the answer's timing does not tell which receipt codes exist."""
    if secret_hash is None:
        make_password(secret)
        return False
    return check_password(secret, secret_hash)


def keyed_hash(purpose: str, value: object) -> str:
    """HMAC-SHA256 of `value` with a key derived from SECRET_KEY and `purpose` (64 hex
    characters): equal values give equal hashes, so uniqueness still holds in the database."""
    return salted_hmac(f"civility.{purpose}", str(value), algorithm="sha256").hexdigest()
