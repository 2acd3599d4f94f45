"""Password hashing with argon2 (argon2-cffi); tokens as random bytes, stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token(nbytes: int = 24) -> str:
    """An unguessable bearer token or password: 192 random bits, URL-safe.

    Never starting with "-": tokens are pasted after options (``hall kiosk --kiosk-token T``),
    and one in 64 would otherwise be taken for an option and refused.
    """
    while (token := secrets.token_urlsafe(nbytes)).startswith("-"):
        pass
    return token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
