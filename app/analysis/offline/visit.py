"""Visite du site: mandatory, optional or none, and its date when given."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.analysis import Evidence, SiteVisit

from . import summary
from .dates import find_date, find_time, iso_of
from .sentences import scan, sentence, under_heading
from .source import Page
from .text import fold

_VISIT_TOPIC = re.compile(
    r"visites?\s+(?:du\s+site|des\s+(?:lieux|sites|locaux|installations|batiments)|sur\s+(?:site|place)|prealable|"
    r"obligatoire|facultative|technique|de\s+site|conseillee)|(?:attestation|certificat)\s+de\s+visite|visite\s*:"
    r"|visiter\s+(?:le|les)\s+(?:sites?|lieux|locaux|installations|batiments)|\b(?:une|la)\s+visite\b"
    r"|pas\s+(?:prevu\s+|organise\s+)?de\s+visite|aucune\s+visite|visite\s+(?:n'est|ne\s+sera)\s+pas\s+(?:prevue|organisee)"
    r"|visites?\s+[a-z]+\s*:"
)
_MANDATORY = re.compile(
    r"\bobligatoire(?:s|ment)?\b|irreguli|irrecevable|\brejetee|\bimperativ|sous\s+peine|\bexigee?\b|\bdevront\s+(?:effectuer|visiter|proceder)|\bdoit\s+(?:effectuer|visiter)"
)
_OPTIONAL = re.compile(
    r"\bfacultatives?\b|\bconseillee?s?\b|\brecommandee?s?\b|\bpossibles?\b|\bnon\s+obligatoire|\bpas\s+obligatoire|\b(?:peu(?:ven)?t|pourr(?:a|ont))\s+(?:visiter|effectuer|demander)|\blibre"
    r"|\bpeut\s+etre\s+organisee|\ba\s+la\s+demande\s+(?:des?\s+|du\s+)?(?:candidats?|soumissionnaires?)|\bsur\s+(?:simple\s+)?demande"
    r"|\binvites?\s+a\s+(?:visiter|effectuer|se\s+rendre)|\bs'ils\s+le\s+souhaitent|\bqui\s+le\s+souhaitent"
)
_NONE = re.compile(
    r"\bpas\s+(?:prevu\s+|organise\s+)?de\s+visite|\baucune\s+visite|\bvisite\s+(?:n'est|ne\s+sera)\s+pas\s+(?:prevue|organisee)|\bsans\s+visite|\bvisite\s*:\s*(?:non|sans\s+objet)"
    r"|\bvisites?\s+(?:des\s+lieux|du\s+site|sur\s+site|sur\s+place)?\s*:?\s*(?:sans\s+objet|neant|non\s+prevue)\b"
    # "Visite des locaux : sans objet", and table rows "Visite obligatoire | Non" printed without a colon.
    r"|\bvisites?(?:\s+[a-z']+){0,3}\s*:?\s*(?:sans\s+objet|neant|non\s+prevue|non\b(?!\s+(?:obligatoire|accompagne)))"
    r"|\bvisites?(?:\s+(?:des|du|de\s+la|de\s+l'|sur)\s*[a-z]+)?\s+(?:n'est|ne\s+sera|n'a)\s+pas\s+(?:prevue|organisee|necessaire|requise|imposee)"
)


_VISIT_LABEL = re.compile(
    r"visites?(?:\s+(?:du\s+site|des\s+(?:lieux|sites|locaux|installations)|sur\s+(?:site|place)|prealable|obligatoire))?"
)


def _summary_visit(pages: Sequence[Page]) -> tuple[SiteVisit, Evidence, str | None] | None:
    """'Visite | Obligatoire', 'Visite des lieux | Sans objet', 'Visite obligatoire | Non'."""
    for page, line, value in summary.labelled(pages, _VISIT_LABEL):
        folded = fold(value)
        kind = (
            SiteVisit.NONE
            if summary.yes_no(value) is False or _NONE.search(f"visite : {folded}")
            else SiteVisit.OPTIONAL
            if _OPTIONAL.search(folded)
            else SiteVisit.MANDATORY
            if _MANDATORY.search(folded)
            or (
                summary.yes_no(value) and "obligatoire" in fold((*line.cells, line.text.partition(":")[0])[0])
            )
            else None
        )
        if kind is not None:
            return kind, page.evidence(line.text[:240]), None
    return None


def find_site_visit(pages: Sequence[Page]) -> tuple[SiteVisit, Evidence, str | None] | None:
    """(kind, evidence, ISO date of the visit when one is given)."""
    summarised = _summary_visit(pages)
    if summarised is not None:
        return summarised
    for page, m in scan(pages, _VISIT_TOPIC):
        folded, quote = sentence(page, m)
        if re.search(r"\.{4,}", quote):
            continue
        folded, quote = under_heading(page, m, folded, quote)
        if _NONE.search(folded):
            return SiteVisit.NONE, page.evidence(quote), None
        if re.search(
            r"non\s+obligatoire|pas\s+obligatoire|n'est\s+pas\s+obligatoire", folded
        ) or _OPTIONAL.search(folded):
            return SiteVisit.OPTIONAL, page.evidence(quote), None
        if _MANDATORY.search(folded):
            found = find_date(page.folded, m.start(), min(len(page.folded), m.end() + 300))
            when = None
            if found is not None:
                at = find_time(page.folded, found.end, min(len(page.folded), found.end + 40))
                when = iso_of(found, at)
            return SiteVisit.MANDATORY, page.evidence(quote), when
    return None
