"""Tables read as laid out: the PDF reader keeps a table row on one line, and the analysis reads
criteria per lot, lots, references and objects from the structure — on layouts and wordings of our
own, not the corpus's text."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from app.analysis.offline import analyze_offline
from app.dce.extractors.layout import Frag, Rule, layout_lines, rules_from_box
from app.domain.document import CELL_BREAK
from app.domain.kinds import RequiredDocument as R
from tests.analysis.helpers import assert_contract_valid, assert_evidence_honest, piece
from tests.analysis.loader import load_dce

# --- geometry ---------------------------------------------------------------------------------


def _grid(xs: list[float], ys: list[float]) -> list[Rule]:
    rules = [Rule(xs[0], y, xs[-1], y) for y in ys]
    rules += [Rule(x, ys[-1], x, ys[0]) for x in xs]
    return rules


def test_ruled_table_row_stays_on_one_line_with_its_wrapped_cells() -> None:
    # A two-column table: the name cell wraps over two lines, the weight sits centred beside it.
    frags = [
        Frag(72, 700, 130, 710, "Critère"),
        Frag(400, 700, 460, 710, "Pondération"),
        Frag(72, 680, 200, 690, "Valeur technique"),
        Frag(72, 668, 300, 678, "Apprécié sur le mémoire"),
        Frag(400, 674, 430, 684, "60 %"),
        Frag(72, 650, 110, 660, "Prix"),
        Frag(400, 650, 430, 660, "40 %"),
        Frag(72, 600, 300, 610, "Texte après le tableau."),
    ]
    lines = layout_lines(frags, _grid([66, 390, 500], [715, 695, 664, 645]))
    assert lines == [
        "Critère\tPondération",
        f"Valeur technique{CELL_BREAK}Apprécié sur le mémoire\t60 %",
        "Prix\t40 %",
        "Texte après le tableau.",
    ]


def test_shading_edges_and_frames_are_not_columns() -> None:
    # Cell shading drawn as filled boxes inside the ruled cells adds edges at other x positions.
    frags = [Frag(80, 680, 150, 690, "Lot 1"), Frag(300, 680, 400, 690, "Gros œuvre")]
    rules = _grid([66, 250, 500], [700, 670])
    rules += rules_from_box(68, 672, 248, 698) + rules_from_box(252, 672, 498, 698)
    assert layout_lines(frags, rules) == ["Lot 1\tGros œuvre"]
    # A frame around a paragraph (one column) leaves its lines as they are.
    frame = rules_from_box(60, 600, 540, 720)
    para = [Frag(72, 690, 500, 700, "Première ligne du cadre"), Frag(72, 676, 300, 686, "seconde ligne.")]
    assert layout_lines(para, frame) == ["Première ligne du cadre", "seconde ligne."]


def test_unruled_wide_gap_is_a_column_and_kerning_is_not_a_space() -> None:
    frags = [
        Frag(72, 700, 90, 710, "N°"),
        Frag(91, 700, 110, 710, "2026"),
        Frag(111, 700, 140, 710, "-AO-7"),
        Frag(72, 680, 200, 690, "Délai d'exécution "),
        Frag(420, 680, 460, 690, "12 mois"),
    ]
    assert layout_lines(frags) == ["N°2026-AO-7", "Délai d'exécution\t12 mois"]


# --- PDFs written with fpdf2, read back by the import's extractor ----------------------------------


def _pdf(path: Path, build: object) -> Path:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    build(pdf)  # type: ignore[operator]
    pdf.output(str(path))
    return path


def _para(pdf: FPDF, text: str, bold: bool = False) -> None:
    pdf.set_font("Helvetica", "B" if bold else "", 10)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _table(pdf: FPDF, rows: list[tuple[str, ...]], widths: tuple[int, ...]) -> None:
    pdf.set_font("Helvetica", size=9)
    with pdf.table(col_widths=widths, text_align="LEFT", first_row_as_headings=False) as table:
        for row in rows:
            cells = table.row()
            for text in row:
                cells.cell(text)
    pdf.ln(3)


def _rc_with_lot_tables(pdf: FPDF) -> None:
    _para(pdf, "SYNDICAT INTERCOMMUNAL DES EAUX DU VAL D'ARGENT", bold=True)
    _para(pdf, "REGLEMENT DE LA CONSULTATION")
    _para(pdf, "N° SIE-2026/031")
    _para(pdf, "ARTICLE 2 - DECOUPAGE EN LOTS", bold=True)
    _para(pdf, "La consultation est divisée en trois lots :")
    _table(
        pdf,
        [
            ("N°", "Désignation du lot", "Estimation HT"),
            ("1", "Renouvellement de canalisations\nrue des Tilleuls", "420 000 EUR HT"),
            ("2", "Réhabilitation du réservoir", "310 000 EUR HT"),
            ("3", "Télégestion des ouvrages", "95 000 EUR HT"),
        ],
        (15, 120, 45),
    )
    _para(pdf, "ARTICLE 7 - JUGEMENT DES OFFRES", bold=True)
    _para(pdf, "Les offres sont classées selon les critères pondérés suivants.")
    _para(pdf, "Pour les lots 1 et 2 :")
    _table(
        pdf,
        [
            ("Critère", "Pondération"),
            ("Prix des prestations\nJugé sur le montant du détail estimatif", "40 %"),
            ("Valeur technique\nAppréciée au vu du mémoire technique", "60 %"),
        ],
        (130, 50),
    )
    _para(pdf, "Critères applicables au lot 3 :")
    _table(
        pdf,
        [
            ("Critère", "Note"),
            ("Qualité de la solution proposée", "93 points"),
            ("Prix", "62 points"),
            ("TOTAL", "155 points"),
        ],
        (130, 50),
    )


def test_criteria_table_per_lot_group_with_stated_total(tmp_path: Path) -> None:
    rc = _pdf(tmp_path / "RC.pdf", _rc_with_lot_tables)
    pieces = load_dce(rc.parent)
    analysis = analyze_offline(pieces)
    assert_evidence_honest(analysis, pieces)
    assert [(lot.number, lot.title) for lot in analysis.lots] == [
        (1, "Renouvellement de canalisations rue des Tilleuls"),
        (2, "Réhabilitation du réservoir"),
        (3, "Télégestion des ouvrages"),
    ]
    # Lot 1's table is the top-level one; lots are never added together.
    assert [(c.name, c.weight_percent) for c in analysis.criteria] == [
        ("Prix des prestations", 40.0),
        ("Valeur technique", 60.0),
    ]
    by_lot = {lot.number: [(c.name, c.weight_percent) for c in lot.criteria or []] for lot in analysis.lots}
    assert by_lot[2] == by_lot[1]
    # 93 + 62 points out of a stated total of 155: converted to percent with the scale written.
    assert by_lot[3] == [("Qualité de la solution proposée", 60.0), ("Prix", 40.0)]
    assert not analysis.doubtful("criteria")
    fiche = analysis.fiche or ""
    assert "Lots 1, 2 :" in fiche and "Lot 3 :" in fiche
    assert analysis.reference == "SIE-2026/031"
    data = analysis.to_contract()
    assert_contract_valid(data)
    assert "criteria" in data["lots"][2]


def _rc_weight_beside_explanation(pdf: FPDF) -> None:
    _para(pdf, "OFFICE PUBLIC DE L'HABITAT DE LA COTE D'OPALE", bold=True)
    _para(pdf, "REGLEMENT DE CONSULTATION")
    _para(pdf, "Article 1 - Objet et durée du marché", bold=True)
    _para(
        pdf,
        "La présente consultation concerne la conclusion d'un accord-cadre ayant pour objet l'entretien "
        "des espaces verts des résidences de l'Office. Sa durée est d'un an.",
    )
    _para(pdf, "Article 8 - Critères d'attribution", bold=True)
    _table(
        pdf,
        [
            ("Critères", "Points"),
            ("Critère n° 1 - Méthodologie d'intervention\nNoté au regard du mémoire technique", "45"),
            ("Critère n° 2 - Prix\nNoté selon la formule : note = 40 x Pmin / P", "40"),
            ("Critère n° 3 - Performance environnementale", "15"),
        ],
        (140, 40),
    )


def test_bare_points_in_a_points_column_and_object_in_a_nested_sentence(tmp_path: Path) -> None:
    rc = _pdf(tmp_path / "OPH-2026-0117-RC.pdf", _rc_weight_beside_explanation)
    pieces = load_dce(rc.parent)
    analysis = analyze_offline(pieces)
    assert_evidence_honest(analysis, pieces)
    assert [(c.name, c.weight_percent) for c in analysis.criteria] == [
        ("Méthodologie d'intervention", 45.0),
        ("Prix", 40.0),
        ("Performance environnementale", 15.0),
    ]
    # The object of the nested "ayant pour objet", not the framework agreement it is the object of.
    assert analysis.object == "entretien des espaces verts des résidences de l'Office"
    # No label: the number comes from the file name alone, so it is shown à vérifier.
    assert analysis.reference == "OPH-2026-0117-RC" or analysis.reference == "OPH-2026-0117"
    assert analysis.doubtful("reference")


# --- documents to produce: families of wordings -----------------------------------------------


def test_dce_contents_are_not_pieces_to_produce_and_le_cas_echeant_governs_its_clause() -> None:
    rc = piece(
        "Article 3 - Contenu du dossier de consultation\n"
        "Le dossier de consultation comprend les pièces suivantes :\n"
        "le présent règlement ;\n"
        "le cahier des clauses administratives particulières ;\n"
        "le bordereau des prix unitaires ;\n"
        "le cadre de mémoire technique.\n"
        "Article 4 - Pièces à fournir par le candidat\n"
        "La candidature comprend le DC1, le DC2 et, le cas échéant, le DC4.\n"
        "L'offre comprend le mémoire technique et le BPU complété.\n"
        "Le modèle de DC2 est disponible sur le site du ministère.\n"
        "Article 5 - Jugement des offres\n"
    )
    analysis = analyze_offline([rc])
    assert set(analysis.required_documents) == {R.DC1, R.DC2, R.MEMOIRE_TECHNIQUE, R.BPU}


def test_check_and_arrow_bullets_under_a_winner_intro_are_not_asked_of_everyone() -> None:
    rc = piece(
        "Pièces à produire\n"
        "Chaque candidat remet une déclaration relative au chiffre d'affaire des trois derniers exercices.\n"
        "Le candidat retenu produira avant la notification :\n"
        "✓ un extrait K-bis\n"
        "→ un relevé d'identité bancaire\n"
        "Jugement des offres\n"
    )
    analysis = analyze_offline([rc])
    assert analysis.required_documents == [R.CHIFFRE_AFFAIRES]


def test_summary_table_label_and_value_cells() -> None:
    # An RC's summary table, the way the layout reader gives it (one row per line, cells by tab).
    rc = piece(
        "Règlement de la consultation\n"
        "Objet\tMaintenance des ascenseurs de la ville\n"
        "Variantes\tSans\n"
        "Visite des lieux\tObligatoire\n"
        "Délai de validité des offres\t120 jours\n"
    )
    analysis = analyze_offline([rc])
    assert analysis.variants_allowed is False
    assert analysis.site_visit is not None and analysis.site_visit.value == "mandatory"
    rc = piece("Tableau récapitulatif\nVariantes autorisées\tOui\nVisite\tSans objet\n")
    analysis = analyze_offline([rc])
    assert analysis.variants_allowed is True
    assert analysis.site_visit is not None and analysis.site_visit.value == "none"


def test_go_no_go_and_plan_say_when_they_rest_on_criteria_to_check() -> None:
    from app.domain.profile import CompanyProfile
    from app.drafting.gonogo import CheckStatus, evaluate
    from app.drafting.outline import build_outline

    rc = piece("Critères de jugement des offres\nValeur technique : 30 points\nPrix : 15 points\n")
    analysis = analyze_offline([rc])
    assert analysis.doubtful("criteria")
    result = evaluate(analysis, [rc], CompanyProfile(raison_sociale="Exemple SARL", siret="73282932000074"))
    check = next(c for c in result.checks if c.label == "Analyse du DCE")
    assert check.status is CheckStatus.A_VERIFIER and "critères de jugement" in check.detail
    assert build_outline(analysis, [rc]).note is not None


_BODY = "Article {n} - Clause\nTexte de la clause numéro {n}.\nSuite du texte."


def test_reference_labelled_alone_on_the_cover_or_in_later_running_headers() -> None:
    labelled = analyze_offline(
        [piece("Règlement de la consultation\nConsultation n° : 2026-017\nObjet : voirie")]
    )
    assert labelled.reference == "2026-017" and not labelled.doubtful("reference")
    cover = analyze_offline([piece("COMMUNE DE VILLENEUVE\nR.C. N° 26-AO-004\nRèglement de la consultation")])
    assert cover.reference == "26-AO-004" and cover.doubtful("reference")  # one source only
    pages = [_BODY.format(n=i) for i in range(1, 4)]
    pages += [f"RC - Marché MAPA/2026/12 - page {i}\n" + _BODY.format(n=i) for i in range(4, 9)]
    headers = analyze_offline([piece(*pages)])
    assert headers.reference == "MAPA/2026/12"
