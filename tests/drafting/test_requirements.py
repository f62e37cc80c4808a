"""Requirements matrix: extracted with their page, mapped to the section answering them, coverage
computed from the section's text (no model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.kinds import PieceKind
from app.drafting.outline import build_outline
from app.drafting.requirements import Coverage, compute_coverage, extract_requirements, map_requirements
from tests.drafting.builders import analysis, cadre, cctp, piece, rc


def test_requirements_come_from_cctp_and_cadre_with_their_page() -> None:
    reqs = extract_requirements([rc(), cctp(), cadre()])
    texts = [r.text for r in reqs]
    # The cadre first (its questions are what is scored), then the CCTP in reading order; not the RC.
    assert texts[:3] == [
        "1.1 Présentez l'équipe affectée au chantier et le nom du conducteur de travaux.",
        "1.2 Listez les moyens matériels mobilisés.",
        "Comment le candidat assure-t-il la traçabilité des déchets ?",
    ]
    by_text = {r.text: r for r in reqs}
    waste = by_text[
        "Le titulaire devra assurer l'évacuation des déchets de chantier vers une filière agréée et fournir "
        "les bordereaux de suivi."
    ]
    assert (waste.file, waste.page, waste.origin) == ("CCTP.pdf", 1, PieceKind.CCTP)
    assert by_text["Le port des équipements de protection individuelle est obligatoire."].page == 2
    assert by_text["1.2 Listez les moyens matériels mobilisés."].page is None  # DOCX: no real pages
    assert not any("Qualibat" in t for t in texts)
    assert "Les travaux se déroulent en site occupé." not in texts  # a statement, not a requirement
    assert len({r.ident for r in reqs}) == len(reqs)


def test_each_requirement_goes_to_the_section_that_answers_it() -> None:
    pieces = [rc(), cctp(), cadre()]
    outline = build_outline(analysis(), pieces)
    reqs = extract_requirements(pieces)
    map_requirements(reqs, outline)

    def section_of(start: str) -> str | None:
        return next(r.section_key for r in reqs if r.text.startswith(start))

    assert section_of("1.1 Présentez l'équipe") == "1.1"
    assert section_of("Comment le candidat assure-t-il") == "2"
    assert section_of("Le titulaire devra assurer l'évacuation") == "2"  # déchets → the waste section
    assert section_of("Le titulaire devra désigner") == "1.1"  # conducteur de travaux → the team
    assert all(r.section_key != "1" for r in reqs)  # a heading that only introduces 1.1 and 1.2


def test_coverage_follows_what_the_section_says() -> None:
    pieces = [cctp(), cadre()]
    outline = build_outline(analysis(), pieces)
    reqs = extract_requirements(pieces)
    map_requirements(reqs, outline)
    waste = next(r for r in reqs if r.text.startswith("Le titulaire devra assurer l'évacuation"))
    compute_coverage(reqs, {})
    assert waste.coverage is Coverage.NON_COUVERTE
    compute_coverage(reqs, {"2": "Les déchets sont évacués vers une filière agréée."})
    assert waste.coverage is Coverage.PARTIELLE
    compute_coverage(
        reqs,
        {
            "2": "Nous assurons l'évacuation des déchets du chantier vers des filières agréées et remettons "
            "les bordereaux de suivi (BSD)."
        },
    )
    assert waste.coverage is Coverage.COUVERTE
    assert waste.matched_terms and set(waste.matched_terms) <= set(waste.terms)


def test_real_cctp_requirements_have_pages(corpus: Path) -> None:
    from app.dce.reader import read_dce

    pdf = (
        corpus
        / "coupvray"
        / "COUPVRAY-CCTP-LOT-01-Installations-de-chantier-Demolition-Maconnerie-Indice-B.pdf"
    )
    if not pdf.is_file():
        pytest.skip("coupvray lot 01 absent")
    pieces = read_dce([pdf], workers=1).pieces
    for p in pieces:
        p.kind = PieceKind.CCTP
    reqs = extract_requirements(pieces)
    assert len(reqs) >= 10
    page_count = pieces[0].page_count or 0
    assert all(r.page is not None and 1 <= r.page <= page_count for r in reqs)
    # Every requirement is really on its page (the text a reader would find there).
    for r in reqs[:40]:
        page_text = " ".join(pieces[0].pages[(r.page or 1) - 1].text.split())
        assert r.text.split()[0] in page_text


def test_a_list_introduced_by_a_colon_is_one_requirement() -> None:
    from tests.drafting.builders import piece

    text = (
        "Article 4 – Missions\n"
        "De manière globale, le titulaire devra :\n"
        "1. Exploitation : assurer l'exploitation du système sur le\n"
        "long terme.\n"
        "• Tenir à jour la documentation technique.\n"
        "• Signaler toute anomalie sous 24 heures.\n"
        "Le reste du texte est descriptif."
    )
    reqs = extract_requirements([piece("CCTP.pdf", PieceKind.CCTP, text)])
    assert [r.text for r in reqs] == [
        "De manière globale, le titulaire devra : Exploitation : assurer l'exploitation du système sur le long "
        "terme ; Tenir à jour la documentation technique ; Signaler toute anomalie sous 24 heures."
    ]


def test_requirements_read_as_sentences_not_headings_or_fragments() -> None:
    page = (
        "4.1.2 Quantité et volumétrie\n"
        "Services d'Infrastructure\n"
        "Le Titulaire devra prendre en charge dans le cadre de la prestation de Services d'Infrastructure (art.\n"
        "4.2.1) les briques techniques du tableau ci-dessous.\n"
        "• Le Titulaire doit désigner un référent pour la partie assistance aux utilisateurs.\n"
        "Evolution du volume forfaitaire de Tickets de l'Assistance utilisateur de premier niveau\n"
        "Afin de répondre aux besoins, le soumissionnaire proposera un forfait adapté.\n"
        "Heures de service : Désigne les heures pendant lesquelles un Service doit être opérationnel.\n"
    )
    reqs = extract_requirements([piece("CCTP.pdf", PieceKind.CCTP, "Préambule", page)])
    texts = [r.text for r in reqs]
    assert texts == [
        # The heading above is not glued to the sentence, the "(art. 4.2.1)" is not cut.
        "Le Titulaire devra prendre en charge dans le cadre de la prestation de Services d'Infrastructure "
        "(art. 4.2.1) les briques techniques du tableau ci-dessous.",
        "Le Titulaire doit désigner un référent pour la partie assistance aux utilisateurs.",
        "Afin de répondre aux besoins, le soumissionnaire proposera un forfait adapté.",
    ]  # the glossary entry ("… : Désigne …") asks nothing
    assert [r.page for r in reqs] == [2, 2, 2]


def test_a_constraint_on_the_memoire_concerns_the_whole_document() -> None:
    pieces = [
        rc(),
        cctp(),
        cadre(),
        piece("CCTP-2.pdf", PieceKind.CCTP, "Le mémoire ne doit pas dépasser 10 pages."),
    ]
    outline = build_outline(analysis(), pieces)
    reqs = extract_requirements(pieces)
    map_requirements(reqs, outline)
    limit = next(r for r in reqs if "10 pages" in r.text)
    assert limit.section_key is None and limit.section_label == "Ensemble du mémoire"
    # A cadre question keeps its own number once ("1.2 1.2 Listez…" was shown before).
    listed = next(r for r in reqs if r.text.startswith("1.2 Listez"))
    assert listed.section_label == "1.2 Moyens matériels mobilisés"


def test_a_security_clause_is_not_answered_under_carbon_footprint() -> None:
    from app.domain.analysis import Criterion, SubCriterion

    it = analysis(
        object="Infogérance des systèmes d'information",
        criteria=[
            Criterion(
                name="Valeur technique",
                weight_percent=30,
                subcriteria=[
                    SubCriterion(name="Qualité et pertinence de l'offre technique", weight_percent=30)
                ],
            ),
            Criterion(
                name="Critère environnemental",
                weight_percent=10,
                subcriteria=[
                    SubCriterion(
                        name="Réduction de l'empreinte carbone liée aux services IT", weight_percent=10
                    )
                ],
            ),
        ],
    )
    page = (
        "Le Titulaire devra se conformer aux règles de l'art en matière de sécurité, en appliquant les règles "
        "préconisées par l'ANSSI.\n\n"
        "Le Titulaire devra réduire la consommation énergétique et l'empreinte carbone des équipements.\n"
    )
    pieces = [piece("CCTP.pdf", PieceKind.CCTP, page)]
    outline = build_outline(it, pieces)
    reqs = extract_requirements(pieces)
    map_requirements(reqs, outline)
    security = next(r for r in reqs if "ANSSI" in r.text)
    carbon = next(r for r in reqs if "carbone" in r.text)
    assert security.section_title == "Qualité et pertinence de l'offre technique"
    assert carbon.section_title == "Réduction de l'empreinte carbone liée aux services IT"
