"""The company profile round-trips through the store; only real changes are marked for sync."""

from __future__ import annotations

from datetime import date

from app.domain.profile import CompanyProfile
from app.drafting.expiry import INSURANCE_LABELS
from app.services.profile import expiring
from local_store.repo_profile import load_profile, save_profile
from local_store.store import Store
from tests.conftest import EXAMPLE_DIR

TABLES = ("company_profile", "certifications", "company_references", "staff", "equipment", "admin_documents")


def _example() -> CompanyProfile:
    return CompanyProfile.model_validate_json((EXAMPLE_DIR / "profile.json").read_text(encoding="utf-8"))


def _pushed(store: Store) -> None:
    """What a successful sync push does: nothing is dirty any more."""
    with store.transaction() as conn:
        for table in TABLES:
            conn.execute(f"UPDATE {table} SET dirty = 0")


def _dirty(store: Store) -> dict[str, list[tuple[str, int]]]:
    conn = store.read()
    return {
        t: [(r["uuid"], r["deleted"]) for r in conn.execute(f"SELECT uuid, deleted FROM {t} WHERE dirty = 1")]
        for t in TABLES
        if conn.execute(f"SELECT count(*) FROM {t} WHERE dirty = 1").fetchone()[0]
    }


def test_round_trip_keeps_everything_in_order(store: Store) -> None:
    profile = _example()
    saved = save_profile(store, profile).profile
    loaded = load_profile(store)
    assert loaded == saved
    assert loaded is not None
    strip = {"certifications", "references", "moyens_humains", "moyens_materiels", "documents_administratifs"}
    assert loaded.model_dump(exclude=strip) == profile.model_dump(exclude=strip)
    assert [r.client for r in loaded.references] == [r.client for r in profile.references]
    assert all(c.uuid for c in loaded.certifications)


def test_only_changed_rows_become_dirty(store: Store) -> None:
    saved = save_profile(store, _example()).profile
    _pushed(store)
    assert save_profile(store, saved).changed == 0
    assert save_profile(store, _example()).changed == 0  # same file again, no uuids: matched, unchanged
    assert _dirty(store) == {}

    before = (
        store.read()
        .execute("SELECT updated_at FROM company_references WHERE uuid = ?", (saved.references[1].uuid,))
        .fetchone()[0]
    )
    refs = list(saved.references)
    refs[1] = refs[1].model_copy(update={"amount": 123456.0})
    edited = saved.model_copy(update={"references": refs, "certifications": saved.certifications[1:]})
    result = save_profile(store, edited)
    assert result.changed == 1 + len(saved.certifications[1:]) + 1  # edited ref, re-ordered certs, tombstone
    dirty = _dirty(store)
    assert dirty["company_references"] == [(saved.references[1].uuid, 0)]
    assert (saved.certifications[0].uuid, 1) in dirty["certifications"]
    after = (
        store.read()
        .execute("SELECT updated_at FROM company_references WHERE uuid = ?", (saved.references[1].uuid,))
        .fetchone()[0]
    )
    assert after > before

    loaded = load_profile(store)
    assert loaded is not None
    assert loaded.references[1].amount == 123456.0
    assert [c.uuid for c in loaded.certifications] == [c.uuid for c in saved.certifications[1:]]


def test_failed_save_changes_nothing(store: Store) -> None:
    save_profile(store, _example())
    _pushed(store)
    before = load_profile(store)
    edited = _example().model_copy(update={"raison_sociale": "Nouveau nom"})
    try:
        with store.transaction():
            save_profile(store, edited)
            raise RuntimeError("crash after the save, inside the user's action")
    except RuntimeError:
        pass
    assert load_profile(store) == before
    assert _dirty(store) == {}


def test_expiring_documents_insurance_and_certifications(store: Store) -> None:
    profile = _example()
    save_profile(store, profile)
    today = date(2026, 12, 1)
    cutoff = date(2027, 1, 30)  # today + 60 days, the one notice window
    found = expiring(store, today=today)
    expected = sorted(
        [f"Certification {c.name}" for c in profile.certifications if c.valid_to and c.valid_to <= cutoff]
        + [d.label for d in profile.documents_administratifs if d.expires_on and d.expires_on <= cutoff]
        + [
            f"{INSURANCE_LABELS[a.kind]} ({a.assureur})"
            for a in profile.assurances
            if a.valid_until and a.valid_until <= cutoff
        ]
    )
    assert sorted(e.label for e in found) == expected
    assert expected, "the example profile has documents expiring around its date"
    assert [e.expires_on for e in found] == sorted(e.expires_on for e in found)
