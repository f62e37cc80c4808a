"""Each wording variant seen in real French RCs, on synthetic page texts (as pypdf prints them)."""

from __future__ import annotations

import pytest

from app.analysis.offline import analyze_offline
from app.domain.analysis import Procedure, SiteVisit
from app.domain.kinds import PieceKind
from app.domain.kinds import RequiredDocument as R
from tests.analysis.helpers import assert_evidence_honest, piece


def run(*pages: str, kind: PieceKind = PieceKind.RC):  # type: ignore[no-untyped-def]
    pieces = [piece(*pages, kind=kind)]
    analysis = analyze_offline(pieces)
    assert_evidence_honest(analysis, pieces)
    return analysis


# --- deadline -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Date et heure limites de réception des offres : MERCREDI 15 JUILLET 2026 A 12:00",
            "2026-07-15T12:00:00+02:00",
        ),
        (
            "Date limite de remise des offres\nDate : 19 avril 2025 ..........................\nHeure : 15h00 ..........",
            "2025-04-19T15:00:00+02:00",
        ),
        ("DATE LIMITE DE RECEPTION DES PLIS\nVendredi 17 juillet 2026 – 17h00", "2026-07-17T17:00:00+02:00"),
        (
            "Les offres devront être remises le 03/02/2026 à 12 heures au plus tard.",
            "2026-02-03T12:00:00+01:00",
        ),
        ("Date limite de dépôt des offres : 5 janvier 2026 à 16h30", "2026-01-05T16:30:00+01:00"),
    ],
)
def test_deadline_wordings(text: str, expected: str) -> None:
    assert run(f"Règlement de la consultation\n{text}\n").deadline == expected


def test_relative_mention_of_the_deadline_is_not_a_deadline() -> None:
    analysis = run(
        "Seules les demandes adressées au moins 8 jours avant la date limite de réception des offres\n"
        "feront l'objet d'une réponse. Publication le 12 mars 2026.\n"
    )
    assert analysis.deadline is None
    assert any("Date limite" in w for w in analysis.warnings)


def test_rc_deadline_wins_over_other_pieces() -> None:
    rc = piece("Date limite de réception des offres : 10 juin 2026 à 12h00", kind=PieceKind.RC)
    ccap = piece(
        "Date limite de réception des offres : 1 mai 2026 à 10h00", kind=PieceKind.CCAP, path="CCAP.pdf"
    )
    assert analyze_offline([ccap, rc]).deadline == "2026-06-10T12:00:00+02:00"


def test_deadline_is_never_read_from_a_cctp() -> None:
    cctp = piece(
        "Date limite de réception des offres : 10 juin 2026 à 12h00", kind=PieceKind.CCTP, path="CCTP.pdf"
    )
    assert analyze_offline([cctp]).deadline is None


# --- criteria -------------------------------------------------------------------------------------


def _criteria(analysis):  # type: ignore[no-untyped-def]
    return [
        (c.name, c.weight_percent, [(s.name, s.weight_percent) for s in c.subcriteria])
        for c in analysis.criteria
    ]


def test_criteria_percent_on_one_line() -> None:
    analysis = run(
        "Article 6 - Critères de jugement des offres\n"
        "Les offres seront classées selon les critères pondérés suivants :\n"
        "- Prix des prestations : 60 %\n- Valeur technique : 40 %\n"
        "Article 7 - Conditions d'envoi et de remise des plis\nPrix : 20 % de remise\n"
    )
    assert _criteria(analysis) == [("Prix des prestations", 60.0, []), ("Valeur technique", 40.0, [])]


def test_criteria_table_cells_on_separate_lines() -> None:
    analysis = run(
        "Critères d'attribution\nCritère\nPondération\nValeur technique\n45 %\nPrix\n40.0 %\n"
        "Performances en matière de protection de l'environnement\n15 %\n"
    )
    assert _criteria(analysis) == [
        ("Valeur technique", 45.0, []),
        ("Prix", 40.0, []),
        ("Performances en matière de protection de l'environnement", 15.0, []),
    ]


