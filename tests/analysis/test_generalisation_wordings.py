"""One clause at a time, in the wordings other buyers use (each read from a one-page RC)."""

from __future__ import annotations

from typing import Any

import pytest

from app.analysis.offline import analyze_offline
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
