"""Variantes and prestations supplémentaires éventuelles (PSE): allowed or not."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.analysis import Evidence

from . import summary
from .sentences import scan, sentence, under_heading
from .source import Page

_VARIANT = re.compile(r"\bvariantes?\b")
_NEGATIVE = re.compile(
    r"\bn'(?:est|sont)\s+pas\s+(?:autorisee?s?|admises?|acceptees?|prevues?|permises?)|\bne\s+sont\s+pas\s+(?:autorisees|admises|acceptees|prevues)"
    r"|\bnon\s+(?:autorisees?|admises?|acceptees?)|\binterdites?\b|\baucune\s+variante|\bpas\s+de\s+variantes?"
    r"|\bsans\s+variante|\bvariantes?\s*:?\s*non\b|\bne\s+(?:peu(?:ven)?t|pourr(?:a|ont))\s+pas\s+(?:etre\s+)?(?:present|propos|remet|remis)[a-z]*"
    r"|\bexclues?\b|\bsans\s+objet\b|\bn'est\s+pas\s+prevu|\bne\s+(?:sera|seront)\s+pas\s+(?:prises?|autorisees?|admises?|acceptees?)"
    r"|\bne\s+(?:sont|est)\s+pas\s+autoris|\brefusee?s?\b|\birrecevables?\b|\bne\s+seront\s+pas\s+(?:examinees|analysees)"
    r"|\bneant\b|:\s*non\b"  # "Des variantes seront prises en considération : non"
)
_POSITIVE = re.compile(
    r"\b(?:sont|est)\s+(?:autorisee?s?|admises?|acceptees?|possibles?|prevues?)|\bvariantes?\s*:?\s*oui\b|:\s*oui\b"
    r"|\b(?:peu(?:ven)?t|pourr(?:a|ont))\s+(?:[a-z]+ment\s+)?(?:etre\s+)?(?:present|propos|remet|remis)[a-z]*|\bautorisee?s?\b|\bobligatoire(?:s|ment)?\b"
    r"|\bchiffrer\b|\bprevoit\b|\bcomporte\b"
)
_PSE = re.compile(
    r"prestations?\s+supplementaires?\s+eventuelles?|\bpse\b|options?\s+(?:obligatoires?|techniques?)"
)


def _yes_no(
    pages: Sequence[Page], subject: re.Pattern[str], skip: re.Pattern[str] | None = None
) -> tuple[bool, Evidence] | None:
    for page, m in scan(pages, subject):
        folded, quote = under_heading(page, m, *sentence(page, m))
        if skip is not None and skip.search(folded):
            continue
        if re.search(r"\.{4,}", quote) or len(folded) < 12:
            continue
        verdict = _verdict(folded)
        if verdict is not None:
            return verdict, page.evidence(quote)
    return None


# "autorisées pour les lots 2 et 4 ; elles ne sont pas autorisées pour les lots 1 et 3": clauses.
_CLAUSE = re.compile(r"\s*(?:;|\bmais\b|\ben\s+revanche\b|\btoutefois\b)\s*")


def _verdict(folded: str) -> bool | None:
    """True when some clause allows it (for some lots at least), False when it is only refused."""
    refused = False
    clauses = _CLAUSE.split(folded)
    for clause in clauses:
        if _NEGATIVE.search(clause):
            refused = True
        elif _POSITIVE.search(clause) and len(clauses) > 1:
            return True
    if refused:
        return False
    return True if _POSITIVE.search(folded) else None


_VARIANT_LABEL = re.compile(
    r"variantes?(?:\s+(?:autorisees?|admises?|acceptees?|libres?|a\s+l'initiative\s+du\s+candidat))?(?:\s*\(.*\))?"
)


def find_variants(pages: Sequence[Page]) -> tuple[bool, Evidence] | None:
    for page, line, value in summary.labelled(pages, _VARIANT_LABEL):
        verdict = summary.yes_no(value)
        if verdict is not None:
            return verdict, page.evidence(line.text[:240])
    # "variantes exigées (PSE)" and headings are handled by the sentence test.
    return _yes_no(
        pages, _VARIANT, skip=re.compile(r"\bprix\s+des\s+variantes|\bformulaire|offre\s+de\s+base\s+et\s+la")
    )


def find_pse(pages: Sequence[Page]) -> tuple[bool, Evidence] | None:
    return _yes_no(pages, _PSE)
