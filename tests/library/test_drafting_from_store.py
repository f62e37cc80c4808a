"""Drafting a consultation from the library kept in the store: the store's index, moved requirements."""

from __future__ import annotations

from pathlib import Path

from app.services import consultations, library, proposals
from app.services import profile as profile_service
from local_store.store import Store

EXAMPLE = Path(__file__).resolve().parents[2] / "app" / "resources" / "example"


def test_store_library_feeds_the_draft_and_a_moved_requirement_follows(store: Store) -> None:
    for path in sorted((EXAMPLE / "library").glob("*.docx")):
        library.import_file(store, path)
    uuid = consultations.import_dce(store, [EXAMPLE / "dce.zip"], workers=1).consultation_uuid
    profile_service.import_file(store, EXAMPLE / "profile.json")
    stored = proposals.draft_consultation(store, uuid, "offline")
    answer = stored.answer
    waste = answer.bodies["3.1"]
    assert (
        "[[REPRIS:memoire_travaux_groupe_scolaire_2025.docx (01/2025), « Gestion et tri des déchets" in waste
    )
    assert "Les déchets sont triés à la source" in waste
    origins = [
        line for body in answer.bodies.values() for line in body.splitlines() if line.startswith("[[REPRIS:")
    ]
    assert len(origins) == len(set(origins)) >= 8  # no block twice in one mémoire

    # The user moves the 500 lux requirement to 2.2; reopened, the mapping keeps it there.
    lux = next(r for r in answer.requirements if "500 lux" in r.text)
    assert lux.section_key == "1.3"
    proposals.move_requirement(store, stored, lux.key, "2.2")
    assert next(r for r in stored.answer.requirements if "500 lux" in r.text).section_key == "2.2"
    again = proposals.open_answer(store, uuid)
    moved = next(r for r in again.answer.requirements if "500 lux" in r.text)
    assert moved.section_key == "2.2" and moved.moved
    # Drafted again, the commitment is in its new section; the other sections keep their blocks.
    from app.drafting.reuse import StoreIndex

    text = proposals.redraft_offline(again.answer, "2.2", index=StoreIndex(store))
    assert "nous garantissons le niveau d'éclairement moyen de 500 lux" in text
    elsewhere = {line for k, body in again.answer.bodies.items() if k != "2.2" for line in body.splitlines()}
    marks = [line for line in text.splitlines() if line.startswith("[[REPRIS:")]
    assert marks and not set(marks) & elsewhere


def test_sections_drafted_later_do_not_take_a_block_already_used(store: Store) -> None:
    for path in sorted((EXAMPLE / "library").glob("*.docx")):
        library.import_file(store, path)
    uuid = consultations.import_dce(store, [EXAMPLE / "dce.zip"], workers=1).consultation_uuid
    profile_service.import_file(store, EXAMPLE / "profile.json")
    first = proposals.draft_consultation(store, uuid, "offline")
    kept = first.answer.bodies["3.1"]
    # The user empties every section but 3.1; drafting again must not reuse 3.1's block elsewhere.
    for key in first.answer.bodies:
        if key != "3.1":
            proposals.save_section_text(store, first, key, "")
    again = proposals.open_answer(store, uuid)
    mark = next(line for line in kept.splitlines() if line.startswith("[[REPRIS:"))
    others = [body for key, body in again.answer.bodies.items() if key != "3.1"]
    assert again.answer.bodies["3.1"] == kept
    assert not any(mark in body for body in others)


def test_the_editor_is_offered_the_blocks_that_fit_a_section(store: Store) -> None:
    for path in sorted((EXAMPLE / "library").glob("*.docx")):
        library.import_file(store, path)
    uuid = consultations.import_dce(store, [EXAMPLE / "dce.zip"], workers=1).consultation_uuid
    profile_service.import_file(store, EXAMPLE / "profile.json")
    offered = proposals.library_proposals(store, uuid, "3.2")
    assert offered[0].title == "Réduction des nuisances : bruit et poussière"
    assert offered[0].score > offered[-1].score
    assert offered[0].origin.startswith("memoire_travaux_groupe_scolaire_2025.docx (01/2025)")
    people = proposals.library_proposals(store, uuid, "2.1")[0]
    assert people.title == "Équipe affectée à l'opération"
