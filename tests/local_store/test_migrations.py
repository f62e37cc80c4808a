"""Numbered forward migrations: a store made by schema 1 is upgraded with its data kept."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from local_store import keychain, migrate, recovery
from local_store.migrate import StoreTooNew
from local_store.repo_profile import load_profile, save_profile
from local_store.store import StoreKey, connect, open_store
from tests.conftest import EXAMPLE_DIR


def _schema1_store(path: Path) -> None:
    """What the first release created: schema 1 only, with a profile and a certification in it."""
    key = recovery.store_key_from_secret(recovery.new_secret())
    keychain.set_secret(keychain.store_key_name(path), key.hex())
    conn = connect(path, StoreKey(raw=key))
    assert migrate.migrate(conn, upto=1) == [1]
    conn.execute(
        "INSERT INTO company_profile(uuid, data, updated_at) VALUES ('p1', ?, '2026-01-01T00:00:00+00:00')",
        (json.dumps({"raison_sociale": "Ancienne SARL", "siret": "73282932000074"}),),
    )
    conn.execute(
        "INSERT INTO certifications(uuid, data, valid_to, updated_at) VALUES ('c1', ?, '2027-01-01', "
        "'2026-01-01T00:00:00+00:00')",
        (json.dumps({"name": "ISO 9001", "valid_to": "2027-01-01"}),),
    )
    conn.close()


def test_upgrade_from_schema_1_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _schema1_store(path)
    store = open_store(path)
    try:
        assert store.user_version == migrate.latest() >= 2
        conn = store.read()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "conflicts" in tables
        profile = load_profile(store)
        assert profile is not None
        assert profile.raison_sociale == "Ancienne SARL"
        assert [c.name for c in profile.certifications] == ["ISO 9001"]
        # The new schema works on the upgraded file: save a full profile, record a conflict.
        example = json.loads((EXAMPLE_DIR / "profile.json").read_text(encoding="utf-8"))
        from app.domain.profile import CompanyProfile

        save_profile(store, CompanyProfile.model_validate(example))
        with store.transaction() as tx:
            tx.execute(
                "INSERT INTO conflicts(table_name, record_uuid, local_data, created_at) "
                "VALUES ('company_profile', 'p1', '{}', '2026-01-02')"
            )
        assert store.integrity_errors() == []
    finally:
        store.close()
    reopened = open_store(path)  # nothing left to apply
    assert reopened.user_version == migrate.latest()
    reopened.close()


def test_store_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    _schema1_store(path)
    store = open_store(path)
    store.read().execute("PRAGMA user_version = 99")
    store.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StoreTooNew) as info:
        open_store(path)
    assert "plus récente" in str(info.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_failed_migration_rolls_back_whole(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_a.sql").write_text("CREATE TABLE a (x INTEGER);", encoding="utf-8")
    (folder / "0002_b.sql").write_text(
        "CREATE TABLE b (x INTEGER);\nINSERT INTO nope VALUES (1);", encoding="utf-8"
    )
    import sqlcipher3

    conn = sqlcipher3.connect(str(tmp_path / "m.db"), isolation_level=None)
    with pytest.raises(sqlcipher3.OperationalError):
        migrate.migrate(conn, folder=folder)
    assert migrate.user_version(conn) == 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"a"}  # table b of the failed migration is not left behind
    conn.close()


def test_migration_numbers_must_not_have_gaps(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("SELECT 1;", encoding="utf-8")
    (tmp_path / "0003_c.sql").write_text("SELECT 1;", encoding="utf-8")
    with pytest.raises(RuntimeError, match="without gaps"):
        migrate.available(tmp_path)
