"""Content library use cases (CLI and app): reusable blocks, FTS search, "à revoir" after N months."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app.domain.errors import InvalidInput
from app.settings import LIBRARY_REVIEW_MONTHS, Settings
from local_store import repo_library
from local_store.repo_library import LibraryBlock
from local_store.store import Store


def review_months(settings: Settings | None = None) -> int:
    return max(1, (settings or Settings.load()).get(LIBRARY_REVIEW_MONTHS))


def add(
    store: Store, title: str, body: str, tags: Sequence[str] = (), reviewed_on: date | None = None
) -> LibraryBlock:
    if not title.strip():
        raise InvalidInput("le titre est obligatoire.", field="titre")
    return repo_library.add_block(store, title.strip(), body, tags, reviewed_on or date.today())


def update(
    store: Store,
    block_uuid: str,
    *,
    title: str | None = None,
    body: str | None = None,
    tags: Sequence[str] | None = None,
) -> LibraryBlock:
    try:
        return repo_library.update_block(store, block_uuid, title=title, body=body, tags=tags)
    except KeyError:
        raise InvalidInput("Bloc introuvable.", field="bloc") from None


def mark_reviewed(store: Store, block_uuid: str, on: date | None = None) -> LibraryBlock:
    try:
        return repo_library.mark_reviewed(store, block_uuid, on or date.today())
    except KeyError:
        raise InvalidInput("Bloc introuvable.", field="bloc") from None


def delete(store: Store, block_uuid: str) -> None:
    repo_library.delete_block(store, block_uuid)


def all_blocks(store: Store) -> list[LibraryBlock]:
    return repo_library.list_blocks(store)


def search(store: Store, text: str, limit: int = 20) -> list[LibraryBlock]:
    return repo_library.search(store, text, limit)


def to_review(
    store: Store, today: date | None = None, settings: Settings | None = None
) -> list[LibraryBlock]:
    """Blocks "à revoir": never reviewed or last reviewed more than the configured months ago."""
    return repo_library.due_for_review(store, today or date.today(), review_months(settings))


def status(block: LibraryBlock, today: date | None = None, settings: Settings | None = None) -> str:
    """The label shown next to a block: "à revoir" or "à jour"."""
    return "à revoir" if block.needs_review(today or date.today(), review_months(settings)) else "à jour"
