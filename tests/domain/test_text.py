"""One folding and one quote finder for grounding and the source viewer."""

from __future__ import annotations

from app.analysis.claude.grounding import quote_in_text
from app.domain.text import find_quote, fold
from ui.pages.source_viewer import quote_span


def test_fold_keeps_the_length_so_positions_slice_the_original() -> None:
    text = "Règlement de la Consultation – L’acheteur « ÉCOLE »"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == 'reglement de la consultation - l\'acheteur " ecole "'


def test_the_quote_verified_is_the_quote_highlighted() -> None:
    page = "Article 3\nLes offres devront parvenir avant le\n18  avril 2025 à 12h00.\nL’acheteur se réserve…"
    quote = "les offres devront parvenir avant le 18 avril 2025 a 12h00"
    assert quote_in_text(quote, page)
    start, end = find_quote(page, quote) or (0, 0)
    assert page[start:end] == "Les offres devront parvenir avant le\n18  avril 2025 à 12h00"
    assert quote_span(page, quote) == (start, end)
    # Ligatures and typographic apostrophes: found by both.
    assert find_quote("Maîtrise d’œuvre", "maitrise d'oeuvre") == (0, len("Maîtrise d’œuvre"))
    # An ellipsis skips text, in order; the span runs from the first part to the last.
    span = find_quote(page, "Les offres devront … 12h00")
    assert span is not None and page[span[0] : span[1]].endswith("12h00")
    assert find_quote(page, "12h00 … Les offres devront") is None
