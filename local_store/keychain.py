"""Secrets in the OS keychain (via `keyring`; `PYTHON_KEYRING_BACKEND` is honoured).

Entries live under the service "Maître AO". Other parts use names such as "anthropic-api-key",
"session-token", "refresh-token"; the store key entry is named per store file (`store_key_name`).

A keychain that accepts writes but keeps nothing (keyring's null backend, a locked or absent
Secret Service) would lose the store key, so `keychain_works()` writes, reads back and deletes a
probe value, and `set_secret_verified` reads back what it wrote.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from pathlib import Path

import keyring
from keyring.errors import KeyringError, KeyringLocked, PasswordDeleteError

from app.domain.errors import KeychainRefused, KeychainUnavailable, KeychainUnreachable

log = logging.getLogger(__name__)

SERVICE = "Maître AO"


def _backend_name() -> str:
    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def read_secret(name: str) -> str | None:
    """The secret, or None when the keychain answered that there is none.

    Raises KeychainRefused when the keychain is locked and stays so, KeychainUnreachable when no
    keychain answers: the caller tells the user which, instead of "the key is missing"."""
    try:
        return keyring.get_password(SERVICE, name)
    except KeyringLocked as exc:
        log.warning("keychain read refused for %s (%s)", name, _backend_name(), exc_info=True)
        raise KeychainRefused() from exc
    except Exception as exc:  # NoKeyringError, InitError, D-Bus errors…
        log.warning("keychain unreachable for %s (%s)", name, _backend_name(), exc_info=True)
        raise KeychainUnreachable() from exc


def get_secret(name: str) -> str | None:
    """The secret, or None when absent or when the keychain cannot be read (optional secrets: an API
    key, session tokens). The store key is read with `read_secret`, which tells the failures apart."""
    try:
        return read_secret(name)
    except KeychainUnavailable:
        return None


def set_secret(name: str, value: str) -> None:
    try:
        keyring.set_password(SERVICE, name, value)
    except Exception as exc:
        log.warning("keychain write failed for %s (%s): %s", name, _backend_name(), type(exc).__name__)
        raise KeychainUnavailable() from exc


def set_secret_verified(name: str, value: str) -> None:
    """Write, then read back: raises KeychainUnavailable when the keychain did not keep it."""
    set_secret(name, value)
    if get_secret(name) != value:
        log.warning("keychain %s did not keep entry %s", _backend_name(), name)
        raise KeychainUnavailable()


def delete_secret(name: str) -> None:
    try:
        keyring.delete_password(SERVICE, name)
    except PasswordDeleteError:
        pass
    except KeyringError as exc:
        log.warning("keychain delete failed for %s: %s", name, type(exc).__name__)
    except Exception as exc:
        log.warning("keychain delete failed for %s: %s", name, type(exc).__name__)


def keychain_works() -> bool:
    """True when the keychain really keeps what it is given (write, read back, delete a probe)."""
    probe_name = f"probe-{secrets.token_hex(8)}"
    probe_value = secrets.token_hex(16)
    try:
        keyring.set_password(SERVICE, probe_name, probe_value)
    except Exception as exc:
        log.info("keychain %s refuses writes: %s", _backend_name(), type(exc).__name__)
        return False
    kept = get_secret(probe_name) == probe_value
    delete_secret(probe_name)
    if not kept:
        log.info("keychain %s does not keep secrets", _backend_name())
    return kept


def store_key_name(store_path: Path) -> str:
    """Keychain entry of one store file's key (scoped by its absolute path: stores never collide)."""
    digest = hashlib.sha256(str(store_path.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"store-key-{digest}"
