"""The library use cases: "à revoir" follows the configured number of months."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.errors import InvalidInput
from app.services import library
from app.settings import LIBRARY_REVIEW_MONTHS, Settings
from local_store.store import Store


def test_review_period_comes_from_the_settings(store: Store) -> None:
    block = library.add(store, "Plan qualité", "PAQ type.", ["qse"], reviewed_on=date(2026, 3, 1))
    today = date(2026, 11, 26)
    assert library.status(block, today) == "à jour"  # default: 12 months
    settings = Settings.load()
    settings.set(LIBRARY_REVIEW_MONTHS, 6)
    assert library.status(block, today, Settings.load()) == "à revoir"
    assert [b.uuid for b in library.to_review(store, today, Settings.load())] == [block.uuid]
    library.mark_reviewed(store, block.uuid, today)
    assert library.to_review(store, today, Settings.load()) == []


def test_a_block_needs_a_title(store: Store) -> None:
    with pytest.raises(InvalidInput):
        library.add(store, "  ", "texte")
    with pytest.raises(InvalidInput):
        library.update(store, "inconnu", body="x")
