"""One clause at a time, in the wordings other buyers use (each read from a one-page RC)."""

from __future__ import annotations

from typing import Any

import pytest

from app.analysis.offline import analyze_offline
from app.domain.kinds import PieceKind
from tests.analysis.helpers import assert_evidence_honest, piece

CASES: list[tuple[str, str, Any]] = [
    ("deadline", "Date limite de remise des plis : 12/06/2026 – 12h00", "2026-06-12T12:00:00+02:00"),
    ("deadline", "Les offres seront reçues jusqu'au 12 juin 2026, 12 heures", "2026-06-12T12:00:00+02:00"),
    (
        "deadline",
        "Date et heure limites de dépôt des offres : le 12 juin 2026 à 12h",
        "2026-06-12T12:00:00+02:00",
    ),
    ("deadline", "DATE LIMITE DE RECEPTION DES OFFRES : 12.06.2026 à 12 h 00", "2026-06-12T12:00:00+02:00"),
    ("deadline", "Remise des offres avant le : 12/06/2026 à 12:00", "2026-06-12T12:00:00+02:00"),
    (
        "deadline",
        "Les plis devront être remis avant le 12 juin 2026 à 12 heures 00",
        "2026-06-12T12:00:00+02:00",
    ),
    ("deadline", "Date limite de réception : lundi 1er juin 2026 à 12h", "2026-06-01T12:00:00+02:00"),
    (
        "deadline",
        "Les offres devront parvenir au plus tard le 12 juin 2026 à 12h00.",
        "2026-06-12T12:00:00+02:00",
    ),
    ("deadline", "Date de remise des offres : 12/06/26 à 12H00", "2026-06-12T12:00:00+02:00"),
    ("deadline", "Les offres sont à remettre jusqu'au 12 juin 2026 avant 12h00", "2026-06-12T12:00:00+02:00"),
    (
        "deadline",
        "Date limite de remise des offres\n12 décembre 2026\nHeure limite : 16h30",
        "2026-12-12T16:30:00+01:00",
    ),
    (
        "deadline",
        "Date limite de réception des offres : 2 mars 2026 à 12h00 (heure de Paris)\nDate limite de réception des questions : 20 février 2026",
        "2026-03-02T12:00:00+01:00",
    ),
    (
        "deadline",
        "Date limite de remise des offres : Le mardi 03 mars 2026 à 11 heures 30",
        "2026-03-03T11:30:00+01:00",
    ),
    ("offer_validity_days", "Délai de validité des propositions : 90 jours", 90),
    ("offer_validity_days", "Les offres sont valables pour une durée de 3 mois", 90),
    ("offer_validity_days", "Validité des offres : 120 jours", 120),
    ("offer_validity_days", "Durée de validité des offres : six mois", 180),
    ("offer_validity_days", "Le candidat reste engagé par son offre pendant 150 jours.", 150),
    ("site_visit", "Visite obligatoire : OUI", "mandatory"),
    ("site_visit", "Visite sur site : Non", "none"),
    ("site_visit", "Visite de site obligatoire sous peine de rejet de l'offre.", "mandatory"),
    ("site_visit", "Une visite sur site est fortement conseillée.", "optional"),
    ("site_visit", "Visite des lieux : facultative", "optional"),
    ("site_visit", "La visite du site est obligatoire. Elle aura lieu le 3 mars 2026 à 10h.", "mandatory"),
    ("variants_allowed", "Variantes autorisées : Non", False),
    ("variants_allowed", "Variantes : Oui", True),
    ("variants_allowed", "Les variantes sont interdites.", False),
    ("variants_allowed", "Il n'est pas autorisé de variantes.", False),
    ("variants_allowed", "Les candidats ne sont pas autorisés à présenter des variantes.", False),
    ("variants_allowed", "Les candidats sont autorisés à présenter des variantes.", True),
    ("variants_allowed", "Variantes à l'initiative du candidat : non autorisées.", False),
    ("variants_allowed", "La présentation de variantes est autorisée.", True),
    ("memoire_page_limit", "Le mémoire technique (20 pages maximum) présentera la méthodologie.", 20),
    ("memoire_page_limit", "Le mémoire technique est limité à vingt (20) pages.", 20),
    ("memoire_page_limit", "Un mémoire technique de 10 pages A4 maximum.", 10),
    ("memoire_page_limit", "Nombre de pages maximum du mémoire : 15", 15),
    ("memoire_page_limit", "Le mémoire technique ne dépassera pas 12 pages recto.", 12),
    ("memoire_page_limit", "Mémoire technique : 25 pages maximum, annexes comprises.", 25),
    ("procedure", "Procédure : MAPA", "procedure_adaptee"),
    ("procedure", "Type de procédure : Appel d'offres ouvert", "appel_offres_ouvert"),
    (
        "procedure",
        "La consultation est passée par procédure d'appel d'offres ouvert européen.",
        "appel_offres_ouvert",
    ),
    (
        "procedure",
        "Mode de passation : procédure concurrentielle avec négociation (articles R. 2124-3 et R. 2161-21)",
        "procedure_negociee",
    ),
    (
        "procedure",
        "Marché à procédure adaptée passé en application de l'article R2123-1",
        "procedure_adaptee",
    ),
    ("questions_deadline", "Date limite des questions : 05/06/2026", "2026-06-05"),
    (
        "questions_deadline",
        "Les questions doivent être posées au plus tard 7 jours calendaires avant la date limite de remise des offres.",
        "J-7",
    ),
    (
        "questions_deadline",
        "Les candidats peuvent poser des questions jusqu'à 6 jours avant la date limite de réception des offres.",
        "J-6",
    ),
    ("lots", "Lot n°1 - Gros oeuvre\nLot n°2 - Charpente\nLot n°3 - Couverture", [1, 2, 3]),
    ("lots", "LOT 1 : VRD\nLOT 2 : Espaces verts", [1, 2]),
    ("lots", "Le marché comporte un lot unique.", []),
    ("lots", "Allotissement : non", []),
    ("lots", "La consultation n'est pas allotie.", []),
]


