"""A real services DCE (vsgp, IT outsourcing) with the example company's services past mémoire in the
library: blocks go to the sections they fit, by subject (skipped without ../shared/corpus)."""

from __future__ import annotations

from pathlib import Path

from app.dce.reader import read_dce
from app.drafting.reuse import _THEME_TAGS
from app.drafting.text import stems_of
from app.services import library, proposals
from app.services.consultations import run_engine
from app.services.profile import read_profile_file

EXAMPLE = Path(__file__).resolve().parents[2] / "app" / "resources" / "example"

# What each block of the services mémoire may answer (its subject), by section theme.
FITS = {
    "Présentation de l'entreprise et de son activité d'entretien": {"presentation"},
    "Qualité de service, indicateurs et comités de pilotage": {"methodologie", "qse", "sav"},
    "Organisation de la prestation et interlocuteur unique": {"methodologie", "organisation"},
    "Démarche environnementale de la prestation": {"qse"},
    "Moyens humains et formation du personnel": {"organisation"},
    "Réversibilité et fin de contrat": {"risques", "sav", "methodologie"},
    "Délais d'intervention et astreinte": {"sav", "methodologie"},
    "Démarrage de la prestation et transfert de connaissances": {"methodologie", "risques"},
}


def test_services_library_blocks_go_where_they_fit(corpus: Path) -> None:
    outcome = read_dce(sorted((corpus / "vsgp").iterdir()), workers=1)
    analysis = run_engine(outcome.pieces, "offline")
    blocks = [b for b in library.example_blocks() if "services" in (b.source_file or "")]
    profile = read_profile_file(EXAMPLE / "profile.json")
    answer = proposals.answer_offline(analysis, outcome.pieces, profile, blocks)
    placed = {key: [p.block.title for p in chosen] for key, chosen in answer.reused.items() if chosen}
    sections = {s.key: s for s in answer.outline.sections}
    print(placed)  # which block went where (shown with -s)
    assert len(placed) >= 4
    for key, titles in placed.items():
        section = sections[key]
        for title in titles:
            block = next(b for b in blocks if b.title == title)
            by_tag = {t.lower() for t in block.tags} & {t.lower() for t in _THEME_TAGS[section.theme]}
            by_words = stems_of(section.title) & stems_of(title)
            assert section.theme.value in FITS.get(title, set()) or by_tag or by_words, (
                key,
                section.title,
                title,
            )
            assert f"[[REPRIS:{block.source_file}" in answer.bodies[key]
    # The IT company's environmental criterion gets the services mémoire's environmental answer.
    env = next(s for s in answer.outline.sections if s.title.startswith("Critère environnement"))
    assert placed.get(env.key) == ["Démarche environnementale de la prestation"]
    # The buyer's name replaces the old one in reused text; the old buyer is gone.
    assert not any("Ville de Chessy" in body for body in answer.bodies.values())
