"""Délai de validité des offres, in days (months count 30 days: 4 mois = 120 jours)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.analysis import Evidence

from . import summary
from .sentences import scan
from .source import Page
from .text import NUMBER_WORDS, fold, words_to_int

_QTY = rf"(?:(\d{{1,3}})(?:\s*\([a-z -]{{3,40}}\))?|({NUMBER_WORDS})\s*(?:\(\s*(\d{{1,3}})\s*\))?)\s*(jours?|mois)"
_VALIDITY = re.compile(
    rf"(?:delai\s+de\s+validite\s+des\s+(?:offres|propositions)|validite\s+des\s+offres|offres?\s+engagen?t?\s+(?:les?\s+)?(?:candidats?|soumissionnaires?)\s+(?:pendant|durant|pour)|maint(?:enir|iennent|iendront|iendra)\s+(?:leur|son|ses|l')\s*offres?|\boffres?\b[^.;]{{0,40}}?\bvalables?|"
    rf"ne\s+(?:nous|me|m'|les?)\s*lie(?:nt)?\s+toutefois\s+que\s+si|engage(?:ment)?s?\s+(?:pour|pendant)\s+une\s+duree|"
    rf"(?:reste|restent|resteront|demeure|demeurent|seront|sera|est|sont)\s+engagee?s?\s+(?:par\s+(?:leur|son|ses|les|l')\s*offres?\s+)?(?:pendant|durant|pour))"
    rf"[^.]{{0,120}}?{_QTY}"
)


def _quantity_days(m: re.Match[str], first: int) -> int | None:
    digits = m.group(first) or m.group(first + 2)
    value = int(digits) if digits else words_to_int(m.group(first + 1) or "")
    if value is None:
        return None
    unit = m.group(first + 3)
    return value * 30 if unit.startswith("mois") else value


_LABEL = re.compile(r"(?:(?:delai|duree)\s+de\s+)?validite(?:\s+des\s+(?:offres|propositions))?")
_DURATION = re.compile(_QTY)


def _labelled(pages: Sequence[Page]) -> tuple[int, Evidence] | None:
    """ "Validité : l'offre est valable 90 jours", "Délai de validité des offres | 6 mois", a
    heading "Validité des offres" over "120 jours": the label's value read as a duration."""
    for page, line, value in summary.labelled(pages, _LABEL):
        m = _DURATION.search(fold(value))
        days = _quantity_days(m, 1) if m is not None else None
        if days and 10 <= days <= 720:
            return days, page.evidence(line.text[:240])
    return None


def find_validity(pages: Sequence[Page]) -> tuple[int, Evidence] | None:
    found = _sentence(pages)
    return found if found is not None else _labelled(pages)


def _sentence(pages: Sequence[Page]) -> tuple[int, Evidence] | None:
    for page, m in scan(pages, _VALIDITY):
        days = _quantity_days(m, 1)
        # "6 mois /180 jours": the days written next to the months are the buyer's own figure.
        tail = re.match(r"\s*/?\s*\(?\s*(?:soit\s+)?(\d{2,3})\s*jours", page.folded[m.end() : m.end() + 20])
        if tail:
            days = int(tail.group(1))
        if days and 10 <= days <= 720:
            first = min(x for x in (m.start(1), m.start(2), m.start(3)) if x >= 0)
            return days, page.evidence_at(first, m.end())
    return None