@pytest.mark.parametrize(
    ("field", "text", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_clause_wording(field: str, text: str, expected: Any) -> None:
    rc = piece("Règlement de la consultation\n" + text)
    analysis = analyze_offline([rc])
    assert_evidence_honest(analysis, [rc])
    got = getattr(analysis, field)
    if field == "lots":
        got = [lot.number for lot in got]
    assert getattr(got, "value", got) == expected


H = "Règlement de la consultation\nArticle 6 - Jugement des offres\n"
CRITERIA: list[tuple[str, list[tuple[str, float | None]]]] = [
    (H + "Prix : 60 pts\nValeur technique : 40 pts", [("Prix", 60), ("Valeur technique", 40)]),
    (H + "1) Valeur technique : 60 %\n2) Prix : 40 %", [("Valeur technique", 60), ("Prix", 40)]),
    (
        H + "- le prix (pondération : 40 %)\n- la valeur technique (pondération : 60 %)",
        [("le prix", 40), ("la valeur technique", 60)],
    ),
    (H + "Critère prix : 40 %\nCritère valeur technique : 60 %", [("prix", 40), ("valeur technique", 60)]),
    (
        H
        + "Prix des prestations : 40 points\nValeur technique : 50 points\nDéveloppement durable : 10 points\nTotal : 100 points",
        [("Prix des prestations", 40), ("Valeur technique", 50), ("Développement durable", 10)],
    ),
    (
        H
        + "Les critères sont pondérés comme suit :\nPrix : 40 %\nValeur technique : 60 % répartie comme suit :\n- Méthodologie : 30 %\n- Moyens humains : 20 %\n- Planning : 10 %",
        [("Prix", 40), ("Valeur technique", 60)],
    ),
    (
        H + "Critère n°1 : Prix (coefficient 50)\nCritère n°2 : Valeur technique (coefficient 50)",
        [("Prix", 50), ("Valeur technique", 50)],
    ),
    (
        H
        + "Prix : 70 %\nQualité technique : 30 %\nLa note du prix est calculée selon la formule : 70 x (Pmin / P).",
        [("Prix", 70), ("Qualité technique", 30)],
    ),
    (H + "Valeur technique (60 %)\nPrix (40 %)", [("Valeur technique", 60), ("Prix", 40)]),
    (H + "A. Prix : 40 %\nB. Valeur technique : 60 %", [("Prix", 40), ("Valeur technique", 60)]),
    (
        H + "Prix – 40%\nValeur technique – 35%\nCritère environnemental – 15%\nCritère social – 10%",
        [("Prix", 40), ("Valeur technique", 35), ("Critère environnemental", 15), ("Critère social", 10)],
    ),
    (
        H + "CRITÈRES\tPONDÉRATION\nPrix\t40 %\nValeur technique\t60 %",
        [("Prix", 40), ("Valeur technique", 60)],
    ),
    (
        H
        + "Les offres seront jugées sur la base des critères suivants, par ordre de priorité décroissante :\n1. La valeur technique\n2. Le prix",
        [("La valeur technique", None), ("Le prix", None)],
    ),
    (H + "Le critère unique d'attribution est le prix.", [("prix", 100)]),
]


@pytest.mark.parametrize(("text", "expected"), CRITERIA, ids=[f"criteria-{i}" for i in range(len(CRITERIA))])
def test_criteria_wording(text: str, expected: list[tuple[str, float | None]]) -> None:
    rc = piece(text)
    analysis = analyze_offline([rc])
    assert_evidence_honest(analysis, [rc])
    got = [(c.name, c.weight_percent) for c in analysis.criteria]
    assert len(got) == len(expected), got
    for (name, weight), (want_name, want_weight) in zip(got, expected, strict=True):
        assert want_name.lower() in name.lower() and weight == want_weight, got


IDENTITY: list[tuple[str, str, str]] = [
    (
        "Pouvoir adjudicateur :\nMairie de Trélon\n12 rue de la Paix\n59132 Trélon\nObjet du marché :\nRéfection de la voirie communale.",
        "Mairie de Trélon",
        "Réfection de la voirie communale",
    ),
    (
        "Nom et adresse officiels de l'organisme acheteur : Commune de Vic, 1 place du Marché, 32190 Vic\nObjet : Travaux de voirie 2026",
        "Commune de Vic",
        "Travaux de voirie 2026",
    ),
    (
        "Maître d'ouvrage : SIAEP de la Vallée du Lot\nIntitulé de la consultation : Renouvellement de canalisations",
        "SIAEP de la Vallée du Lot",
        "Renouvellement de canalisations",
    ),
    (
        "ACHETEUR\nCommunauté d'agglomération du Bocage\nOBJET DE LA CONSULTATION\nNettoyage des locaux",
        "Communauté d'agglomération du Bocage",
        "Nettoyage des locaux",
    ),
    (
        "Identification de l'acheteur : Ville de Sète\nObjet de la consultation : Location de bungalows",
        "Ville de Sète",
        "Location de bungalows",
    ),
]


@pytest.mark.parametrize(
    ("text", "buyer", "subject"), IDENTITY, ids=[f"identity-{i}" for i in range(len(IDENTITY))]
)
def test_identity_wording(text: str, buyer: str, subject: str) -> None:
    analysis = analyze_offline([piece("Règlement de la consultation\n" + text)])
    assert (analysis.buyer, analysis.object) == (buyer, subject)


REFERENCES: list[tuple[str, str]] = [
    ("Marché n° 2026/015", "2026/015"),
    ("Référence : 26-AOO-002", "26-AOO-002"),
    ("N° de consultation : 2026_TX_04", "2026_TX_04"),
    ("Consultation n°2026-17", "2026-17"),
    ("Réf. : DCE-2026-04", "DCE-2026-04"),
    ("Numéro de marché : M26.003", "M26.003"),
    ("Marché public n° 26S0007", "26S0007"),
]


@pytest.mark.parametrize(("text", "expected"), REFERENCES)
def test_reference_wording(text: str, expected: str) -> None:
    analysis = analyze_offline([piece("Règlement de la consultation\n" + text + "\nObjet : travaux")])
    assert analysis.reference == expected


DOCUMENTS: list[tuple[str, set[str]]] = [
    (
        "Article 5 - Contenu de la réponse\nLe candidat fournit : DC1, DC2, acte d'engagement, BPU, mémoire technique.\nArticle 6 - Jugement des offres",
        {"DC1", "DC2", "AE", "BPU", "MEMOIRE_TECHNIQUE"},
    ),
    (
        "Modalités de présentation des offres\nLes propositions comprendront :\n- l'acte d'engagement,\n- la DPGF,\n- une note méthodologique.\nJugement des offres",
        {"AE", "DPGF", "MEMOIRE_TECHNIQUE"},
    ),
    (
        "Pièces constitutives de l'offre\n• Acte d'engagement\n• Bordereau des prix\n• Planning prévisionnel\nCritères d'attribution",
        {"AE", "BPU", "PLANNING"},
    ),
    (
        "Éléments de la candidature\nLa candidature comprend le DUME et une attestation d'assurance.\nÉléments de l'offre\nL'offre comprend l'acte d'engagement et le DQE.\nJugement des offres",
        {"DUME", "ATTESTATION_ASSURANCE", "AE", "DQE"},
    ),
    (
        "Le dossier de candidature comprendra :\n- Lettre de candidature (DC1)\n- Déclaration du candidat (DC2)\n- Extrait Kbis\nLe candidat retenu devra fournir dans un délai de 7 jours :\n- attestation URSSAF\n- attestations fiscales\nJugement des offres",
        {"DC1", "DC2", "KBIS"},
    ),
    (
        "Pièces à fournir\nCandidature : DC1, DC2.\nOffre : AE, DPGF, mémoire technique.\nAvant la notification, l'attributaire produira un RIB et une attestation d'assurance.\nJugement des offres",
        {"DC1", "DC2", "AE", "DPGF", "MEMOIRE_TECHNIQUE"},
    ),
    (
        "Article 4 - Présentation des offres\nLes pièces suivantes sont à fournir par le candidat :\n- la déclaration sur l'honneur prévue à l'article R. 2143-3 ;\n- les pouvoirs du signataire ;\n- l'acte d'engagement ;\n- le cadre de réponse technique.\nArticle 5 - Jugement",
        {"DECLARATION_HONNEUR", "POUVOIR_SIGNATAIRE", "AE", "CADRE_REPONSE"},
    ),
    (
        "Documents à produire à l'appui des candidatures\nLes candidats doivent produire un DC1, un DC2 ainsi qu'une liste de références et une déclaration d'effectifs.\nJugement des offres",
        {"DC1", "DC2", "REFERENCES", "EFFECTIFS"},
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), DOCUMENTS, ids=[f"documents-{i}" for i in range(len(DOCUMENTS))]
)
def test_documents_wording(text: str, expected: set[str]) -> None:
    rc = piece("Règlement de la consultation\n" + text)
    analysis = analyze_offline([rc])
    assert_evidence_honest(analysis, [rc])
    assert {d.value for d in analysis.required_documents} == expected


TRAPS: list[tuple[str, str, Any]] = [
    (
        "deadline",
        "Date limite d'envoi des questions : 10/06/2026 à 12h00\nDate limite de remise des offres : 20/06/2026 à 12h00",
        "2026-06-20T12:00:00+02:00",
    ),
    (
        "deadline",
        "Date limite de demande de visite : 5 juin 2026\nDate limite de réception des offres : 19 juin 2026 à 17h00",
        "2026-06-19T17:00:00+02:00",
    ),
    (
        "deadline",
        "La date limite de réception des offres initialement fixée au 12 juin 2026 à 12h00 est reportée au 19 juin 2026 à 12h00.",
        "2026-06-19T12:00:00+02:00",
    ),
    (
        "deadline",
        "Date d'envoi à la publication : 01/05/2026\nDate limite de réception des offres : 02/06/2026 à 12h00",
        "2026-06-02T12:00:00+02:00",
    ),
    (
        "deadline",
        "Date limite de retrait des dossiers : 28/05/2026\nDate limite de remise des plis : 02/06/2026 à 16h00",
        "2026-06-02T16:00:00+02:00",
    ),
    (
        "variants_allowed",
        "Les variantes libres ne sont pas autorisées. Les variantes exigées sont obligatoires (voir PSE).",
        False,
    ),
    (
        "variants_allowed",
        "Variantes : les candidats peuvent présenter des variantes dans les conditions fixées ci-après.",
        True,
    ),
    (
        "variants_allowed",
        "Les variantes à l'initiative des candidats sont autorisées sous réserve de répondre également à la solution de base.",
        True,
    ),
    (
        "site_visit",
        "Une visite est prévue le 12 mai 2026 à 10h00 ; elle est vivement recommandée.",
        "optional",
    ),
    (
        "site_visit",
        "La visite du site est obligatoire. Le certificat de visite devra être joint à l'offre.",
        "mandatory",
    ),
    (
        "offer_validity_days",
        "Le délai de validité des offres est de quatre-vingt-dix jours. Il pourra être prorogé de 30 jours.",
        90,
    ),
    (
        "offer_validity_days",
        "Délai de validité des offres : 180 jours à compter de la date limite de réception des offres",
        180,
    ),
    ("lots", "Le lot n°2 sera attribué séparément.\nLot n°1 : Peinture\nLot n°2 : Sols", [1, 2]),
    (
        "questions_deadline",
        "Les demandes de renseignements doivent parvenir au plus tard dix (10) jours avant la date limite de réception des offres.",
        "J-10",
    ),
    (
        "questions_deadline",
        "Date limite de réception des questions : le 5 juin 2026 à 12h00",
        "2026-06-05T12:00:00+02:00",
    ),
    (
        "memoire_page_limit",
        "Le mémoire technique ne doit pas excéder 20 pages. Les CV seront limités à 2 pages par personne.",
        20,
    ),
    (
        "memoire_page_limit",
        "Les CV seront limités à 2 pages par personne. Le mémoire technique ne doit pas excéder 20 pages.",
        20,
    ),
    ("memoire_page_limit", "Les fiches produits sont limitées à 2 pages.", None),
]


@pytest.mark.parametrize(
    ("field", "text", "expected"), TRAPS, ids=[f"trap-{c[0]}-{i}" for i, c in enumerate(TRAPS)]
)
def test_clause_next_to_a_trap(field: str, text: str, expected: Any) -> None:
    """Other dates, CVs, earlier lots and postponements next to the clause."""
    test_clause_wording(field, text, expected)


def test_postponement_in_the_questions_register_wins() -> None:
    rc = piece("Règlement de la consultation\nDate limite de réception des offres : 12 juin 2026 à 12h00")
    qr = piece(
        "Questions / réponses n° 3\nLa date limite de remise des offres est reportée au 26 juin 2026 à 12h00.",
        kind=PieceKind.QR_REGISTER,
        path="QR.pdf",
    )
    analysis = analyze_offline([rc, qr])
    assert analysis.deadline == "2026-06-26T12:00:00+02:00"
    assert analysis.evidence["deadline"].file == "QR.pdf"


Sub = list[tuple[str, float]]
TABLES: list[tuple[str, list[tuple[str, float, Sub]]]] = [
    (
        H
        + "Critère\tSous-critère\tPondération\nPrix\t40 %\nValeur technique\t60 %\nMéthodologie\t30 %\nMoyens humains\t30 %",
        [("Prix", 40, []), ("Valeur technique", 60, [("Méthodologie", 30), ("Moyens humains", 30)])],
    ),
    (
        H
        + "Critères Sous-critères Pondération\nValeur technique 60 % Méthodologie 30 %\nMoyens humains 30 %\nPrix 40 %",
        [("Valeur technique", 60, [("Méthodologie", 30), ("Moyens humains", 30)]), ("Prix", 40, [])],
    ),
    (
        H + "1. Prix : 40 %\n2. Valeur technique : 60 %\na) méthodologie : 30 %\nb) moyens humains : 30 %",
        [("Prix", 40, []), ("Valeur technique", 60, [("méthodologie", 30), ("moyens humains", 30)])],
    ),
    (
        H
        + "Prix (40 %)\nValeur technique (60 %) :\n- Méthodologie (50 % de la note technique)\n- Moyens (50 % de la note technique)",
        [("Prix", 40, []), ("Valeur technique", 60, [("Méthodologie", 30), ("Moyens", 30)])],
    ),
    (
        H
        + "Critère 1 – Prix – 40 points\nCritère 2 – Valeur technique – 60 points\n2.1 – Organisation – 40 points\n2.2 – Références – 20 points",
        [("Prix", 40, []), ("Valeur technique", 60, [("Organisation", 40), ("Références", 20)])],
    ),
    (
        H + "Critères de jugement\tPondération\nValeur technique\t60\nPrix\t40",
        [("Valeur technique", 60, []), ("Prix", 40, [])],
    ),
    (
        H + "Prix : 40/100\nValeur technique : 60/100 dont :\n- Méthodologie : 35/100\n- Planning : 25/100",
        [("Prix", 40, []), ("Valeur technique", 60, [("Méthodologie", 35), ("Planning", 25)])],
    ),
]


@pytest.mark.parametrize(("text", "expected"), TABLES, ids=[f"table-{i}" for i in range(len(TABLES))])
def test_criteria_table_layouts(text: str, expected: list[tuple[str, float, Sub]]) -> None:
    """Sub-criteria in their own column, on the criterion's row, lettered, in % of the note, in points."""
    rc = piece(text)
    analysis = analyze_offline([rc])
    assert_evidence_honest(analysis, [rc])
    got = [
        (c.name, c.weight_percent, [(s.name, s.weight_percent) for s in c.subcriteria])
        for c in analysis.criteria
    ]
    assert len(got) == len(expected), got
    for (name, weight, subs), (want_name, want_weight, want_subs) in zip(got, expected, strict=True):
        assert want_name.lower() in name.lower() and weight == want_weight, got
        assert [w for _, w in subs] == [w for _, w in want_subs], got
        assert all(a.lower() in b.lower() for (b, _), (a, _) in zip(subs, want_subs, strict=True)), got


PROCEDURES_LOTS_PSE: list[tuple[str, str, Any]] = [
    ("procedure", "Mode de passation : Procédure adaptée ouverte", "procedure_adaptee"),
    ("procedure", "Type de procédure : Procédure adaptée restreinte", "procedure_adaptee"),
    ("procedure", "La présente consultation est un marché à procédure adaptée (MAPA).", "procedure_adaptee"),
    ("procedure", "Il s'agit d'un appel d'offres restreint.", "appel_offres_restreint"),
    ("procedure", "Procédure : Appel d'Offres Ouvert (AOO)", "appel_offres_ouvert"),
    (
        "procedure",
        "La procédure de passation est la procédure avec négociation prévue à l'article R. 2124-3 6° du code de la commande publique.",
        "procedure_negociee",
    ),
    (
        "procedure",
        "Consultation lancée en application de l'article R. 2123-1 3° (services sociaux et autres services spécifiques).",
        "procedure_adaptee",
    ),
    ("procedure", "Le marché sera passé selon la procédure du dialogue compétitif.", "dialogue_competitif"),
    (
        "procedure",
        "Si l'appel d'offres est déclaré infructueux, une procédure négociée pourra être engagée. La consultation est passée en appel d'offres ouvert.",
        "appel_offres_ouvert",
    ),
    (
        "procedure",
        "Procédure adaptée en application de l'article R.2123-1 1° du code de la commande publique. Le pouvoir adjudicateur se réserve la possibilité de négocier.",
        "procedure_adaptee",
    ),
    (
        "lots",
        "Allotissement : le marché est décomposé en 4 lots.\nLot 1 – Plomberie\nLot 2 – Chauffage\nLot 3 – Ventilation\nLot 4 – Électricité",
        [1, 2, 3, 4],
    ),
    ("lots", "Décomposition en lots : sans objet", []),
    ("lots", "Le présent marché ne fait l'objet d'aucun allotissement.", []),
    ("lots", "La consultation comporte un lot unique.", []),
    ("lots", "Il n'est pas prévu de décomposition en lots.", []),
    ("lots", "LOT N°01 : MAÇONNERIE\nLOT N°02 : MENUISERIE", [1, 2]),
    ("lots", "Lot 1 Voirie\nLot 2 Éclairage public\nLot 3 Espaces verts", [1, 2, 3]),
    ("pse_allowed", "Prestations supplémentaires éventuelles : néant.", False),
    ("pse_allowed", "Les candidats doivent obligatoirement répondre aux PSE.", True),
    ("pse_allowed", "PSE n°1 : fourniture de bancs (à chiffrer obligatoirement)", True),
]


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    PROCEDURES_LOTS_PSE,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(PROCEDURES_LOTS_PSE)],
)
def test_procedure_lots_pse_wording(field: str, text: str, expected: Any) -> None:
    test_clause_wording(field, text, expected)


