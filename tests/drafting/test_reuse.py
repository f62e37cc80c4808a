"""Library reuse and commitments: search insensitive to accents and plurals, adaptation of names,
marks, and requirements phrased as commitments with their reference."""

from __future__ import annotations

from app.domain.kinds import PieceKind
from app.drafting.body import to_blocks
from app.drafting.commitments import commitment, phrase
from app.drafting.outline import OutlineSection
from app.drafting.requirements import Requirement
from app.drafting.reuse import ListIndex, Proposal, adapt, propose, reused_text, site_of
from app.drafting.themes import Theme
from app.services import library
from local_store import text_norm
from tests.drafting.builders import analysis


def test_normalisation_ignores_accents_case_and_plurals_but_keeps_meanings_apart() -> None:
    assert text_norm.terms("Interventions SÉCURISÉES") == text_norm.terms("intervention securisee")
    assert text_norm.terms("équipes dédiées") == text_norm.terms("Équipe dédiée")
    assert text_norm.terms("équipe") != text_norm.terms("équipement")
    query = text_norm.query(["Délais d'intervention"], boosted=["Délais d'intervention"])
    assert query.count('"delai"') == 2  # the section's own words weigh double


def test_best_blocks_come_with_score_and_origin_and_can_be_excluded() -> None:
    blocks = library.example_blocks()
    index = ListIndex(blocks)
    section = OutlineSection(
        key="3.1", title="Tri des déchets sur site et filières de valorisation", level=2, theme=Theme.QSE
    )
    found = propose(section, index, works=True)
    assert found[0].block.title == "Gestion et tri des déchets de chantier"
    assert found[0].score > found[-1].score
    assert found[0].origin == (
        "memoire_travaux_groupe_scolaire_2025.docx (01/2025), « Gestion et tri des déchets de chantier »"
    )
    again = propose(section, index, works=True, exclude={found[0].ident})
    assert all(p.block.title != found[0].block.title for p in again)


def test_old_consultation_names_are_replaced_and_the_reuse_is_marked() -> None:
    a = analysis(
        buyer="Communauté de communes du Val de Brenne",
        object="Réhabilitation du gymnase intercommunal de Saint-Aubin, lot 1",
    )
    assert site_of(a) == "gymnase intercommunal de Saint-Aubin"
    facts = {"buyer": "Commune de Coupvray", "site": "groupe scolaire Jean Moulin"}
    text = "Pour la Commune de Coupvray, les travaux du groupe scolaire Jean Moulin débutent le 3 mars 2025."
    out = adapt(text, facts, a)
    assert out.text.startswith("Pour la Communauté de communes du Val de Brenne, les travaux du gymnase")
    assert "2025" not in out.text and "[à compléter : date propre à cette consultation]" in out.text
    block = library.example_blocks()[0]
    body = reused_text(Proposal(block, 2.0, "ancien.docx (01/2025), « Présentation »"), a)
    kinds = [b.kind for b in to_blocks(body)]
    assert kinds[0] == "reuse" and kinds[-1] == "reuse_end"


def _req(text: str, article: str | None = "4.2", lot: str | None = None) -> Requirement:
    return Requirement("EX-001", text, "CCTP.pdf", 3, PieceKind.CCTP, article=article, lot=lot)


def test_requirements_become_commitments_phrased_from_themselves() -> None:
    assert commitment(_req("Les travaux devront se dérouler de 7 h 30 à 18 h.")) == (
        "Conformément à l'article 4.2 du CCTP, les travaux se dérouleront de 7 h 30 à 18 h."
    )
    assert phrase("Le matériel doit répondre aux normes.") == "le matériel répondra aux normes"
    assert phrase("Le titulaire devra tenir le chantier propre et assurer le tri des déchets.") == (
        "nous nous engageons à tenir le chantier propre et assurer le tri des déchets"
    )
    assert phrase("La présence du chef de chantier aux réunions hebdomadaires est obligatoire.") == (
        "nous garantissons la présence du chef de chantier aux réunions hebdomadaires"
    )
    assert phrase("Les bois devront être certifiés PEFC ou FSC.") == "les bois seront certifiés PEFC ou FSC"
    assert commitment(_req("Le titulaire devra organiser ses interventions.", None, "lot n° 1")) == (
        "Conformément au CCTP (lot n° 1), p.\u00a03, nous nous engageons à organiser nos interventions."
    )
    # No rule applies: the requirement is quoted, never rewritten into something it does not say.
    assert phrase("Les bordereaux sont remis au maître d'œuvre.") == (
        "nous respecterons cette prescription : « Les bordereaux sont remis au maître d'œuvre »"
    )
