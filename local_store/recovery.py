"""The recovery key: what a person prints or writes down to reopen the store anywhere.

It is a 200-bit random secret shown as 8 groups of 5 base32 characters plus a 4-character check
group (typing mistakes are caught before any attempt to open the store). The store's 32-byte raw
SQLCipher key is derived from it with HKDF-SHA256: the recovery key alone opens the store and its
backups on any machine, with no side file that could be lost. Being random (not chosen by a person),
it needs no slow key stretching.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.domain.errors import InvalidInput

SECRET_BYTES = 25  # 200 bits = 40 base32 characters
GROUP = 5
CHECK_CHARS = 4
_INFO = b"maitre-ao store key v1"
# Characters people confuse with base32 letters (base32 has no 0, 1, 8 or 9).
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def _check_group(secret: bytes) -> str:
    digest = hashlib.sha256(b"maitre-ao recovery check" + secret).digest()
    return base64.b32encode(digest[:5]).decode("ascii")[:CHECK_CHARS]


def format_key(secret: bytes) -> str:
    """'ABCDE-FGHIJ-…-WXYZ' : 8 groups of 5 characters and the check group."""
    body = base64.b32encode(secret).decode("ascii")
    groups = [body[i : i + GROUP] for i in range(0, len(body), GROUP)]
    return "-".join([*groups, _check_group(secret)])


def parse_key(text: str) -> bytes:
    """The secret behind a typed recovery key (spaces, dashes and case do not matter)."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_LOOKALIKES)
    expected = SECRET_BYTES * 8 // 5 + CHECK_CHARS
    if len(cleaned) != expected:
        raise InvalidInput(
            f"une clé de secours compte {expected} caractères (lettres et chiffres 2 à 7) ; "
            f"{len(cleaned)} saisis.",
            field="clé de secours",
        )
    body, check = cleaned[:-CHECK_CHARS], cleaned[-CHECK_CHARS:]
    try:
        secret = base64.b32decode(body)
    except ValueError:
        raise InvalidInput(
            "caractère inattendu : seules les lettres A à Z et les chiffres 2 à 7 sont utilisés.",
            field="clé de secours",
        ) from None
    if _check_group(secret) != check:
        raise InvalidInput(
            "la clé ne correspond pas à son groupe de contrôle (dernier groupe) : vérifiez la saisie.",
            field="clé de secours",
        )
    return secret


def store_key_from_secret(secret: bytes) -> bytes:
    """The 32-byte raw SQLCipher key derived from the recovery secret."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret)
