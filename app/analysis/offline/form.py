"""Form of the contract: accord-cadre (bons de commande, marchés subséquents), tranches."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.analysis import Evidence

from .source import Page
from .text import NUMBER_WORDS, words_to_int

_FRAMEWORK = re.compile(r"\baccords?[- ]cadres?\b")
_ORDERS = re.compile(r"bons?\s+de\s+commande")
_SUBSEQUENT = re.compile(r"marches?\s+subsequents?")
_SINGLE = re.compile(r"mono[- ]?attributaire|(?:un\s+seul|unique)\s+(?:operateur|titulaire|attributaire)")
_MULTI = re.compile(r"multi[- ]?attributaire|plusieurs\s+(?:operateurs|titulaires|attributaires)")
_FIRM = re.compile(r"\btranche\s+ferme\b")
_OPTIONAL_COUNT = re.compile(rf"(\d{{1,2}}|{NUMBER_WORDS})\s+tranches?\s+(?:optionnelles?|conditionnelles?)")
_OPTIONAL_NUMBERED = re.compile(
    r"tranches?\s+(?:optionnelles?|conditionnelles?)\s*(?:n\s*°|no)?\s*(\d{1,2})\b"
)
_OPTIONAL_ANY = re.compile(r"tranches?\s+(?:optionnelles?|conditionnelles?)")


def _first(pages: Sequence[Page], pattern: re.Pattern[str]) -> tuple[Page, re.Match[str]] | None:
    for page in pages:
        m = pattern.search(page.folded)
        if m is not None:
            return page, m
    return None


def find_contract_form(pages: Sequence[Page]) -> tuple[str, Evidence] | None:
    """French description of the contract's form, from the first pieces that state it (RC first)."""
    framework = _first(pages, _FRAMEWORK)
    firm = _first(pages, _FIRM)
    parts: list[str] = []
    evidence: Evidence | None = None
    if framework is not None:
        page, m = framework
        # Qualifiers are often stated pages later in the same piece ("partie à bons de commande").
        text = " ".join(p.folded for p in pages if p.piece is page.piece)
        kind = "Accord-cadre"
        if _ORDERS.search(text) and _SUBSEQUENT.search(text):
            kind += " à bons de commande et marchés subséquents"
        elif _ORDERS.search(text):
            kind += " à bons de commande"
        elif _SUBSEQUENT.search(text):
            kind += " à marchés subséquents"
        if _SINGLE.search(text):
            kind += ", mono-attributaire"
        elif _MULTI.search(text):
            kind += ", multi-attributaire"
        parts.append(kind)
        evidence = page.evidence_at(m.start(), m.end())
    if firm is not None:
        page, m = firm
        text = " ".join(p.folded for p in pages if p.piece is page.piece)
        optional = 0
        for match in _OPTIONAL_NUMBERED.finditer(text):
            optional = max(optional, int(match.group(1)))
        counted = _OPTIONAL_COUNT.search(text)
        if counted is not None:
            value = counted.group(1)
            optional = max(optional, int(value) if value.isdigit() else (words_to_int(value) or 0))
        if not optional and _OPTIONAL_ANY.search(text):
            optional = 1
        tranche = "tranche ferme" + (f" et {optional} tranche(s) optionnelle(s)" if optional else " unique")
        parts.append(f"Marché à tranches : {tranche}" if optional else "Tranche ferme unique")
        evidence = evidence or page.evidence_at(m.start(), m.end())
    if not parts or evidence is None:
        return None
    return " ; ".join(parts), evidence