MORE: list[tuple[str, str, Any]] = [
    ("memoire_page_limit", "La note technique ne devra pas dépasser 6 pages.", 6),
    ("memoire_page_limit", "La proposition technique est limitée à 15 pages.", 15),
    ("memoire_page_limit", "Le mémoire justificatif sera de 10 pages au maximum.", 10),
    ("memoire_page_limit", "Format du mémoire : 20 pages A4 maximum (hors annexes)", 20),
    (
        "criteria",
        "Article 7 - Attribution du marché\nL'attribution se fera selon les critères ci-après : Prix 60 %, Valeur technique 40 %.",
        2,
    ),
    ("criteria", "Méthode de notation\nPrix : 40 points\nValeur technique : 60 points", 2),
    (
        "criteria",
        "Classement des offres\nLe classement sera effectué selon les critères pondérés suivants :\nPrix : 50 %\nTechnique : 50 %",
        2,
    ),
    (
        "questions_deadline",
        "Toute demande de renseignement devra être adressée au plus tard le 2 juin 2026.",
        "2026-06-02",
    ),
    (
        "questions_deadline",
        "Les questions seront reçues jusqu'à 72 heures avant la date limite de remise des offres.",
        None,
    ),
    (
        "questions_deadline",
        "Les questions doivent parvenir au moins 5 jours ouvrés avant la date limite de réception des offres.",
        "J-5",
    ),
    ("offer_validity_days", "Le délai de validité des offres est de 120 (cent vingt) jours.", 120),
    ("offer_validity_days", "Délai de validité des offres : 3 mois.", 90),
    ("offer_validity_days", "Les offres engagent les candidats pendant 90 jours.", 90),
    (
        "deadline",
        "Heure et date limites de réception des offres : 12h00 le 15 juin 2026",
        "2026-06-15T12:00:00+02:00",
    ),
    (
        "deadline",
        "Date limite de réception des offres : 15 juin 2026 à 12h00 (heure de Paris, France)",
        "2026-06-15T12:00:00+02:00",
    ),
    ("deadline", "DLRO : 15/06/2026 à 12h00", "2026-06-15T12:00:00+02:00"),
    (
        "deadline",
        "Date limite de réception des offres : 30 octobre 2026 à 12h00",
        "2026-10-30T12:00:00+01:00",
    ),
    (
        "deadline",
        "Date limite de réception des offres : 24 octobre 2026 à 12h00",
        "2026-10-24T12:00:00+02:00",
    ),
]


