"""Date limite des questions: relative ("J-8") or a date as written."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.analysis import Evidence

from .dates import find_date, find_time, iso_of
from .sentences import scan
from .source import Page
from .text import NUMBER_WORDS, words_to_int

_QUESTION_RELATIVE = re.compile(
    rf"\b(?:questions?|demandes?|renseignements?|precisions?|eclaircissements?)\b[^.]{{0,160}}?"
    rf"(?:au\s+plus\s+tard|au\s+moins|jusqu'a|jusqu'au|dans\s+un\s+delai\s+de|avant|minimum)?\s*"
    rf"(?:(\d{{1,2}})|({NUMBER_WORDS})\s*(?:\(\s*(\d{{1,2}})\s*\))?)\s*jours?\s+(?:calendaires\s+|ouvres\s+|francs\s+|ouvrables\s+)?"
    rf"(?:au\s+moins\s+)?avant\s+(?:la\s+date|l'heure|la\s+remise|la\s+cloture|l'echeance|la\s+limite)"
)
_QUESTION_DATE = re.compile(
    r"\b(?:questions?|demandes?\s+de\s+renseignements?|renseignements?\s+complementaires?)\b[^.]{0,140}?"
    r"(?:jusqu'au|avant\s+le|au\s+plus\s+tard\s+le|date\s+limite[^.]{0,20}?:)\s*"
    r"|date\s+limite\s+(?:de\s+)?(?:reception\s+|remise\s+|depot\s+|envoi\s+)?(?:des\s+)?(?:questions|demandes)[^:.]{0,40}:\s*"
)
_ANSWER = re.compile(
    r"\breponses?\s+(?:sera|seront)\s+(?:adressee|envoyee|communiquee|transmise)|\bl'acheteur\s+repond"
)


def find_questions_deadline(pages: Sequence[Page]) -> tuple[str, Evidence] | None:
    for page, m in scan(pages, _QUESTION_RELATIVE):
        if _ANSWER.search(page.folded[m.start() : m.end()]):
            continue
        digits = m.group(1) or m.group(3)
        n = int(digits) if digits else words_to_int(m.group(2) or "")
        if n and 1 <= n <= 30:
            return f"J-{n}", page.evidence_at(m.start(), m.end())
    for page, m in scan(pages, _QUESTION_DATE):
        found = find_date(page.folded, m.end(), min(len(page.folded), m.end() + 40))
        if found is None:
            continue
        at = find_time(page.folded, found.end, min(len(page.folded), found.end + 30))
        return iso_of(found, at), page.evidence_at(max(m.start(), m.end() - 20), found.end)
    return None