def test_criteria_over_100_and_points_kept_as_written_when_the_scale_is_unknown() -> None:
    analysis = run(
        "JUGEMENT DES OFFRES\n1. Prix : 40/100\n2. Valeur technique : 60/100\n",
    )
    assert _criteria(analysis) == [("Prix", 40.0, []), ("Valeur technique", 60.0, [])]
    assert not analysis.doubtful("criteria")
    # 50 points in all and no stated scale: the figures stay as the buyer wrote them, à vérifier.
    analysis = run(
        "Critères de jugement des offres\nValeur technique notée sur 30 points\n"
        "Prix noté sur 15 points\nDélai d'exécution sur 5 points\n"
    )
    assert _criteria(analysis) == [
        ("Valeur technique", 30.0, []),
        ("Prix", 15.0, []),
        ("Délai d'exécution", 5.0, []),
    ]
    assert analysis.doubtful("criteria")
    assert "à vérifier" in analysis.fiche.split("Critères de jugement")[1].splitlines()[0]


def test_numbered_subcriteria_are_percent_of_total() -> None:
    analysis = run(
        "Critères de jugement des offres\n"
        "1. Valeur technique : 60 %\n"
        "1.1 Méthodologie d'intervention : 30 %\n"
        "1.2 Moyens humains : 20 %\n"
        "1.3 Démarche environnementale : 10 %\n"
        "2. Prix : 40 %\n"
    )
    assert _criteria(analysis) == [
        (
            "Valeur technique",
            60.0,
            [
                ("Méthodologie d'intervention", 30.0),
                ("Moyens humains", 20.0),
                ("Démarche environnementale", 10.0),
            ],
        ),
        ("Prix", 40.0, []),
    ]


def test_relative_subcriteria_are_scaled_to_the_total() -> None:
    analysis = run(
        "Critères d'attribution\nValeur technique : 50 %, décomposée comme suit :\n"
        "Sous-critère 1 : Organisation du chantier : 60 %\nSous-critère 2 : Moyens affectés : 40 %\n"
        "Prix : 50 %\n"
    )
    assert _criteria(analysis) == [
        ("Valeur technique", 50.0, [("Organisation du chantier", 30.0), ("Moyens affectés", 20.0)]),
        ("Prix", 50.0, []),
    ]


def test_points_subcriteria_in_a_table() -> None:
    analysis = run(
        "CRITERES DE JUGEMENT DES OFFRES\nCritères\nPoints\nValeur technique\n60 points\ndont\n"
        "a) Méthodologie\n40 points\nb) Références\n20 points\nPrix\n40 points\n"
    )
    assert _criteria(analysis) == [
        ("Valeur technique", 60.0, [("Méthodologie", 40.0), ("Références", 20.0)]),
        ("Prix", 40.0, []),
    ]


def test_order_of_importance_without_weights() -> None:
    analysis = run(
        "Critères de jugement des offres\n"
        "Les offres seront jugées selon les critères suivants, par ordre décroissant d'importance :\n"
        "1. Valeur technique\n2. Prix\n3. Délai d'exécution\n"
        "Article 8 - Renseignements complémentaires\n"
    )
    assert _criteria(analysis) == [
        ("Valeur technique", None, []),
        ("Prix", None, []),
        ("Délai d'exécution", None, []),
    ]


def test_table_of_contents_is_not_the_criteria_section() -> None:
    analysis = run(
        "Sommaire\n6. Critères de jugement des offres ........................ 7\n",
        "6. Critères de jugement des offres\nPrix 70 %\nValeur technique 30 %\n",
    )
    assert [c.weight_percent for c in analysis.criteria] == [70.0, 30.0]
    assert analysis.criteria[0].evidence is not None and analysis.criteria[0].evidence.page == 2


# --- procedure ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "La consultation est passée selon la procédure d'appel d'offres ouvert (articles R. 2124-2 1° et R. 2161-2).",
            Procedure.APPEL_OFFRES_OUVERT,
        ),
        (
            "Procédure de passation : procédure adaptée en application de l'article L. 2123-1 du code.",
            Procedure.PROCEDURE_ADAPTEE,
        ),
        (
            "Le marché est passé en procédure adaptée (MAPA) conformément à l'article R. 2123-1.",
            Procedure.PROCEDURE_ADAPTEE,
        ),
        (
            "La présente consultation est un appel d'offres restreint (R. 2161-6 et suivants).",
            Procedure.APPEL_OFFRES_RESTREINT,
        ),
        (
            "La consultation est lancée selon une procédure avec négociation (article R. 2124-3).",
            Procedure.PROCEDURE_NEGOCIEE,
        ),
        ("La procédure de passation est le dialogue compétitif (R. 2124-5).", Procedure.DIALOGUE_COMPETITIF),
    ],
)
def test_procedures(text: str, expected: Procedure) -> None:
    assert run(text).procedure is expected


