"""Password hashes for the team service's own sign-in (scrypt, from the standard library).

Only a hash is ever stored (in `people.password_hash`); a check takes the same
time whether or not the login exists, so timing does not tell an attacker
which logins are real. The cost (n=2**14, r=8) is about 50 ms a check on a
small server: cheap for a person, slow for a guessing machine, and the team
service adds a pause after repeated failures (`hub.auth`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache

from .errors import FieldError

#: scrypt's cost parameters, stored in every hash so they can be raised later.
_N, _R, _P = 2**14, 8, 1
#: The shortest password accepted (NCSC guidance favours length over rules).
MIN_LENGTH = 10


def check_strength(password: str) -> None:
    """Refuse a password too short to set.

    Raises:
        FieldError: naming `password`.
    """
    if len(password) < MIN_LENGTH:
        raise FieldError("password", f"is shorter than {MIN_LENGTH} characters")
    if password.strip() != password:
        raise FieldError("password", "starts or ends with a space")


def hash_password(password: str) -> str:
    """A salted scrypt hash of `password`, as `scrypt$n$r$p$salt$key`."""
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    encoded = [base64.b64encode(part).decode() for part in (salt, key)]
    return "$".join(["scrypt", str(_N), str(_R), str(_P), *encoded])


def verify_password(password: str, stored: str | None) -> bool:
    """True when `password` matches the stored hash; False for no hash or a damaged one.

    With no hash the work is done against a throwaway one, so an unknown
    login takes as long to refuse as a wrong password.
    """
    try:
        kind, n, r, p, salt, key = (stored or _dummy()).split("$")
        if kind != "scrypt":
            return False
        found = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
        )
    except (ValueError, TypeError):
        return False
    return stored is not None and hmac.compare_digest(found, base64.b64decode(key))


@cache
def _dummy() -> str:
    """A hash nobody knows the password of (made once, when first needed)."""
    return hash_password(secrets.token_hex(16))