@pytest.mark.parametrize(
    ("field", "text", "expected"), MORE, ids=[f"more-{c[0]}-{i}" for i, c in enumerate(MORE)]
)
def test_more_wordings(field: str, text: str, expected: Any) -> None:
    """Other names of the mémoire, criteria sections without 'jugement', DLRO, winter and summer time."""
    rc = piece("Règlement de la consultation\n" + text)
    analysis = analyze_offline([rc])
    assert_evidence_honest(analysis, [rc])
    got = getattr(analysis, field)
    if field == "criteria":
        got = len(got)
    assert getattr(got, "value", got) == expected


def test_weighted_selection_of_candidatures_is_not_the_award() -> None:
    """A restricted procedure weighs the candidatures first; the criteria are those of the offers."""
    analysis = analyze_offline(
        [
            piece(
                "Règlement de la consultation\nArticle 5 - Sélection des candidatures\n"
                "Les candidatures seront sélectionnées selon les critères suivants :\nRéférences : 60 %\n"
                "Moyens humains : 40 %\nArticle 6 - Jugement des offres\nPrix : 40 %\nValeur technique : 60 %"
            )
        ]
    )
    assert [(c.name, c.weight_percent) for c in analysis.criteria] == [
        ("Prix", 40.0),
        ("Valeur technique", 60.0),
    ]


