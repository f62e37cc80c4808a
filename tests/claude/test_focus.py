"""Doubtful offline values are asked again with only the pages that hold them."""

from __future__ import annotations

from app.analysis.claude.context import build_context
from app.analysis.claude.engine import _sections_of
from app.analysis.offline import analyze_offline
from tests.analysis.helpers import piece


def _rc() -> list:
    pages = [
        f"Article {n} - Clause {n}\nTexte de la clause {n}, sans rapport avec les critères."
        for n in range(1, 9)
    ]
    pages[5] = "Article 6 - Critères de jugement des offres\nValeur technique : 30 points\nPrix : 15 points"
    return [piece(*pages)]


def test_only_the_pages_of_doubtful_fields_are_sent() -> None:
    pieces = _rc()
    offline = analyze_offline(pieces)
    assert offline.doubtful("criteria")
    only = _sections_of(offline, ["criteria"])
    assert only == {("RC.pdf", 6), ("RC.pdf", 7)}
    context = build_context(pieces, 50_000, fields=["criteria"], only=only)
    assert [p.page for p in context.pages] == [6, 7]
    assert "30 points" in context.text and "Clause 1\n" not in context.text
    # A missing field needs the whole ranked DCE: no restriction then.
    assert _sections_of(offline, ["criteria", "deadline"]) is None