def test_fallback_procedure_mention_does_not_decide() -> None:
    analysis = run(
        "En cas d'appel d'offres infructueux, le marché pourra être passé en procédure négociée.\n"
        "La consultation est passée en procédure adaptée ouverte (article R. 2123-1 1°).\n"
    )
    assert analysis.procedure is Procedure.PROCEDURE_ADAPTEE


# --- lots, variants, PSE, validity ------------------------------------------------------------------


def test_not_divided_into_lots() -> None:
    analysis = run("1.1 Forme du marché\nLa consultation ne fait pas l'objet d'une décomposition en lots.\n")
    assert analysis.lots == []
    assert (
        analysis.evidence["lots"].quote == "La consultation ne fait pas l'objet d'une décomposition en lots."
    )


def test_lot_lines_and_table() -> None:
    analysis = run(
        "Sommaire\nLot n° 1 : Gros œuvre ........ 4\n",
        "Allotissement\nLes travaux sont répartis en 3 lots :\nLot n° 1 : Gros œuvre\nLot n°2 - Charpente couverture\n"
        "LOT 03 – Électricité\nLes lots 2 et 3 seront attribués séparément.\n",
    )
    assert [(lot.number, lot.title) for lot in analysis.lots] == [
        (1, "Gros œuvre"),
        (2, "Charpente couverture"),
        (3, "Électricité"),
    ]


def test_lots_from_the_ccap_when_the_rc_says_nothing() -> None:
    pieces = [
        piece("Règlement de la consultation\nDate limite de réception des offres : 2 mars 2026 à 12h00"),
        piece("Lot 1 : Voirie\nLot 2 : Éclairage public\n", kind=PieceKind.CCAP, path="CCAP.pdf"),
    ]
    assert [lot.number for lot in analyze_offline(pieces).lots] == [1, 2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Les variantes ne sont pas autorisées.", False),
        ("La proposition de variante libre n’est pas autorisée.", False),
        ("Variantes : aucune variante n'est admise.", False),
        ("Les candidats peuvent présenter des variantes.", True),
        ("Les variantes à l'initiative du candidat sont autorisées.", True),
    ],
)
def test_variants(text: str, expected: bool) -> None:
    assert run(f"2.3 Variantes\n{text}\n").variants_allowed is expected


def test_pse() -> None:
    assert run("Il n’est pas prévu de PSE.").pse_allowed is False
    assert (
        run(
            "Prestations supplémentaires éventuelles : les candidats doivent obligatoirement chiffrer la PSE n°1."
        ).pse_allowed
        is True
    )


@pytest.mark.parametrize(
    ("text", "days"),
    [
        (
            "Le délai de validité des offres est de 180 jours à compter de la date limite de remise des offres.",
            180,
        ),
        ("Le délai de validité des offres est fixé à 4 mois à compter de la date limite.", 120),
        ("Délai de validité des offres : quatre-vingt-dix (90) jours.", 90),
        ("Les offres restent valables pendant six mois.", 180),
    ],
)
def test_offer_validity(text: str, days: int) -> None:
    assert run(text).offer_validity_days == days


def test_offer_validity_from_the_ae() -> None:
    ae = piece(
        "L'offre ainsi présentée ne nous lie toutefois que si l'attribution a lieu dans un délai de 6 mois /180 jours "
        "à compter de la date limite de réception des offres.",
        kind=PieceKind.AE,
        path="AE.docx",
        paged=False,
    )
    analysis = analyze_offline([ae])
    assert analysis.offer_validity_days == 180
    assert analysis.evidence["offer_validity_days"].page is None


# --- site visit, questions, page limit ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Une visite du site est obligatoire. Elle aura lieu le 30 juin 2026 à 10h00.", SiteVisit.MANDATORY),
        ("Visite des lieux : la visite est facultative mais vivement conseillée.", SiteVisit.OPTIONAL),
        ("La visite sur site n'est pas obligatoire.", SiteVisit.OPTIONAL),
        ("Il n'est pas prévu de visite du site.", SiteVisit.NONE),
    ],
)
def test_site_visit(text: str, expected: SiteVisit) -> None:
    assert run(text).site_visit is expected