COVERS: list[tuple[str, str, str]] = [
    (
        "Maître d'ouvrage : Commune de Lézat – Services techniques\nObjet : Réfection de trottoirs",
        "Commune de Lézat",
        "Réfection de trottoirs",
    ),
    (
        "Pouvoir adjudicateur\nDépartement de la Creuse-Fictive\nHôtel du Département\n23000 Guéret\nObjet de la consultation\nEntretien des routes",
        "Département de la Creuse-Fictive",
        "Entretien des routes",
    ),
    (
        "ACHETEUR PUBLIC : SIVU des Écoles du Plateau\nOBJET : Fourniture de repas",
        "SIVU des Écoles du Plateau",
        "Fourniture de repas",
    ),
    (
        "Le pouvoir adjudicateur est : la Commune de Salles, représentée par son Maire.\nObjet : Travaux d'éclairage",
        "la Commune de Salles",
        "Travaux d'éclairage",
    ),
    (
        "Identification du pouvoir adjudicateur\nNom : Ville de Tarbes-Fictive\nAdresse : 1 place de Verdun\nObjet : Nettoyage",
        "Ville de Tarbes-Fictive",
        "Nettoyage",
    ),
    (
        "Désignation de la consultation : Maintenance des ascenseurs\nAcheteur : Ville de Pau-Fictive",
        "Ville de Pau-Fictive",
        "Maintenance des ascenseurs",
    ),
    (
        "Libellé du marché : Location de matériel\nOrganisme acheteur : Métropole de Nîmes-Fictive",
        "Métropole de Nîmes-Fictive",
        "Location de matériel",
    ),
    (
        "Entité adjudicatrice : Régie des Eaux de la Vallée\nObjet du marché : Fourniture de compteurs",
        "Régie des Eaux de la Vallée",
        "Fourniture de compteurs",
    ),
]


