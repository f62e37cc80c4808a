"""Page limit of the mémoire technique ("limité à 20 pages", "10 pages maximum")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.analysis import Evidence

from .sentences import scan, sentence
from .source import Page

_PAGE_LIMIT = re.compile(
    r"(?:limitee?s?\s+a|ne\s+(?:devra|doit|pourra|peut)\s+(?:pas\s+)?(?:depasser|exceder)|n'excedera\s+pas|"
    r"ne\s+depassera\s+pas|n'excedant\s+pas|ne\s+depassant\s+pas|maxim(?:um|ale)\s+(?:de\s+)?|au\s+maximum|maxi(?:mum)?\s*:?|au\s+plus|n'excede\s+pas)\s*"
    r"(?:(\d{1,3})\s*(?:\(\s*[a-z-]+\s*\)\s*)?|[a-z -]{3,30}?\s*\(\s*(\d{1,3})\s*\)\s*)pages?"
    r"|(\d{1,3})\s*pages?\s+(?:a4\s+)?(?:recto(?:[\s/-]+verso)?\s+)?(?:au\s+plus\b|(?:au\s+)?maxi(?:mum)?)"
    r"|nombre\s+(?:maximum\s+|maximal\s+)?de\s+pages\s*(?:maximum|maximal)?"
    r"(?:\s+(?:du|de\s+la|pour\s+le|pour\s+la)\s+[a-z' ]{3,30}?)?(?:\s+de)?\s*:?\s*(\d{1,3})"
)
_MEMOIRE = re.compile(
    r"memoire|note\s+methodologique|cadre\s+de\s+reponse|offre\s+technique|dossier\s+technique|reponse\s+technique"
    r"|note\s+technique|proposition\s+technique|projet\s+technique|note\s+de\s+presentation"
)

_EXCLUDED = re.compile(r"\(?\s*(?:hors|sans\s+compter|non\s+compris)\s+[^).;]{0,60}\)?")


def find_page_limit(pages: Sequence[Page]) -> tuple[int, Evidence] | None:
    for page, m in scan(pages, _PAGE_LIMIT):
        folded, quote = sentence(page, m)
        context = page.folded[max(0, m.start() - 200) : m.end() + 60]
        if not (_MEMOIRE.search(folded) or _MEMOIRE.search(context)):
            continue
        # The item the limit is written on: the clause of a list it belongs to ("les CV des
        # intervenants, … et un mémoire technique n'excédant pas 15 pages" limits the mémoire).
        clause = page.folded[max(0, m.start() - 160) : m.end()]
        clause = re.split(r"[,;]\s|\.\s", clause)[-1]
        # "(hors CV et annexes)" excludes them from the count; it is still the mémoire's limit.
        own = _EXCLUDED.sub(" ", clause if _MEMOIRE.search(clause) else folded)
        if re.search(r"\bcv\b|curriculum|\bfiches?\s+produits?", own):
            continue  # a limit on CVs or product sheets, not on the mémoire
        n = int(next(g for g in m.groups() if g))
        if 1 <= n <= 300:
            return n, page.evidence(quote)
    return None
