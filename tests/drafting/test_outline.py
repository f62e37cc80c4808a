"""The mémoire's plan: the cadre de réponse's own headings and questions, else the scored criteria."""

from __future__ import annotations

from app.domain.analysis import Criterion, SubCriterion
from app.drafting.outline import OutlineSource, build_outline
from app.drafting.themes import Theme
from tests.drafting.builders import analysis, cadre, cctp, rc


def test_cadre_de_reponse_gives_the_plan_in_its_order_and_wording() -> None:
    outline = build_outline(analysis(), [rc(), cctp(), cadre()])
    assert outline.source is OutlineSource.CADRE_REPONSE
    assert [(s.key, s.level, s.title) for s in outline.sections] == [
        ("1", 1, "1. Organisation du chantier (30 %)"),
        # The buyer's questions become statements; the question stays as a reminder.
        ("1.1", 2, "1.1 Équipe affectée au chantier et nom du conducteur de travaux"),
        ("1.2", 2, "1.2 Moyens matériels mobilisés"),
        ("2", 1, "2. Gestion des déchets et des nuisances (10 %)"),
        ("3", 1, "3. Références de travaux similaires"),
    ]
    by_key = {s.key: s for s in outline.sections}
    assert by_key["1.2"].question == "1.2 Listez les moyens matériels mobilisés."
    assert by_key["1"].question is None
    assert by_key["1"].weight_percent == 30
    assert by_key["2"].prompts == ["Comment le candidat assure-t-il la traçabilité des déchets ?"]
    assert by_key["1.1"].theme is Theme.ORGANISATION
    assert by_key["1.2"].theme is Theme.MOYENS_MATERIELS
    assert by_key["3"].theme is Theme.REFERENCES
    assert by_key["1"].source_file == "Cadre de réponse.docx"


def test_without_cadre_the_plan_is_the_technical_criteria_with_their_weights() -> None:
    outline = build_outline(analysis(), [rc(), cctp()])
    assert outline.source is OutlineSource.CRITERIA
    titles = [(s.key, s.title, s.weight_percent) for s in outline.sections]
    # Price is answered in the DPGF, not in the mémoire; the company presentation carries the references.
    assert titles == [
        ("1", "Présentation de l'entreprise", None),
        ("2", "Valeur technique", 60),
        ("2.1", "Méthodologie et organisation du chantier", 30),
        ("2.2", "Moyens humains et matériels affectés", 20),
        ("2.3", "Démarche environnementale et gestion des déchets", 10),
    ]


def test_a_criterion_without_subcriteria_gets_the_usual_parts_under_it() -> None:
    a = analysis(
        criteria=[
            Criterion(name="Valeur technique", weight_percent=70),
            Criterion(name="Prix", weight_percent=30),
        ]
    )
    outline = build_outline(a, [])
    assert outline.sections[0].title == "Valeur technique" and outline.sections[0].level == 1
    children = outline.children(outline.sections[0])
    assert [c.theme for c in children][:3] == [Theme.COMPREHENSION, Theme.METHODOLOGIE, Theme.ORGANISATION]
    assert all(c.criterion == "Valeur technique" for c in children)


def test_subcriteria_named_price_are_left_out_too() -> None:
    a = analysis(
        criteria=[
            Criterion(
                name="Critère technique",
                weight_percent=50,
                subcriteria=[
                    SubCriterion(name="Coût global de maintenance", weight_percent=10),
                    SubCriterion(name="Planning", weight_percent=40),
                ],
            )
        ]
    )
    titles = [s.title for s in build_outline(a, []).sections]
    assert "Planning" in titles and "Coût global de maintenance" not in titles


def test_cadre_without_numbers_keeps_its_headings_and_questions() -> None:
    from app.domain.kinds import PieceKind
    from tests.drafting.builders import piece

    text = (
        "CADRE DE RÉPONSE TECHNIQUE\n"
        "Le candidat complète chaque rubrique.\n"
        "Méthodologie d'intervention\n"
        "Le candidat décrira les étapes de son intervention.\n"
        "Quels autocontrôles sont prévus ?\n"
        "Moyens humains dédiés\n"
        "Le candidat précisera la qualification de chaque intervenant.\n"
        "Un texte descriptif sans question.\n"
    )
    outline = build_outline(analysis(), [piece("Cadre.docx", PieceKind.CADRE_REPONSE, text, paged=False)])
    assert outline.source is OutlineSource.CADRE_REPONSE
    assert [(s.title, s.prompts) for s in outline.sections] == [
        (
            "Méthodologie d'intervention",
            ["Le candidat décrira les étapes de son intervention.", "Quels autocontrôles sont prévus ?"],
        ),
        ("Moyens humains dédiés", ["Le candidat précisera la qualification de chaque intervenant."]),
    ]


def test_statement_titles_are_derived_from_the_question() -> None:
    from app.drafting.outline import statement_title

    assert (
        statement_title(
            "1.1 Décrivez l'organisation du chantier en site occupé et les mesures de sécurité des usagers."
        )
        == "1.1 Organisation du chantier en site occupé et mesures de sécurité des usagers"
    )
    assert statement_title("2.2 Listez les moyens matériels mobilisés et leur provenance.") == (
        "2.2 Moyens matériels mobilisés et leur provenance"
    )
    assert statement_title("Le candidat précisera les délais d'intervention.") == "Délais d'intervention"
    # The detail in brackets stays in the question; a title that is not a question is kept.
    assert (
        statement_title("2.1 Présentez l'équipe affectée au chantier (CV du conducteur de travaux).")
        == "2.1 Équipe affectée au chantier"
    )
    assert statement_title("1. Méthodologie (25 %)") == "1. Méthodologie (25 %)"