@pytest.mark.parametrize(("text", "buyer", "subject"), COVERS, ids=[f"cover-{i}" for i in range(len(COVERS))])
def test_cover_fields(text: str, buyer: str, subject: str) -> None:
    """Buyer and object labelled in other ways, with services, addresses and 'Nom :' fields around them."""
    analysis = analyze_offline([piece("Règlement de la consultation\n" + text)])
    assert ((analysis.buyer or "").lower(), analysis.object) == (buyer.lower(), subject)


@pytest.mark.parametrize("title", ["SOMMAIRE", "Article 0 – Préambule 2"])
def test_table_of_contents_without_leaders_states_nothing(title: str) -> None:
    """Word's tab leaders come out as spaces: 'Visite obligatoire 3' is an entry, not the rule."""
    toc = (
        f"{title}\nArticle 1 – Objet 3\nArticle 2 – Visite obligatoire 3\n"
        "Article 3 – Date limite de réception des offres 4\nArticle 4 – Critères de jugement des offres 4\n"
        "Article 5 – Variantes autorisées 5"
    )
    body = (
        "Article 1 – Objet\nLa consultation porte sur des travaux.\nArticle 2 – Visite\n"
        "La visite du site est facultative.\nArticle 3 – Date limite\n"
        "Date limite de réception des offres : 12 juin 2026 à 12h00\nArticle 4 – Critères de jugement des offres\n"
        "Prix : 60 %\nValeur technique : 40 %\nArticle 5 – Variantes\nLes variantes ne sont pas autorisées."
    )
    rc = piece("Règlement de la consultation", toc, body)
    analysis = analyze_offline([rc])
    assert_evidence_honest(analysis, [rc])
    assert analysis.site_visit is not None and analysis.site_visit.value == "optional"
    assert analysis.variants_allowed is False
    assert analysis.deadline == "2026-06-12T12:00:00+02:00"
    assert [(c.name, c.weight_percent) for c in analysis.criteria] == [
        ("Prix", 60.0),
        ("Valeur technique", 40.0),
    ]


def test_a_weights_table_is_not_a_table_of_contents() -> None:
    rc = piece(
        "Règlement de la consultation\nJugement des offres\nCritères Pondération\nPrix 40\nDélai 10\nValeur technique 50"
    )
    assert [(c.name, c.weight_percent) for c in analyze_offline([rc]).criteria] == [
        ("Prix", 40.0),
        ("Délai", 10.0),
        ("Valeur technique", 50.0),
    ]


DEADLINES: list[tuple[str, str, Any]] = [
    (
        "deadline",
        "Les offres devront être déposées sur la plateforme au plus tard le lundi 7 septembre 2026 à 12h00.",
        "2026-09-07T12:00:00+02:00",
    ),
    (
        "deadline",
        "Les offres doivent être reçues avant le 7 septembre 2026 à 12 heures.",
        "2026-09-07T12:00:00+02:00",
    ),
    (
        "deadline",
        "Les plis devront être transmis au plus tard le 07/09/2026 à 12:00.",
        "2026-09-07T12:00:00+02:00",
    ),
    ("deadline", "Date limite de réception des offres 15/09/2026 à 12h00", "2026-09-15T12:00:00+02:00"),
    (
        "deadline",
        "Date limite de réception des offres : 15 septembre 2026 – 12 heures",
        "2026-09-15T12:00:00+02:00",
    ),
    (
        "deadline",
        "Date limite de réception des offres : le 15 septembre 2026 à 12 heures précises",
        "2026-09-15T12:00:00+02:00",
    ),
    (
        "deadline",
        "Date et heure limites de réception des offres :\nLe 15/09/2026\nà 12h00",
        "2026-09-15T12:00:00+02:00",
    ),
    (
        "deadline",
        "DATE LIMITE DE REMISE DES OFFRES : VENDREDI 18 SEPTEMBRE 2026 À 16 HEURES",
        "2026-09-18T16:00:00+02:00",
    ),
    ("deadline", "Date limite de dépôt des offres : 18 sept. 2026 à 16h", "2026-09-18T16:00:00+02:00"),
    (
        "deadline",
        "Date limite de réception des offres : 1er octobre 2026 à 10h30",
        "2026-10-01T10:30:00+02:00",
    ),
    ("deadline", "Date limite de remise des offres : 2026-10-01 à 10h30", "2026-10-01T10:30:00+02:00"),
]