def test_mandatory_visit_date() -> None:
    analysis = run("Une visite du site est obligatoire. Elle aura lieu le mardi 30 juin 2026 à 10h00.")
    assert analysis.site_visit_date == "2026-06-30T10:00:00+02:00"


def test_prices_including_visits_is_not_a_site_visit() -> None:
    assert (
        run("Le montant de l'offre comprend les dépenses : visites, réunions, déplacements.").site_visit
        is None
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Seules les demandes adressées au moins 8 jours avant la date limite de réception des offres feront l’objet d’une réponse.",
            "J-8",
        ),
        (
            "Les questions doivent parvenir au plus tard six (6) jours avant la date limite de remise des offres.",
            "J-6",
        ),
        (
            "Les candidats peuvent poser leurs questions jusqu'au 10 juillet 2026 à 12h00.",
            "2026-07-10T12:00:00+02:00",
        ),
    ],
)
def test_questions_deadline(text: str, expected: str) -> None:
    assert run(text).questions_deadline == expected


def test_buyer_answer_delay_is_not_the_questions_deadline() -> None:
    text = "Une réponse sera adressée au plus tard 6 jours avant la date fixée pour la réception des offres."
    assert run(text).questions_deadline is None


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("Le mémoire technique est limité à 20 pages.", 20),
        ("Le mémoire technique ne devra pas dépasser 15 pages au format A4.", 15),
        ("Note méthodologique : 10 pages maximum (hors annexes).", 10),
    ],
)
def test_page_limit(text: str, limit: int) -> None:
    assert run(text).memoire_page_limit == limit


def test_cv_page_limit_is_not_the_memoire_limit() -> None:
    assert run("Mémoire technique : les CV seront limités à 2 pages chacun.").memoire_page_limit is None


# --- required documents ---------------------------------------------------------------------------


def test_required_documents_leave_out_winner_and_optional_pieces() -> None:
    analysis = run(
        "Le dossier de consultation comprend : le RC, l'acte d'engagement, le CCAP, le BPU.\n"
        "Article 5 - Pièces à fournir\n"
        "5.1 Candidature\n"
        "- Lettre de candidature (DC1) et déclaration du candidat (DC2) ;\n"
        "- Attestation d'assurance responsabilité civile ;\n"
        "- Liste des références de travaux similaires sur les 3 dernières années ;\n"
        "Le candidat peut également fournir un DUME.\n"
        "5.2 Offre\n"
        "- L'acte d'engagement signé ;\n- Le bordereau des prix unitaires (BPU) ;\n- Le détail quantitatif estimatif ;\n"
        "- Un mémoire technique.\n"
        "Le candidat attributaire produira :\n- un extrait Kbis ;\n- les attestations fiscales et sociales.\n"
        "Article 6 - Jugement des offres\nLe RIB sera demandé.\n"
    )
    assert set(analysis.required_documents) == {
        R.DC1, R.DC2, R.ATTESTATION_ASSURANCE, R.REFERENCES, R.AE, R.BPU, R.DQE, R.MEMOIRE_TECHNIQUE,
    }  # fmt: skip


def test_dume_alone_is_required() -> None:
    analysis = run("Contenu de la candidature\nLe candidat remet un DUME complété.\nJugement des offres\n")
    assert analysis.required_documents == [R.DUME]


# --- identity -------------------------------------------------------------------------------------


def test_cover_page_identity() -> None:
    analysis = run(
        "Procédure : 25ABC12\nRèglement de la consultation\nAcheteur\nVille de Sainte-Exemple\n"
        "Adresse : 1 place de la Mairie\nObjet de la consultation\nEntretien des espaces verts\n"
        "de la commune\nDate limite de remise des offres\n"
    )
    assert analysis.buyer == "Ville de Sainte-Exemple"
    assert analysis.object == "Entretien des espaces verts de la commune"
    assert analysis.reference == "25ABC12"


def test_object_from_a_sentence_and_reference_after_label() -> None:
    analysis = run(
        "Marché n° 2026/045\nPouvoir adjudicateur : Syndicat des eaux du Val\n"
        "Le présent marché a pour objet la fourniture de compteurs d'eau. Il est passé...\n"
    )
    assert analysis.reference == "2026/045"
    assert analysis.buyer == "Syndicat des eaux du Val"
    assert analysis.object == "fourniture de compteurs d'eau"


