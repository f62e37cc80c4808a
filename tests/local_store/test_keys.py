"""Passphrase mode (no keychain), key rotation, and a rotation interrupted half-way."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest

from app.domain.errors import EXIT_LOCKED, InvalidInput, StoreLocked
from local_store import keychain, recovery
from local_store.store import (
    PassphraseRequired,
    Store,
    StoreKey,
    connect,
    create_store,
    open_store,
    unlock_store,
    uses_passphrase,
)
from tests.support.keyrings import ForgetfulKeyring

PASSPHRASE = "le chat de la voisine dort au soleil"


def test_passphrase_mode_needs_no_keychain(tmp_path: Path) -> None:
    keyring.set_keyring(ForgetfulKeyring())
    path = tmp_path / "p.db"
    store, text = create_store(path, passphrase=PASSPHRASE)
    assert text == ""
    with store.transaction() as conn:
        conn.execute("INSERT INTO kv(key, value) VALUES ('secret', 'gardé')")
    store.close()
    assert uses_passphrase(path)
    with pytest.raises(PassphraseRequired) as info:
        open_store(path)
    assert info.value.exit_code == EXIT_LOCKED
    with pytest.raises(StoreLocked):
        open_store(path, passphrase="pas la bonne phrase")
    reopened = open_store(path, passphrase=PASSPHRASE)
    assert reopened.read().execute("SELECT value FROM kv WHERE key='secret'").fetchone()[0] == "gardé"
    reopened.rekey(new_passphrase="une toute nouvelle phrase secrète")
    reopened.close()
    with pytest.raises(StoreLocked):
        open_store(path, passphrase=PASSPHRASE)
    open_store(path, passphrase="une toute nouvelle phrase secrète").close()


def test_short_passphrase_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as info:
        create_store(tmp_path / "p.db", passphrase="court")
    assert info.value.field == "phrase secrète"
    assert not (tmp_path / "p.db").exists()


def test_rekey_replaces_the_recovery_key(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    store, old_text = create_store(path)
    with store.transaction() as conn:
        conn.execute("INSERT INTO kv(key, value) VALUES ('x', '1')")
    new_text = store.rekey()
    assert new_text != old_text
    with store.transaction() as conn:  # still usable after rotation
        conn.execute("INSERT INTO kv(key, value) VALUES ('y', '2')")
    store.close()
    open_store(path).close()
    keychain.delete_secret(keychain.store_key_name(path))
    with pytest.raises(StoreLocked):
        unlock_store(path, old_text)
    again = unlock_store(path, new_text)
    assert again.read().execute("SELECT count(*) FROM kv WHERE key IN ('x', 'y')").fetchone()[0] == 2
    again.close()


def test_rotation_interrupted_after_the_file_changed_still_opens(tmp_path: Path) -> None:
    """Crash between PRAGMA rekey and the keychain update: the pending entry opens and is promoted."""
    path = tmp_path / "i.db"
    store, _ = create_store(path)
    store.close()
    name = keychain.store_key_name(path)
    old_hex = keychain.get_secret(name)
    assert old_hex
    new_raw = recovery.store_key_from_secret(recovery.new_secret())
    keychain.set_secret(name + "-pending", new_raw.hex())
    conn = connect(path, StoreKey(raw=bytes.fromhex(old_hex)))
    conn.execute(f"PRAGMA rekey = {StoreKey(raw=new_raw).sql()}")
    conn.close()
    # The process died here: the keychain's main entry still holds the old key.
    reopened = open_store(path)
    reopened.close()
    assert keychain.get_secret(name) == new_raw.hex()
    assert keychain.get_secret(name + "-pending") is None


def test_rotation_interrupted_before_the_file_changed_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    store, _ = create_store(path)
    store.close()
    name = keychain.store_key_name(path)
    old_hex = keychain.get_secret(name)
    keychain.set_secret(name + "-pending", recovery.store_key_from_secret(recovery.new_secret()).hex())
    open_store(path).close()
    assert keychain.get_secret(name) == old_hex
    assert keychain.get_secret(name + "-pending") is None


def test_recovery_key_format_catches_typos() -> None:
    secret = recovery.new_secret()
    text = recovery.format_key(secret)
    groups = text.split("-")
    assert len(groups) == 9 and all(len(g) == 5 for g in groups[:8]) and len(groups[8]) == 4
    assert recovery.parse_key(text) == secret
    assert recovery.parse_key(" " + text.lower().replace("-", " ") + "\n") == secret
    swapped = text[:6] + text[7] + text[6] + text[8:]
    if swapped != text:
        with pytest.raises(InvalidInput):
            recovery.parse_key(swapped)
    with pytest.raises(InvalidInput):
        recovery.parse_key(text[:-5])


def test_threads_keep_working_after_rekey(store: Store) -> None:
    """A worker thread that used the store before the rotation keeps working after it."""
    import threading

    rotated = threading.Event()
    done_before = threading.Event()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with store.transaction() as conn:
                conn.execute("INSERT INTO kv(key, value) VALUES ('avant', 'x')")
            done_before.set()
            rotated.wait(10)
            with store.transaction() as conn:
                conn.execute("INSERT INTO kv(key, value) VALUES ('après', 'x')")
        except BaseException as exc:
            errors.append(exc)
            done_before.set()

    thread = threading.Thread(target=worker)
    thread.start()
    done_before.wait(10)
    store.rekey()
    rotated.set()
    thread.join(10)
    assert errors == []
    assert store.read().execute("SELECT count(*) FROM kv WHERE key IN ('avant', 'après')").fetchone()[0] == 2


class _FailingKeyring(ForgetfulKeyring):
    """A keychain whose reads fail the way a locked one or an absent service fails."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error


def test_keychain_locked_unreachable_or_without_the_key_are_told_apart(tmp_path: Path) -> None:
    from keyring.errors import KeyringLocked, NoKeyringError

    path = tmp_path / "coffre.db"
    store, _recovery = create_store(path)
    store.close()
    previous = keyring.get_keyring()
    try:
        keyring.set_keyring(_FailingKeyring(KeyringLocked("locked")))
        with pytest.raises(keychain.KeychainRefused, match="refusé l'accès"):
            open_store(path)
        keyring.set_keyring(_FailingKeyring(NoKeyringError("no backend")))
        with pytest.raises(keychain.KeychainUnreachable, match="injoignable"):
            open_store(path)
        keyring.set_keyring(ForgetfulKeyring())  # answers, but holds no key: the store is locked
        with pytest.raises(StoreLocked):
            open_store(path)
    finally:
        keyring.set_keyring(previous)