@pytest.mark.parametrize(
    ("field", "text", "expected"), DEADLINES, ids=[f"deadline-{i}" for i in range(len(DEADLINES))]
)
def test_deadline_wordings(field: str, text: str, expected: Any) -> None:
    """Feminine participles ('déposées', 'reçues'), no colon, 'précises', ISO dates, abbreviated months."""
    test_clause_wording(field, text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Date limite de réception des offres : voir l'avis d'appel public à la concurrence.\n"
        "La visite aura lieu le 12 mai 2026 à 10h00.",
        "Date limite de réception des offres : indiquée dans l'avis de publicité.\nDate de publication : 02/05/2026",
        "La date limite de remise des offres est celle indiquée sur la plateforme. "
        "Le DCE a été mis en ligne le 02/05/2026 à 9h00.",
    ],
)
def test_deadline_stated_elsewhere_is_not_taken_from_another_date(text: str) -> None:
    analysis = analyze_offline([piece("Règlement de la consultation\n" + text)])
    assert analysis.deadline is None
    assert any("Date limite de remise des offres non trouvée" in w for w in analysis.warnings)


def test_sub_criteria_listed_without_weights_keep_their_order() -> None:
    rc = piece(
        "Règlement de la consultation\nArticle 6 - Jugement des offres\nPrix : 40 %\n"
        "Valeur technique : 60 %, appréciée au regard des sous-critères suivants :\n"
        "- méthodologie d'exécution ;\n- moyens humains et matériels ;\n- planning détaillé.\n"
        "Article 7 - Remise des offres"
    )
    analysis = analyze_offline([rc])
    assert_evidence_honest(analysis, [rc])
    assert [(c.name, c.weight_percent) for c in analysis.criteria] == [
        ("Prix", 40.0),
        ("Valeur technique", 60.0),
    ]
    assert [(s.name, s.weight_percent) for s in analysis.criteria[1].subcriteria] == [
        ("méthodologie d'exécution", None),
        ("moyens humains et matériels", None),
        ("planning détaillé", None),
    ]


ORDERS_AND_NOISE: list[tuple[str, list[tuple[str, float | None]]]] = [
    (
        H
        + "Les critères sont classés par ordre décroissant d'importance :\n1) Valeur technique, jugée sur la méthodologie et les moyens\n2) Prix\n3) Délai d'exécution",
        [("Valeur technique", None), ("Prix", None), ("Délai d'exécution", None)],
    ),
    (
        H + "Critères retenus (par ordre de priorité décroissante) :\n- Valeur technique\n- Prix",
        [("Valeur technique", None), ("Prix", None)],
    ),
    (
        H
        + "Prix : 50 %\nValeur technique : 40 %\nTaux de matériaux recyclés (au moins 30 % de la masse) : 10 %",
        [("Prix", 50), ("Valeur technique", 40), ("Taux de matériaux recyclés", 10)],
    ),
    (
        H + "Prix : 60 % (note sur 20, la meilleure offre obtient 20)\nValeur technique : 40 %",
        [("Prix", 60), ("Valeur technique", 40)],
    ),
    (
        H
        + "Prix des prestations 60%\nValeur technique 40%\nLa note prix sera calculée comme suit : Np = 60 x Pmin / P",
        [("Prix des prestations", 60), ("Valeur technique", 40)],
    ),
    (
        H
        + "Critère Prix : pondération 50 %\nCritère Qualité : pondération 30 %\nCritère Délais : pondération 20 %",
        [("Prix", 50), ("Qualité", 30), ("Délais", 20)],
    ),
    (
        H
        + "Prix : 40 %\nValeur technique : 45 %\nInsertion professionnelle : 15 %\nUne réduction de 5 % sera appliquée aux offres incomplètes.",
        [("Prix", 40), ("Valeur technique", 45), ("Insertion professionnelle", 15)],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), ORDERS_AND_NOISE, ids=[f"noise-{i}" for i in range(len(ORDERS_AND_NOISE))]
)
def test_criteria_orders_and_percentages_in_names(
    text: str, expected: list[tuple[str, float | None]]
) -> None:
    """Order-only lists, percentages inside a name or a formula, a penalty rate after the table."""
    test_criteria_wording(text, expected)


LOT_LAYOUTS: list[tuple[str, list[int]]] = [
    ("N° lot Intitulé\n1 Gros œuvre\n2 Charpente\n3 Couverture", [1, 2, 3]),
    (
        "N° de lot Désignation des travaux Estimation\n01 Terrassement 20 000 €\n02 Maçonnerie 80 000 €",
        [1, 2],
    ),
    ("Numéro Intitulé du lot\n1 Plomberie\n2 Électricité", [1, 2]),
    ("Lots Désignation\nLot 1 Nettoyage des écoles\nLot 2 Nettoyage des gymnases", [1, 2]),
    (
        "Les prestations sont divisées en 2 lots :\n- lot n°1 : entretien courant ;\n- lot n°2 : vitrerie.",
        [1, 2],
    ),
    (
        "Le marché est alloti comme suit : lot 1 – mobilier scolaire ; lot 2 – mobilier de bureau ; lot 3 – sièges.",
        [1, 2, 3],
    ),
    ("Lot 1\nGros œuvre\nLot 2\nCharpente", [1, 2]),
]


