"""The store opens with its keychain key, refuses a missing or wrong key, and reopens by recovery key."""

from __future__ import annotations

import hashlib
from pathlib import Path

import keyring
import pytest

from app.domain.errors import EXIT_LOCKED, StoreLocked
from local_store import keychain
from local_store.keychain import KeychainUnavailable
from local_store.migrate import latest
from local_store.store import Store, StoreExists, create_store, open_store, unlock_store
from tests.support.keyrings import ForgetfulKeyring, MemoryKeyring


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_rows_by_name_and_transaction_rolls_back(store: Store) -> None:
    with store.transaction() as conn:
        conn.execute("INSERT INTO kv(key, value) VALUES ('a', '1')")
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO kv(key, value) VALUES ('b', '2')")
        raise RuntimeError("boom")
    rows = store.read().execute("SELECT key, value FROM kv WHERE key IN ('a', 'b')").fetchall()
    assert [(r["key"], r["value"]) for r in rows] == [("a", "1")]
    assert store.read().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.read().execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.user_version == latest()


def test_reopen_with_keychain_key(store: Store) -> None:
    with store.transaction() as conn:
        conn.execute("INSERT INTO kv(key, value) VALUES ('persist', 'oui')")
    path = store.path
    store.close()
    reopened = open_store()
    assert reopened.path == path
    assert reopened.read().execute("SELECT value FROM kv WHERE key='persist'").fetchone()[0] == "oui"
    reopened.close()


def test_create_refuses_existing_store(store: Store) -> None:
    before = _digest(store.path)
    with pytest.raises(StoreExists):
        create_store()
    assert _digest(store.path) == before
    assert store.read().execute("SELECT count(*) FROM kv").fetchone()[0] >= 1


def test_missing_key_is_locked_and_file_untouched(store_with_recovery: tuple[Store, str]) -> None:
    store, recovery_key = store_with_recovery
    with store.transaction() as conn:
        conn.execute("INSERT INTO kv(key, value) VALUES ('gardé', 'oui')")
    store.close()
    before = _digest(store.path)
    keychain.delete_secret(keychain.store_key_name(store.path))
    with pytest.raises(StoreLocked) as info:
        open_store()
    assert info.value.exit_code == EXIT_LOCKED
    assert "maitre-ao store unlock" in str(info.value)
    assert _digest(store.path) == before
    assert not Path(f"{store.path}-wal").exists()

    unlocked = unlock_store(None, recovery_key.lower().replace("-", " "))
    assert unlocked.read().execute("SELECT value FROM kv WHERE key='gardé'").fetchone()[0] == "oui"
    unlocked.close()
    again = open_store()  # the key is back in the keychain
    again.close()


def test_wrong_key_is_locked_and_file_untouched(store: Store) -> None:
    store.close()
    before = _digest(store.path)
    keychain.set_secret(keychain.store_key_name(store.path), "ab" * 32)
    with pytest.raises(StoreLocked):
        open_store()
    assert _digest(store.path) == before


def test_store_keys_are_scoped_by_path(tmp_path: Path) -> None:
    a, _ = create_store(tmp_path / "a.db")
    b, _ = create_store(tmp_path / "b.db")
    a.close()
    b.close()
    open_store(tmp_path / "a.db").close()
    open_store(tmp_path / "b.db").close()


def test_forgetful_keychain_refuses_creation(tmp_path: Path) -> None:
    keyring.set_keyring(ForgetfulKeyring())
    with pytest.raises(KeychainUnavailable) as info:
        create_store(tmp_path / "x.db")
    assert "--passphrase" in str(info.value)
    assert not (tmp_path / "x.db").exists()


def test_forgetful_keychain_after_creation_loses_nothing(store_with_recovery: tuple[Store, str]) -> None:
    store, recovery_key = store_with_recovery
    with store.transaction() as conn:
        conn.execute("INSERT INTO kv(key, value) VALUES ('important', 'oui')")
    store.close()
    before = _digest(store.path)
    keyring.set_keyring(ForgetfulKeyring())  # the keychain silently lost everything
    with pytest.raises(StoreLocked):
        open_store()
    with pytest.raises(StoreExists):
        create_store()
    assert _digest(store.path) == before
    with pytest.raises(KeychainUnavailable):
        unlock_store(None, recovery_key)  # right key, but it would not be kept: said, not hidden
    keyring.set_keyring(MemoryKeyring())
    unlocked = unlock_store(None, recovery_key)
    assert unlocked.read().execute("SELECT value FROM kv WHERE key='important'").fetchone()[0] == "oui"
    unlocked.close()


def test_interrupted_creation_leftover_is_not_a_store(tmp_path: Path) -> None:
    """A crash right after the file was created leaves 0 bytes: no data, so `store init` may start over."""
    path = tmp_path / "s.db"
    path.touch()
    from local_store.store import StoreMissing

    with pytest.raises(StoreMissing):
        open_store(path)
    store, text = create_store(path)
    assert text
    store.close()
    open_store(path).close()