def test_article_numbers_are_not_a_reference() -> None:
    assert run("La procédure R. 2124-2 du code est appliquée.").reference is None


# --- further real-world layouts -------------------------------------------------------------------


def test_weights_as_bare_numbers_under_a_weighting_column() -> None:
    analysis = run(
        "Article 9 - Jugement des offres\nCritères Pondération\n1-Prix des prestations 40\n2-Valeur technique 60\n"
        "Article 10 - Renseignements complémentaires\n"
    )
    assert _criteria(analysis) == [("Prix des prestations", 40.0, []), ("Valeur technique", 60.0, [])]


def test_weights_written_in_one_sentence() -> None:
    analysis = run(
        "Critères de jugement des offres\n"
        "Les critères retenus pour le jugement des offres sont pondérés de la manière suivante : prix 40 %, valeur technique 60 %.\n"
    )
    assert _criteria(analysis) == [("prix", 40.0, []), ("valeur technique", 60.0, [])]


def test_bullet_subcriteria_adding_up_to_their_criterion() -> None:
    analysis = run(
        "Critères d'attribution\nValeur technique : 60 %\n- Méthodologie : 35 %\n- Moyens humains : 25 %\n"
        "Prix : 40 %\n"
    )
    assert _criteria(analysis) == [
        ("Valeur technique", 60.0, [("Méthodologie", 35.0), ("Moyens humains", 25.0)]),
        ("Prix", 40.0, []),
    ]


def test_weights_written_as_ponderation_numbers() -> None:
    analysis = run(
        "Critères de jugement des offres\nPrix : pondération 30\nValeur technique : pondération 70\n"
    )
    assert [c.weight_percent for c in analysis.criteria] == [30.0, 70.0]


def test_candidate_bound_by_offer_wording() -> None:
    analysis = run("Les candidats restent engagés par leur offre pendant un délai de cent vingt (120) jours.")
    assert analysis.offer_validity_days == 120


@pytest.mark.parametrize(
    "text",
    ["Il n'est pas prévu de décomposition en lots.", "Le marché n'est pas alloti.", "Allotissement : non"],
)
def test_no_lot_wordings(text: str) -> None:
    analysis = run(text)
    assert analysis.lots == [] and "lots" in analysis.evidence


def test_single_lot_choice_is_not_a_statement_of_no_lots() -> None:
    assert "lots" not in run("Les candidats peuvent répondre à un seul lot ou à plusieurs.").evidence


def test_visit_obligatoirement() -> None:
    text = "Visite : les candidats devront obligatoirement visiter le site avant de remettre leur offre."
    assert run(text).site_visit is SiteVisit.MANDATORY


def test_cover_page_of_a_state_buyer() -> None:
    analysis = run(
        "REGLEMENT DE CONSULTATION\nN° de la consultation :\nDRAC-HDF-2021-0004\nProcédure de passation :\n"
        "Marchés de travaux passés selon une procédure adaptée\nen vertu des articles R 2123-1-1° et R 2131-12 du code\n"
        "Maître d'ouvrage :\nDirection Régionale des Affaires Culturelles Hauts-de-France\n"
        "Site d'Amiens\n5, rue Henri Daussy – CS 44407 80044 Amiens cedex 1\n"
        "Date et heure limites de réception des offres : le vendredi 23 juillet 2021 à 9h00\n"
    )
    assert analysis.reference == "DRAC-HDF-2021-0004"
    assert analysis.procedure is Procedure.PROCEDURE_ADAPTEE
    assert analysis.buyer is not None and analysis.buyer.startswith(
        "Direction Régionale des Affaires Culturelles"
    )
    assert analysis.deadline == "2021-07-23T09:00:00+02:00"


def test_buyer_name_followed_by_its_address_and_two_lots_on_one_line() -> None:
    analysis = run(
        "NOM DE L'ORGANISME ACHETEUR\nCaisse Nationale Militaire de Sécurité Sociale 247, avenue Jacques Cartier\n"
        "OBJET DU MARCHE\nACHAT ET LIVRAISON DE MATERIELS ELECTRIQUES\n"
        "Date limite de réception des offres : le 02/11/2021 à 17h00\n",
        "Allotissement :\nLe marché est alloti.\nLOT 1 – Courant faible LOT 2 – Courant fort\n",
    )
    assert analysis.buyer == "Caisse Nationale Militaire de Sécurité Sociale"
    assert analysis.object == "ACHAT ET LIVRAISON DE MATERIELS ELECTRIQUES"
    assert analysis.deadline == "2021-11-02T17:00:00+01:00"
    assert [(lot.number, lot.title) for lot in analysis.lots] == [(1, "Courant faible"), (2, "Courant fort")]


