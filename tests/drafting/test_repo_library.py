"""Library blocks in the real encrypted store: FTS5 search, review dates, dirty flags for sync."""

from __future__ import annotations

from datetime import date

from local_store import repo_library
from local_store.store import Store


def _dirty(store: Store, uuid: str) -> tuple[int, str]:
    row = (
        store.read()
        .execute("SELECT dirty, updated_at FROM library_blocks WHERE uuid = ?", (uuid,))
        .fetchone()
    )
    return row["dirty"], row["updated_at"]


def test_search_ignores_accents_and_ranks_title_first(store: Store) -> None:
    a = repo_library.add_block(
        store, "Gestion des déchets de chantier", "Tri sélectif et bordereaux BSD.", ["qse"]
    )
    b = repo_library.add_block(
        store, "Sécurité", "Accueil sécurité ; gestion des déchets dangereux.", ["qse"]
    )
    repo_library.add_block(store, "Planning", "Phasage en site occupé.", ["planning"])
    found = repo_library.search(store, "dechets")
    assert [x.uuid for x in found] == [a.uuid, b.uuid]
    assert [x.title for x in repo_library.search(store, "phas")] == ["Planning"]
    assert len(repo_library.search(store, 'déchets"*( -')) == 2  # FTS syntax typed by a user is inert
    assert repo_library.search(store, "   ") == []


def test_edit_marks_dirty_and_deleted_blocks_leave_search(store: Store) -> None:
    block = repo_library.add_block(store, "Méthodologie", "Notre méthode.", ["methodologie"])
    store.read().execute("UPDATE library_blocks SET dirty = 0 WHERE uuid = ?", (block.uuid,))
    _, before = _dirty(store, block.uuid)
    repo_library.update_block(store, block.uuid, body="Notre méthode.")  # no change: stays clean
    assert _dirty(store, block.uuid) == (0, before)
    updated = repo_library.update_block(
        store, block.uuid, body="Méthode en trois phases.", tags=["methodologie", "btp"]
    )
    dirty, after = _dirty(store, block.uuid)
    assert dirty == 1 and after > before
    assert updated.tags == ["methodologie", "btp"]
    assert [b.uuid for b in repo_library.search(store, "phases")] == [block.uuid]
    repo_library.delete_block(store, block.uuid)
    assert repo_library.search(store, "phases") == []
    assert repo_library.list_blocks(store) == []
    row = (
        store.read()
        .execute("SELECT deleted, dirty FROM library_blocks WHERE uuid = ?", (block.uuid,))
        .fetchone()
    )
    assert (row["deleted"], row["dirty"]) == (1, 1)


def test_blocks_are_due_for_review_after_the_configured_months(store: Store) -> None:
    old = repo_library.add_block(store, "Ancien", "x", reviewed_on=date(2025, 1, 31))
    fresh = repo_library.add_block(store, "Récent", "y", reviewed_on=date(2026, 9, 1))
    never = repo_library.add_block(store, "Jamais relu", "z")
    today = date(2026, 11, 26)
    due = {b.uuid for b in repo_library.due_for_review(store, today, 12)}
    assert due == {old.uuid, never.uuid}
    assert old.review_due(today, 1) == date(2025, 2, 28)  # the month's last day
    repo_library.mark_reviewed(store, old.uuid, today)
    assert {b.uuid for b in repo_library.due_for_review(store, today, 12)} == {never.uuid}
    assert fresh.uuid not in due
