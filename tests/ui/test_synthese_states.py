"""Synthèse (issue 16): a DCE read as not divided into lots says so, as the CLI's fiche does; a piece
left unread says "non lu" once."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.analysis.offline import analyze_offline
from tests.analysis.helpers import piece
from ui.pages.synthese import FIELDS, SyntheseTab


def test_a_tender_without_lots_reads_marche_non_alloti_in_the_app(qtbot: QtBot) -> None:
    rc = piece(
        "Règlement de la consultation\nLa consultation ne fait pas l'objet d'une décomposition en lots."
    )
    analysis = analyze_offline([rc])
    assert analysis.lots == [] and "lots" in analysis.evidence
    tab = SyntheseTab()
    qtbot.addWidget(tab)
    tab.set_analysis(analysis)
    row = [name for name, _ in FIELDS].index("lots")
    assert tab.table.item(row, 1).text() == "Marché non alloti"
    assert tab.table.item(row, 3).text() != "Non trouvé"
    assert "marché non alloti" in (analysis.fiche or "")


def test_an_unread_plan_says_non_lu_once() -> None:
    plan = piece("x", path="Plans/Plan masse.dwg")
    plan.pages = []
    plan.unread_reason = "Plan (DWG) : stocké, non lu (le texte des plans n'est pas analysé)."
    analysis = analyze_offline([piece("Règlement de la consultation"), plan])
    text = " ".join(analysis.warnings) + (analysis.fiche or "")
    assert text.count("non lu") == text.count("stocké, non lu")
