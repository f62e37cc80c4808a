"""Proposals and sections in the real encrypted store: outline changes keep the text, edits mark dirty."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from local_store import repo_proposals
from local_store.repo_proposals import NewSection
from local_store.store import Store


def _consultation(store: Store) -> str:
    new = str(uuid.uuid4())
    now = datetime.now(UTC).isoformat()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO consultations(uuid, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (new, "Consultation d'essai", now, now),
        )
    return new


def test_outline_is_stored_in_order_and_text_survives_a_new_outline(store: Store) -> None:
    proposal = repo_proposals.get_or_create_proposal(store, _consultation(store), None, "criteria")
    rows = repo_proposals.save_outline(
        store,
        proposal.uuid,
        [
            NewSection("Valeur technique", 1, "Valeur technique", 60),
            NewSection("Méthodologie", 2, "Méthodologie", 30),
            NewSection("Moyens", 2, "Moyens", 30),
        ],
    )
    assert [(r.title, r.level) for r in rows] == [("Valeur technique", 1), ("Méthodologie", 2), ("Moyens", 2)]
    assert rows[1].parent_uuid == rows[0].uuid
    saved = repo_proposals.save_section_body(store, rows[1].uuid, "Notre méthode.", "manual")
    assert saved.body == "Notre méthode." and saved.engine == "manual"
    rows2 = repo_proposals.save_outline(
        store,
        proposal.uuid,
        [NewSection("Valeur technique", 1), NewSection("Méthodologie", 2), NewSection("Planning", 2)],
    )
    assert [r.title for r in rows2] == ["Valeur technique", "Méthodologie", "Planning"]
    assert rows2[1].uuid == rows[1].uuid and rows2[1].body == "Notre méthode."
    gone = (
        store.read().execute("SELECT deleted, dirty FROM sections WHERE uuid = ?", (rows[2].uuid,)).fetchone()
    )
    assert (gone["deleted"], gone["dirty"]) == (1, 1)


def test_saving_a_body_marks_only_that_section_dirty(store: Store) -> None:
    proposal = repo_proposals.get_or_create_proposal(store, _consultation(store))
    rows = repo_proposals.save_outline(store, proposal.uuid, [NewSection("A", 1), NewSection("B", 1)])
    # An old timestamp to compare with: two saves within the clock's resolution would tie.
    before = "2000-01-01T00:00:00.000Z"
    store.read().execute("UPDATE sections SET dirty = 0, updated_at = ?", (before,))
    repo_proposals.save_section_body(store, rows[0].uuid, "Texte", "offline")
    states = {
        r["uuid"]: (r["dirty"], r["updated_at"])
        for r in store.read().execute("SELECT uuid, dirty, updated_at FROM sections")
    }
    assert states[rows[0].uuid][0] == 1 and states[rows[0].uuid][1] > before
    assert states[rows[1].uuid][0] == 0
    # Same text again: nothing to push.
    store.read().execute("UPDATE sections SET dirty = 0")
    repo_proposals.save_section_body(store, rows[0].uuid, "Texte", "offline")
    assert (
        store.read().execute("SELECT dirty FROM sections WHERE uuid = ?", (rows[0].uuid,)).fetchone()[0] == 0
    )


def test_one_proposal_per_consultation_and_lot(store: Store) -> None:
    consultation = _consultation(store)
    a = repo_proposals.get_or_create_proposal(store, consultation, 1)
    assert repo_proposals.get_or_create_proposal(store, consultation, 1).uuid == a.uuid
    assert repo_proposals.get_or_create_proposal(store, consultation, 2).uuid != a.uuid
    b = repo_proposals.get_or_create_proposal(store, consultation, 1, "cadre_reponse")
    assert b.uuid == a.uuid and b.outline_source == "cadre_reponse"
