"""Password hashing (bcrypt) and session tokens (256-bit random, only their SHA-256 is stored)."""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache

import bcrypt

TOKEN_BYTES = 32  # 256 bits
BCRYPT_MAX_BYTES = 72  # bcrypt ignores (bcrypt 5 refuses) anything longer


@lru_cache(maxsize=4)
def _dummy_hash(rounds: int) -> bytes:
    """A hash at the configured cost, checked when the e-mail is unknown: same time either way."""
    return bcrypt.hashpw(b"maitre-ao-dummy-password", bcrypt.gensalt(rounds=rounds))


def hash_password(password: str, rounds: int) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=rounds)).decode("ascii")


def check_password(password: str, password_hash: str | None, rounds: int) -> bool:
    raw = password.encode("utf-8")
    if len(raw) > BCRYPT_MAX_BYTES:
        return False
    if password_hash is None:
        bcrypt.checkpw(raw, _dummy_hash(rounds))
        return False
    return bcrypt.checkpw(raw, password_hash.encode("ascii"))


def hash_cost(password_hash: str) -> int:
    """The cost factor written in a bcrypt hash ('$2b$12$…' → 12)."""
    return int(password_hash.split("$")[2])


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def pseudonym(value: str) -> str:
    """Keyed-free SHA-256 of an identifier (e-mail, IP) for throttling keys: no raw e-mail in that table."""
    return hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()[:40]