@pytest.mark.parametrize(
    ("text", "expected"), LOT_LAYOUTS, ids=[f"lots-{i}" for i in range(len(LOT_LAYOUTS))]
)
def test_lot_layouts(text: str, expected: list[int]) -> None:
    """'N° lot | Intitulé' tables, a lot per bullet, lots in one sentence, the title under 'Lot 1'."""
    rc = piece("Règlement de la consultation\nArticle 2 - Allotissement\n" + text)
    analysis = analyze_offline([rc])
    assert_evidence_honest(analysis, [rc])
    assert [lot.number for lot in analysis.lots] == expected
    assert all(lot.title and not lot.title.endswith((";", ".", ",")) for lot in analysis.lots)


TABLE_ROWS: list[tuple[str, str, Any]] = [
    ("variants_allowed", "Variantes\tNon", False),
    ("variants_allowed", "Variantes autorisées\tOui", True),
    ("variants_allowed", "Variantes\tAutorisées", True),
    ("site_visit", "Visite obligatoire\tOui", "mandatory"),
    ("site_visit", "Visite obligatoire\tNon", "none"),
    ("site_visit", "Visite sur site\tNon", "none"),
    ("site_visit", "Visite des lieux\tFacultative", "optional"),
    ("offer_validity_days", "Validité des offres\t120 jours", 120),
    ("offer_validity_days", "Délai de validité des offres\t6 mois", 180),
    ("memoire_page_limit", "Mémoire technique\t15 pages maximum", 15),
]


@pytest.mark.parametrize(
    ("field", "text", "expected"), TABLE_ROWS, ids=[f"row-{c[0]}-{i}" for i, c in enumerate(TABLE_ROWS)]
)
def test_docx_table_rows_without_colons(field: str, text: str, expected: Any) -> None:
    """A DOCX table row 'Variantes | Non' reaches the rules as 'Variantes Non'."""
    rc = piece("Règlement de la consultation\nCaractéristiques\n" + text, path="RC.docx", paged=False)
    analysis = analyze_offline([rc])
    assert_evidence_honest(analysis, [rc])
    got = getattr(analysis, field)
    assert getattr(got, "value", got) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Avis n° 26-12345 publié au BOAMP\nConsultation n° 2026-015", "2026-015"),
        ("Référence BOAMP : 26-12345\nMarché n° 2026-015", "2026-015"),
        ("Réf. interne : 26/015", "26/015"),
        ("Référence acheteur : VDP-2026-12", "VDP-2026-12"),
    ],
)
def test_reference_is_the_consultation_not_the_publication(text: str, expected: str) -> None:
    assert analyze_offline([piece("Règlement de la consultation\n" + text)]).reference == expected


@pytest.mark.parametrize(
    "cover", ["CAHIER DES CHARGES", "CADRE DE RÉPONSE DU CANDIDAT", "Direction de l'habitat"]
)
def test_document_titles_are_not_buyers(cover: str) -> None:
    analysis = analyze_offline([piece(f"{cover}\nRèglement de la consultation\nObjet : travaux")])
    assert analysis.buyer is None


@pytest.mark.parametrize(
    "text",
    [
        "Prix : noté sur 40\nValeur technique : notée sur 60",
        "Prix (sur 40)\nValeur technique (sur 60)",
        "Le prix est noté sur 40 et la valeur technique sur 60.",
        "Les offres sont notées sur 100.\nPrix : noté sur 40\nValeur technique : notée sur 60",
    ],
)
def test_points_written_without_their_unit(text: str) -> None:
    rc = piece("Règlement de la consultation\nArticle 6 - Jugement des offres\n" + text)
    analysis = analyze_offline([rc])
    assert_evidence_honest(analysis, [rc])
    got = [(c.name.lower(), c.weight_percent) for c in analysis.criteria]
    assert [w for _, w in got] == [40.0, 60.0] and "prix" in got[0][0] and "valeur technique" in got[1][0]


LAST_WORDINGS: list[tuple[str, str, Any]] = [
    ("offer_validity_days", "Le délai de validité des offres est de 180 jours calendaires.", 180),
    (
        "offer_validity_days",
        "Le délai de validité des offres est fixé à cent quatre-vingts (180) jours.",
        180,
    ),
    ("offer_validity_days", "Durée de validité des offres : 4 (quatre) mois", 120),
    (
        "offer_validity_days",
        "Les offres sont valables pendant une durée de quatre-vingt-dix jours à compter de la date limite.",
        90,
    ),
    ("variants_allowed", "La présentation de variantes n'est pas autorisée.", False),
    ("variants_allowed", "Les offres variantes seront refusées.", False),
    ("variants_allowed", "Variantes : les variantes sont acceptées.", True),
    ("variants_allowed", "Aucune variante ne sera acceptée.", False),
    ("variants_allowed", "Le candidat peut proposer des variantes.", True),
    (
        "variants_allowed",
        "Les variantes sont admises dans les conditions suivantes : le candidat doit présenter une offre de base.",
        True,
    ),
    ("site_visit", "Visite préalable obligatoire : une attestation sera délivrée.", "mandatory"),
    (
        "site_visit",
        "Le candidat devra obligatoirement visiter le site avant de remettre son offre.",
        "mandatory",
    ),
    ("site_visit", "Les candidats pourront visiter le site sur rendez-vous.", "optional"),
    ("memoire_page_limit", "Le mémoire ne devra pas excéder 20 pages, annexes comprises.", 20),
    ("memoire_page_limit", "Mémoire technique limité à 30 pages (police Arial 11).", 30),
]


@pytest.mark.parametrize(
    ("field", "text", "expected"), LAST_WORDINGS, ids=[f"w-{c[0]}-{i}" for i, c in enumerate(LAST_WORDINGS)]
)
def test_validity_variants_visit_page_limit_wordings(field: str, text: str, expected: Any) -> None:
    test_clause_wording(field, text, expected)
