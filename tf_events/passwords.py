"""Password hashing with Argon2id (argon2-cffi's defaults follow RFC 9106)."""

from __future__ import annotations

import os

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

# Tests may ask for the cheapest parameters (TF_ARGON2_PROFILE=CHEAPEST): hashing is
# deliberately slow, and the suite registers hundreds of users.
_hasher = PasswordHasher.from_parameters(
    getattr(profiles, os.environ.get("TF_ARGON2_PROFILE", "RFC_9106_LOW_MEMORY"))
)

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
