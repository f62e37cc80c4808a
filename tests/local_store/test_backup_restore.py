"""Backups are encrypted copies that only the recovery key brings back."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import keyring
import pytest

from app.domain.errors import InvalidInput, StoreLocked
from app.domain.profile import CompanyProfile
from local_store.backup import backup_store, restore_backup
from local_store.repo_profile import load_profile, save_profile
from local_store.store import Store, open_store, unlock_store
from tests.conftest import EXAMPLE_DIR
from tests.support.keyrings import MemoryKeyring


def _example() -> CompanyProfile:
    return CompanyProfile.model_validate_json((EXAMPLE_DIR / "profile.json").read_text(encoding="utf-8"))


def test_round_trip_on_another_machine(store_with_recovery: tuple[Store, str], tmp_path: Path) -> None:
    store, recovery_key = store_with_recovery
    saved = save_profile(store, _example()).profile
    dest = tmp_path / "sauvegarde.maitreao"
    backup_store(store, dest)
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file left behind"
    data = dest.read_bytes()
    assert saved.raison_sociale.encode() not in data and saved.siret.encode() not in data
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(dest).execute("SELECT * FROM sqlite_master").fetchall()
    store.close()

    # "Another machine": empty keychain, another data folder.
    keyring.set_keyring(MemoryKeyring())
    target = tmp_path / "autre-poste" / "maitre-ao.db"
    restored, moved = restore_backup(dest, target, recovery_text=recovery_key)
    assert moved is None
    assert load_profile(restored) == saved
    assert restored.integrity_errors() == []
    restored.close()
    open_store(target).close()  # the key went into this machine's keychain


def test_wrong_recovery_key_changes_nothing(store_with_recovery: tuple[Store, str], tmp_path: Path) -> None:
    store, recovery_key = store_with_recovery
    with store.transaction() as conn:
        conn.execute("INSERT INTO kv(key, value) VALUES ('avant', 'oui')")
    dest = backup_store(store, tmp_path / "b.bak")
    store.close()
    before = hashlib.sha256(store.path.read_bytes()).hexdigest()
    from local_store import recovery

    other_key = recovery.format_key(recovery.new_secret())
    with pytest.raises(StoreLocked):
        restore_backup(dest, store.path, recovery_text=other_key)
    with pytest.raises(InvalidInput):
        restore_backup(
            dest, store.path, recovery_text=recovery_key[:-1] + ("A" if recovery_key[-1] != "A" else "B")
        )
    assert hashlib.sha256(store.path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in store.path.parent.iterdir() if p.name.startswith("maitre-ao.db")) == [
        "maitre-ao.db"
    ]


def test_restore_over_existing_store_keeps_it_aside(
    store_with_recovery: tuple[Store, str], tmp_path: Path
) -> None:
    store, recovery_key = store_with_recovery
    with store.transaction() as conn:
        conn.execute("INSERT INTO kv(key, value) VALUES ('version', 'sauvegardée')")
    dest = backup_store(store, tmp_path / "b.bak")
    with store.transaction() as conn:
        conn.execute("UPDATE kv SET value = 'plus récente' WHERE key = 'version'")
    store.close()
    restored, moved = restore_backup(dest, store.path, recovery_text=recovery_key)
    assert restored.read().execute("SELECT value FROM kv WHERE key='version'").fetchone()[0] == "sauvegardée"
    restored.close()
    assert moved is not None and moved.exists()
    previous = unlock_store(moved, recovery_key)  # the set-aside store opens with its recovery key
    assert previous.read().execute("SELECT value FROM kv WHERE key='version'").fetchone()[0] == "plus récente"
    previous.close()


def test_backup_made_before_rekey_needs_the_old_recovery_key(
    store_with_recovery: tuple[Store, str], tmp_path: Path
) -> None:
    store, old_key = store_with_recovery
    dest = backup_store(store, tmp_path / "avant-rekey.bak")
    new_key = store.rekey()
    store.close()
    target = tmp_path / "restaure.db"
    with pytest.raises(StoreLocked):
        restore_backup(dest, target, recovery_text=new_key)
    restored, _ = restore_backup(dest, target, recovery_text=old_key)
    restored.close()
