"""Service side of the same DCE imported twice (app.services.versions)."""

from __future__ import annotations

import pytest

from app.domain.analysis import Analysis, Criterion
from app.domain.errors import InvalidInput
from app.services import versions
from local_store import repo_consultations as repo_c
from local_store.store import Store
from tests.conftest import EXAMPLE_DIR


def test_duplicate_returns_the_existing_consultation_and_creates_nothing(store: Store) -> None:
    first = versions.import_checked(store, [EXAMPLE_DIR / "dce.zip"], workers=1)
    assert first.outcome == "imported"
    again = versions.import_checked(store, [EXAMPLE_DIR / "dce.zip"], workers=1)
    assert again.outcome == "duplicate" and again.consultation_uuid == first.consultation_uuid
    assert [r.uuid for r in repo_c.list_all(store)] == [first.consultation_uuid]
    same = versions.import_checked(store, [EXAMPLE_DIR / "dce.zip"], workers=1, new_version=True)
    assert same.outcome == "new_version" and same.diff is not None and same.diff.empty
    assert same.diff.lines() == ["Aucune différence avec la version précédente."]
    assert versions.version_info(store, same.consultation_uuid) == (2, same.diff)


def test_new_version_of_nothing_is_refused_and_leaves_nothing(store: Store) -> None:
    with pytest.raises(InvalidInput):
        versions.import_checked(store, [EXAMPLE_DIR / "dce.zip"], workers=1, new_version=True)
    assert repo_c.list_all(store) == []


def test_field_changes_come_deadline_first_in_french() -> None:
    before = Analysis(
        buyer="Ville",
        deadline="2027-07-16T12:00:00+02:00",
        criteria=[Criterion(name="Prix", weight_percent=40)],
    )
    after = Analysis(
        buyer="Ville de Serris",
        deadline="2027-07-23T12:00:00+02:00",
        criteria=[Criterion(name="Prix", weight_percent=42.5)],
    )
    changes = versions.compare_analyses(before, after)
    assert [c.field for c in changes] == ["deadline", "buyer", "criteria"]
    assert changes[0].before == "16/07/2027 à 12h00" and changes[0].after == "23/07/2027 à 12h00"
    assert changes[2].after == "Prix 42,5 %"