def test_buyer_announced_by_a_sentence_ending_with_a_colon() -> None:
    analysis = run(
        "La personne publique contractante est :\nLa Direction Interrégionale des Services Pénitentiaires.\n"
    )
    assert analysis.buyer == "La Direction Interrégionale des Services Pénitentiaires"


def test_object_after_a_numbered_heading() -> None:
    analysis = run(
        "1.1 - Objet\nLa présente consultation concerne :\nla fourniture et la livraison de produits de peinture.\n"
    )
    assert analysis.object == "fourniture et la livraison de produits de peinture"


AWS_STYLE_RC = (
    "RÈGLEMENT DE LA CONSULTATION\nMARCHÉ PUBLIC DE SERVICES\nNettoyage des locaux communaux\n"
    "Date et heure limites de réception des offres :\nMercredi 17 février 2027 à 12:00\n",
    "1 - Objet et étendue de la consultation\n1.1 - Objet\nLa présente consultation concerne :\n"
    "le nettoyage des locaux communaux.\n1.2 - Mode de passation\nLa procédure de passation utilisée est : "
    "la procédure adaptée ouverte. Elle est soumise aux dispositions des articles L. 2123-1 et R. 2123-1 1° du Code "
    "de la commande publique.\n1.4 - Décomposition de la consultation\nIl n'est pas prévu de décomposition en lots.\n"
    "2 - Conditions de la consultation\n2.1 - Délai de validité des offres\n"
    "Le délai de validité des offres est fixé à 120 jours à compter de la date limite de réception des offres.\n"
    "2.3 - Variantes\nAucune variante n'est autorisée.\n",
    "5 - Présentation des candidatures et des offres\n5.1 - Documents à produire\n"
    "Chaque candidat aura à produire un dossier complet comprenant les pièces suivantes :\n"
    "Pièces de la candidature :\nLibellés Signature\n"
    "Lettre de candidature et désignation du mandataire par ses co-traitants (DC1 ou équivalent) Non\n"
    "Déclaration du candidat individuel ou du membre du groupement (DC2 ou équivalent) Non\n"
    "Déclaration concernant le chiffre d'affaires global réalisé au cours des trois derniers exercices disponibles Non\n"
    "Liste des principaux services effectués au cours des trois dernières années Non\n"
    "Pièces de l'offre :\nLibellés Signature\nL'acte d'engagement (AE) Non\nLe bordereau des prix unitaires (BPU) Non\n"
    "Le mémoire justificatif des dispositions que l'entreprise se propose d'adopter Non\n"
    "6 - Conditions d'envoi ou de remise des plis\n",
    "7 - Examen des candidatures et des offres\n7.2 - Attribution des marchés\n"
    "Le jugement des offres sera effectué dans le respect des principes fondamentaux de la commande publique.\n"
    "Les critères intervenant pour la sélection des offres sont pondérés de la manière suivante :\n"
    "Critères Pondération\n1-Prix des prestations 40.0\n2-Valeur technique 60.0\n2.1-Méthodologie d'intervention 35.0\n"
    "2.2-Moyens humains affectés 25.0\n7.3 - Suite à donner à la consultation\n"
    "Le candidat auquel il est envisagé d'attribuer le marché produit les attestations fiscales et sociales.\n",
)


def test_rc_written_by_a_common_rc_generator() -> None:
    analysis = run(*AWS_STYLE_RC)
    assert analysis.deadline == "2027-02-17T12:00:00+01:00"
    assert analysis.object == "nettoyage des locaux communaux"
    assert analysis.procedure is Procedure.PROCEDURE_ADAPTEE
    assert analysis.lots == []
    assert analysis.offer_validity_days == 120
    assert analysis.variants_allowed is False
    assert _criteria(analysis) == [
        ("Prix des prestations", 40.0, []),
        (
            "Valeur technique",
            60.0,
            [("Méthodologie d'intervention", 35.0), ("Moyens humains affectés", 25.0)],
        ),
    ]
    assert set(analysis.required_documents) == {
        R.DC1, R.DC2, R.CHIFFRE_AFFAIRES, R.REFERENCES, R.AE, R.BPU, R.MEMOIRE_TECHNIQUE,
    }  # fmt: skip


