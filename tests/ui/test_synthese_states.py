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


def test_no_warning_leaves_no_empty_band_above_the_table(qtbot: QtBot) -> None:
    rc = piece("Règlement de la consultation\nDate limite de remise des offres : 16 juillet 2027 à 12h00")
    analysis = analyze_offline([rc])
    tab = SyntheseTab()
    qtbot.addWidget(tab)
    tab.resize(1000, 700)
    tab.show()
    qtbot.waitExposed(tab)
    spacing = tab.layout().spacing()
    split = tab.table.parentWidget()
    assert split is not None

    tab.set_analysis(analysis.model_copy(update={"warnings": ["Plans/Plan masse.dwg : non lu."]}))
    qtbot.waitUntil(lambda: tab.warnings.isVisible())
    assert split.geometry().top() - tab.info.geometry().bottom() > 2 * spacing  # the warning's line

    tab.set_analysis(analysis.model_copy(update={"warnings": []}))
    qtbot.waitUntil(
        lambda: split.geometry().top() - tab.info.geometry().bottom() <= spacing + 1, timeout=2000
    )
