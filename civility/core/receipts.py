"""Receipt codes and secrets of citizens who file something without an account.

The receipt code names the filing and may be seen by others (Open311 lists public reports by
it); the secret, shown once to whoever filed, is what lets them act on it: answer a
handler's question, say whether the handling satisfied them. Only a slow hash of the secret
is stored, so nobody who reads the database, the audit log or a public list can act for them.
Anonymous reports about officials (civility.conduct), public-place reports and follow-up
cases (civility.feedback) all use these functions.

The secret is drawn at random, never derived from anything stored, so it exists only in the
reporter's hands. The id a report form carries (so a double click files once) is stored as
a keyed hash (`keyed_hash`), never in clear: a database or audit-log reader cannot match it
to the form a browser holds, and without SECRET_KEY cannot compute it.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.utils.crypto import salted_hmac

# No letters or digits that are easy to confuse when read aloud or copied (0/O, 1/I).
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# 12 characters of 32 possible: 60 bits, out of reach of guessing behind a password hash.
SECRET_LENGTH = 12


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _i in range(length))


def grouped(text: str) -> str:
    """In groups of four, as the citizen is shown it ("ABCD-EFGH-JKLM")."""
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalize_code(text: str) -> str:
    """As stored and compared: upper case, without dashes, spaces or unknown characters."""
    return "".join(ch for ch in text.upper() if ch in ALPHABET)


def canonical(text: str) -> str:
    """A code as typed ("abcd efgh", "ABCDEFGH", " abcd-efgh ") as it is stored: spaces,
    case and a missing dash forgiven ("ABCD-EFGH")."""
    return grouped(normalize_code(text))


def hash_secret(secret: str) -> str:
    return make_password(normalize_code(secret))


def new_secret() -> tuple[str, str]:
    """A fresh secret as the citizen is shown it, and the hash to store."""
    secret = new_code(SECRET_LENGTH)
    return grouped(secret), hash_secret(secret)


def secret_matches(secret: str, secret_hash: str) -> bool:
    """Whether `secret` is the one hashed. With no hash (an unknown receipt, or a filing
    from before secrets) the same work is done, so timing does not tell which."""
    if not secret_hash:
        make_password(secret)
        return False
    return check_password(normalize_code(secret), secret_hash)


def keyed_hash(purpose: str, value: object) -> str:
    """HMAC-SHA256 of `value` with a key derived from SECRET_KEY and `purpose` (64 hex
    characters): equal values give equal hashes, so uniqueness still holds in the database."""
    return salted_hmac(f"civility.{purpose}", str(value), algorithm="sha256").hexdigest()