def test_page_limit_in_words_and_numbers() -> None:
    assert run("Le mémoire technique ne devra pas excéder vingt (20) pages.").memoire_page_limit == 20
    assert run("Mémoire technique - nombre de pages maximum : 12").memoire_page_limit == 12


def test_questions_deadline_as_a_labelled_date() -> None:
    text = "Date limite de réception des questions : 04/05/2026 à 17h00"
    assert run(text).questions_deadline == "2026-05-04T17:00:00+02:00"


def test_variants_sans_objet() -> None:
    assert run("Variantes : sans objet.").variants_allowed is False


def test_criterion_weighing_what_its_subcriteria_add_up_to() -> None:
    analysis = run(
        "Critères de jugement des offres\nValeur technique :\n- Méthodologie : 30 %\n- Moyens affectés : 25 %\n"
        "Prix : 45 %\n"
    )
    assert _criteria(analysis) == [
        ("Valeur technique", 55.0, [("Méthodologie", 30.0), ("Moyens affectés", 25.0)]),
        ("Prix", 45.0, []),
    ]


def test_subcriteria_inline_after_their_criterion() -> None:
    analysis = run(
        "Critères d'attribution\nValeur technique (60 %) : méthodologie (30 %), moyens humains (30 %)\nPrix (40 %)\n"
    )
    assert _criteria(analysis) == [
        ("Valeur technique", 60.0, [("méthodologie", 30.0), ("moyens humains", 30.0)]),
        ("Prix", 40.0, []),
    ]


def test_score_scale_next_to_the_weight_is_ignored() -> None:
    analysis = run(
        "Jugement des offres\nPrix : noté sur 100 points, pondéré à 40 %\nValeur technique : notée sur 100 points, pondérée à 60 %\n"
    )
    assert _criteria(analysis) == [("Prix", 40.0, []), ("Valeur technique", 60.0, [])]


def test_points_listed_after_an_intro_sentence() -> None:
    analysis = run(
        "Les offres seront jugées selon les critères suivants :\n- Prix : 50 points\n- Délai d'exécution : 20 points\n"
        "- Valeur technique : 30 points\n"
    )
    assert _criteria(analysis) == [
        ("Prix", 50.0, []),
        ("Délai d'exécution", 20.0, []),
        ("Valeur technique", 30.0, []),
    ]


def test_optional_wording_after_the_piece_does_not_drop_it() -> None:
    analysis = run(
        "Pièces à fournir\n- Un mémoire technique qui peut comporter des annexes ;\n- Le planning (facultatif) ;\n"
        "- La déclaration de sous-traitance (DC4), le cas échéant.\nJugement des offres\n"
    )
    assert analysis.required_documents == [R.MEMOIRE_TECHNIQUE]


def test_buyer_heading_an_unlabelled_cover_page() -> None:
    analysis = run(
        "RÈGLEMENT DE LA CONSULTATION\nMARCHÉ PUBLIC DE MAÎTRISE D'OEUVRE\nRestauration des ouvrages du bassin\n"
        "Date et heure limites de réception des offres : lundi 03 juin 2019 à 16:00\n"
        "Département de Loire-Atlantique 3 Quai Ceineray\nCS 94109\n44041 NANTES\n"
    )
    assert analysis.buyer == "Département de Loire-Atlantique"
    assert analysis.deadline == "2019-06-03T16:00:00+02:00"


def test_labelled_buyer_wins_over_a_name_in_the_text() -> None:
    analysis = run("Ville de Sainte-Exemple\nPouvoir adjudicateur : Syndicat intercommunal des eaux\n")
    assert analysis.buyer == "Syndicat intercommunal des eaux"


def test_docx_rows_with_name_and_description_in_one_cell() -> None:
    rc = piece(
        "Critères d'attribution\nCritère\tPondération\n"
        "Valeur technique appréciée au regard des éléments suivants : méthodologie, moyens humains et matériels, "
        "planning détaillé et démarche qualité\t60 %\nPrix des prestations\t40 %\n"
        "La note finale tient compte d'une réduction de 10 % des émissions demandée par le cahier des charges de la consultation.\n",
        path="RC.docx",
        paged=False,
    )
    analysis = analyze_offline([rc])
    assert_evidence_honest(analysis, [rc])
    assert _criteria(analysis) == [("Valeur technique", 60.0, []), ("Prix des prestations", 40.0, [])]
    assert analysis.evidence["criteria"].page is None


