"""Export of everything the store holds (readable JSON) and erasure from this machine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain.profile import CompanyProfile
from app.services import store as store_service
from local_store import keychain
from local_store.repo_profile import save_profile
from local_store.store import Store, StoreMissing, open_store
from tests.conftest import EXAMPLE_DIR


def test_export_holds_the_profile_and_no_tombstones(store: Store, tmp_path: Path) -> None:
    profile = CompanyProfile.model_validate_json((EXAMPLE_DIR / "profile.json").read_text(encoding="utf-8"))
    saved = save_profile(store, profile).profile
    save_profile(store, saved.model_copy(update={"references": saved.references[1:]}))
    with store.transaction() as conn:
        conn.execute("INSERT INTO blobs(sha256, size, data) VALUES ('abc', 4, x'00010203')")
    dest = store_service.export_my_data(store, tmp_path / "mes-donnees.json")
    data = json.loads(dest.read_text(encoding="utf-8"))
    tables = data["tables"]
    assert tables["company_profile"][0]["data"]["siret"] == profile.siret
    assert [r["data"]["client"] for r in tables["company_references"]] == [
        r.client for r in saved.references[1:]
    ]
    assert tables["blobs"] == [{"sha256": "abc", "size": 4}]
    assert not any(name.startswith(("page_fts", "library_fts")) for name in tables)


def test_erase_removes_files_and_key(store: Store) -> None:
    path = store.path
    with store.transaction() as conn:
        conn.execute("INSERT INTO kv(key, value) VALUES ('x', 'y')")
    store.close()
    removed = store_service.erase_all_local_data()
    assert path in removed
    assert not path.exists() and not Path(f"{path}-wal").exists()
    assert keychain.get_secret(keychain.store_key_name(path)) is None
    with pytest.raises(StoreMissing):
        open_store()
