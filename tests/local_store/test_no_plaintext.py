"""The store file (and its WAL / shared-memory files) never holds the company's data in clear."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.domain.profile import CompanyProfile
from local_store.repo_profile import save_profile
from local_store.store import Store
from tests.conftest import EXAMPLE_DIR


def _example() -> CompanyProfile:
    return CompanyProfile.model_validate_json((EXAMPLE_DIR / "profile.json").read_text(encoding="utf-8"))


def _needles(profile: CompanyProfile) -> list[bytes]:
    ref = profile.references[0]
    return [
        profile.raison_sociale.encode("utf-8"),
        profile.siret.encode("ascii"),
        ref.client.encode("utf-8"),
    ]


def _files(path: Path) -> list[Path]:
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def test_store_files_hold_no_plaintext(store: Store) -> None:
    profile = _example()
    save_profile(store, profile)
    with store.transaction() as conn:  # a second write so the WAL holds recent pages
        conn.execute("INSERT INTO kv(key, value) VALUES ('note', ?)", (f"SIRET {profile.siret}",))
    files = _files(store.path)
    assert Path(f"{store.path}-wal").exists(), "the WAL is where fresh writes land: check it too"
    for f in files:
        data = f.read_bytes()
        for needle in _needles(profile):
            assert needle not in data, f"{needle!r} readable in {f.name}"
    store.close()  # checkpoint: everything now in the main file
    data = store.path.read_bytes()
    assert data[:16] != b"SQLite format 3\x00"
    for needle in _needles(profile):
        assert needle not in data


def test_same_search_finds_plaintext_in_an_unencrypted_file(tmp_path: Path) -> None:
    """The search above is able to fail: a plain SQLite file with the same rows shows the data."""
    profile = _example()
    plain = tmp_path / "plain.db"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE company_profile (data TEXT)")
    conn.execute("INSERT INTO company_profile VALUES (?)", (profile.model_dump_json(),))
    conn.commit()
    conn.close()
    data = plain.read_bytes()
    assert all(needle in data for needle in _needles(profile))