def test_ccap_maintenance_visits_do_not_make_a_site_visit() -> None:
    rc = piece("Règlement de la consultation\nDate limite de réception des offres : 2 mars 2026 à 12h00")
    ccap = piece(
        "Le titulaire assure une visite obligatoire annuelle des installations.",
        kind=PieceKind.CCAP,
        path="CCAP.pdf",
    )
    assert analyze_offline([rc, ccap]).site_visit is None
    # Without an RC, the CCAP is all there is to read.
    assert analyze_offline([ccap]).site_visit is SiteVisit.MANDATORY


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "text",
    [
        "Délai de validité des offres : " + "quatre-vingt " * 40 + "x",
        "Les questions " + "un deux trois " * 200 + "x",
        "Date limite de remise des offres " + ". " * 5000,
        "Critères de jugement des offres\n" + "10 % " * 3000,
        "Pièces à fournir\n" + "- DC1 ;\n" * 3000,
        "Lot 1 : a " * 3000,
    ],
)
def test_hostile_text_does_not_hang(text: str) -> None:
    """Long runs of number words, dots or weights end quickly (no regex backtracking blow-up)."""
    run(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6.3 - Visites sur site\nSans objet.", SiteVisit.NONE),
        ("Visite des lieux : néant", SiteVisit.NONE),
        ("Les candidats qui le souhaitent peuvent effectuer une visite du site.", SiteVisit.OPTIONAL),
        ("Les candidats sont invités à visiter le site avant de remettre leur offre.", SiteVisit.OPTIONAL),
        ("Toute offre remise sans attestation de visite sera déclarée irrégulière.", SiteVisit.MANDATORY),
    ],
)
def test_more_site_visit_wordings(text: str, expected: SiteVisit) -> None:
    assert run(text).site_visit is expected


def test_rule_written_under_its_heading() -> None:
    analysis = run(
        "2.3 - Variantes\nSans objet.\n2.4 - Prestations supplémentaires éventuelles\nNéant, sans objet.\n"
    )
    assert analysis.variants_allowed is False
    assert analysis.pse_allowed is False


def test_lots_table_with_bare_numbers() -> None:
    analysis = run(
        "1.4 - Décomposition de la consultation\nLes prestations sont réparties en 3 lots :\nLot(s) Désignation\n"
        "1 Terrassement - VRD\n2 Gros œuvre\n3 Charpente bois\n1.5 - Nomenclature\n"
    )
    assert [(lot.number, lot.title) for lot in analysis.lots] == [
        (1, "Terrassement - VRD"),
        (2, "Gros œuvre"),
        (3, "Charpente bois"),
    ]


def test_weight_written_before_its_criterion() -> None:
    analysis = run(
        "Critères d'attribution\nLa pondération est la suivante : 60 % pour la valeur technique et 40 % pour le prix.\n"
    )
    assert _criteria(analysis) == [("valeur technique", 60.0, []), ("prix", 40.0, [])]


def test_bare_weight_cells_are_not_page_numbers() -> None:
    filler = "Texte du règlement.\n" * 6
    analysis = run(
        f"Règlement\n{filler}1",
        f"Règlement\n{filler}2",
        "Règlement\nArticle 6 - Jugement des offres\nCritères\nPondération\nPrix\n40\nValeur technique\n60\n"
        "Délai d'exécution\n0\nArticle 7 - Renseignements complémentaires\nUne réponse sera apportée.\nFin.\n3",
    )
    assert _criteria(analysis) == [("Prix", 40.0, []), ("Valeur technique", 60.0, [])]


def test_bare_date_limite_of_questions_is_not_the_deadline() -> None:
    analysis = run(
        "Questions des candidats - date limite : 2 mars 2026 à 12h00\n"
        "Remise des offres : le 16 mars 2026 à 12h00\n"
    )
    assert analysis.deadline == "2026-03-16T12:00:00+01:00"


@pytest.mark.parametrize(
    "text", ["Les variantes sont refusées.", "Les variantes ne seront pas examinées.", "Variantes : néant"]
)
def test_more_refused_variant_wordings(text: str) -> None:
    assert run(text).variants_allowed is False
