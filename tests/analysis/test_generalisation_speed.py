"""Hostile texts aimed at the generalisation rules end quickly (no regex backtracking blow-up)."""

from __future__ import annotations

import pytest

from app.analysis.offline import analyze_offline
from app.domain.kinds import PieceKind
from tests.analysis.helpers import piece


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "text",
    [
        # the introduction before a criterion's name, and a name written after its weight
        "Critères d'attribution\nLes critères de sélection des offres sont "
        + "critères suivants " * 2000
        + "x 10 %",
        "Critères d'attribution\n60 % : " + "valeur " * 5000 + "\n40 % : " + "a" * 20000,
        "Jugement des offres\nNote technique décomposée comme suit : " + "méthodologie 3 points, " * 2000,
        # a cover-page deadline heading repeated without a date
        "REMISE DES OFFRES " * 4000,
        "Date limite de réception des candidatures : " + "sera précisée " * 3000,
        # references with a letter prefix
        "Opération n° " + "AB " * 6000,
        # a lots table whose cells wrap, with no end
        "Lot Désignation\n" + "01\nGros œuvre –\n" * 3000,
        "Lot Désignation\n1 Voirie\n" + "12 000 € HT\n" * 5000,
        "Le marché est alloti : lot 1 – " + "mobilier " * 20000,
        "Allotissement : " + "lot 1 – a ; lot 2 – b ; " * 3000,
        # visits and variants with endless clauses
        "Visite des locaux : " + "non " * 4000,
        "Variantes : " + "autorisées pour le lot 1 ; " * 3000,
        # a cover page made of one endless title line, and a bare buyer label under endless names
        "COMMUNE DE " + "SAINT-" * 8000 + "\nMaître d'ouvrage\n",
        "Société anonyme d'HLM " * 3000 + "\nMaître d'ouvrage\n" + "X " * 3000,
        # tables of contents: endless entries, and one endless line ending with a number
        "SOMMAIRE\n" + "Article 1 – Objet 3\n" * 4000,
        "SOMMAIRE\n" + "Article " + "a " * 20000 + "3",
        # page limits with exclusions in parentheses
        "Le mémoire technique ne devra pas excéder 10 pages (hors " + "annexes " * 5000,
    ],
)
def test_hostile_text_does_not_hang(text: str) -> None:
    analyze_offline([piece(text)])


@pytest.mark.timeout(20)
def test_unclassified_piece_of_many_pages_is_read_once() -> None:
    """The RC-role test reads only the first pages of a long unclassified piece."""
    pages = ["Date limite de remise des offres. Critères de jugement. Variantes."] + ["texte " * 2000] * 400
    analysis = analyze_offline([piece(*pages, kind=PieceKind.AUTRE, path="Divers.pdf")])
    assert analysis.pieces[0].kind is PieceKind.AUTRE  # three clauses: not enough to be the RC
