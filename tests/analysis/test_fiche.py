"""The French fiche de synthèse and the engine's bookkeeping (pieces, warnings, cancel)."""

from __future__ import annotations

import pytest

from app.analysis.fiche import french_datetime, render_fiche
from app.analysis.offline import analyze_offline
from app.domain.analysis import Analysis
from app.domain.document import PageText
from app.domain.kinds import PieceKind
from app.domain.progress import Cancelled, CancelToken
from tests.analysis.helpers import piece


def test_french_datetime() -> None:
    assert french_datetime("2025-04-19T15:00:00+02:00") == "samedi 19 avril 2025 à 15h00"
    assert french_datetime("2026-02-03") == "mardi 3 février 2026"
    assert french_datetime("J-8") == "8 jours avant la date limite (J-8)"
    assert french_datetime(None) == "non précisé"


def test_empty_analysis_says_what_is_unknown() -> None:
    fiche = render_fiche(Analysis())
    assert "Acheteur" in fiche and "non précisé" in fiche
    assert "Critères de jugement des offres" in fiche


def test_fiche_lists_values_with_their_source() -> None:
    rc = piece(
        "Date limite de réception des offres : 15 juillet 2026 à 12h00\n"
        "Critères de jugement des offres\nPrix : 40 %\nValeur technique : 60 %\n"
        "Le délai de validité des offres est de 90 jours.\nLa consultation n'est pas allotie.\n"
    )
    analysis = analyze_offline([rc])
    fiche = analysis.fiche or ""
    assert "mercredi 15 juillet 2026 à 12h00  [RC.pdf, p. 1]" in fiche
    assert "1. Prix — 40 %" in fiche and "2. Valeur technique — 60 %" in fiche
    assert "90 jours" in fiche
    assert "marché non alloti" in fiche


def test_pieces_and_warnings() -> None:
    scan = piece("", "texte", kind=PieceKind.CCTP, path="CCTP.pdf")
    scan.pages[0] = PageText(number=1, text="", needs_ocr=True)
    plan = piece(kind=PieceKind.AUTRE, path="Plans/plan.dwg")
    plan.pages = []
    plan.unread_reason = "Plan (DWG) : stocké, non lu"
    analysis = analyze_offline([scan, plan])
    summaries = {p.file: p for p in analysis.pieces}
    assert summaries["CCTP.pdf"].needs_ocr and summaries["CCTP.pdf"].ocr_pages == 1
    assert summaries["CCTP.pdf"].pages == 2
    assert summaries["Plans/plan.dwg"].unread_reason == "Plan (DWG) : stocké, non lu"
    assert analysis.warnings[0].startswith("Aucun règlement de la consultation (RC)")
    assert any("CCTP.pdf" in w and "numérisées" in w for w in analysis.warnings)
    contract = analysis.to_contract()
    assert [p["kind"] for p in contract["pieces"]] == ["CCTP", "AUTRE"]


def test_cancel_stops_the_analysis() -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        analyze_offline(
            [piece("Date limite de réception des offres : 15 juillet 2026 à 12h00")], cancel=token
        )


def test_docx_evidence_has_no_page() -> None:
    ae = piece(
        "Acheteur : Ville d'Exemple\nObjet du marché : Entretien de la voirie\n",
        kind=PieceKind.AE,
        path="AE.docx",
        paged=False,
    )
    analysis = analyze_offline([ae])
    assert analysis.buyer == "Ville d'Exemple"
    assert analysis.evidence["buyer"].page is None
