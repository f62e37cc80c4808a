"""Single-sentence clauses: procedure, variants, PSE, offer validity, site visit, questions, page limit."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from app.domain.analysis import Evidence, Procedure, SiteVisit

from .dates import find_date, find_time, iso_of
from .source import Page
from .text import NUMBER_WORDS, words_to_int

Hit = tuple[Page, re.Match[str]]


def _scan(pages: Iterable[Page], pattern: re.Pattern[str]) -> Iterable[Hit]:
    for page in pages:
        for m in pattern.finditer(page.folded):
            yield page, m


def _sentence(page: Page, m: re.Match[str]) -> tuple[str, str]:
    """(folded sentence, verbatim sentence) around a match."""
    quote = page.quote_around(m.start(), m.end())
    start = page.flat.find(quote)
    return page.folded[start : start + len(quote)], quote


def _under_heading(page: Page, m: re.Match[str], folded: str, quote: str) -> tuple[str, str]:
    """For a heading ("2.4 - PSE", "6.3 - Visites sur site"), add the sentence written under it."""
    line = page.line_at(m.start())
    if line is None or len(line.text) >= 60 or not quote.endswith(line.text.strip()):
        return folded, quote
    after = line.start + len(line.text) + 1
    if after >= len(page.flat):
        return folded, quote
    nxt = page.quote_around(after, after + 1)
    end = page.flat.find(nxt, after) + len(nxt)
    return page.folded[line.start : end], page.flat[line.start : end].strip()


# --- procedure -----------------------------------------------------------------------------------

_PROCEDURES: tuple[tuple[re.Pattern[str], Procedure], ...] = (
    (re.compile(r"dialogue\s+competitif|r\.?\s*2124-5\b|r\.?\s*2161-24"), Procedure.DIALOGUE_COMPETITIF),
    (
        re.compile(r"appel\s+d'\s*offres?\s+restreint|r\.?\s*2124-2\s*,?\s*2°|r\.?\s*2161-6"),
        Procedure.APPEL_OFFRES_RESTREINT,
    ),
    (
        re.compile(r"appel\s+d'\s*offres?\s+ouvert|r\.?\s*2124-2\s*(?:,?\s*1°)?(?![\d,]\s*2°)|r\.?\s*2161-2"),
        Procedure.APPEL_OFFRES_OUVERT,
    ),
    (
        re.compile(
            r"procedure\s+adaptee|\bmapa\b|marche\s+(?:public\s+)?a\s+procedure\s+adaptee|"
            r"l\.?\s*2123-1\b|r\.?\s*2123-1\b|r\.?\s*2123-4\b|r\.?\s*2123-5\b"
        ),
        Procedure.PROCEDURE_ADAPTEE,
    ),
    (
        re.compile(
            r"procedure\s+(?:concurrentielle\s+)?avec\s+negociation|procedure\s+negociee|marche\s+negocie|"
            r"sans\s+publicite\s+ni\s+mise\s+en\s+concurrence|r\.?\s*2124-3\b|r\.?\s*2124-4\b|r\.?\s*2122-"
        ),
        Procedure.PROCEDURE_NEGOCIEE,
    ),
    (
        re.compile(r"\bconcours\s+(?:restreint|ouvert|de\s+maitrise)|partenariat\s+d'innovation"),
        Procedure.AUTRE,
    ),
)
_PROCEDURE_CONTEXT = re.compile(
    r"procedure|passation|consultation|lancee|soumis|marche\s+(?:est|sera)|accord-cadre\s+(?:est|sera)|articles?"
)
_PROCEDURE_NOISE = re.compile(
    r"\bsi\b|en\s+cas\s+d|infructueu|sans\s+suite|le\s+cas\s+echeant|pourra\s+(?:etre|recourir)"
)


def find_procedure(pages: Sequence[Page]) -> tuple[Procedure, Evidence] | None:
    """The procedure named in a sentence about how the consultation is passed, earliest first."""
    for page in pages:
        best: tuple[int, Procedure, re.Match[str]] | None = None
        for pattern, procedure in _PROCEDURES:
            for m in pattern.finditer(page.folded):
                folded, _ = _sentence(page, m)
                if not _PROCEDURE_CONTEXT.search(folded) or _PROCEDURE_NOISE.search(folded):
                    continue
                line = page.line_at(m.start())
                if line is not None and re.search(r"\.{4,}", line.text):
                    continue
                if best is None or m.start() < best[0]:
                    best = (m.start(), procedure, m)
                break
        if best is not None:
            return best[1], page.evidence_at(best[2].start(), best[2].end())
    return None


# --- variants and PSE ----------------------------------------------------------------------------

_VARIANT = re.compile(r"\bvariantes?\b")
_NEGATIVE = re.compile(
    r"\bn'(?:est|sont)\s+pas\s+(?:autorisee?s?|admises?|acceptees?|prevues?|permises?)|\bne\s+sont\s+pas\s+(?:autorisees|admises|acceptees|prevues)"
    r"|\bnon\s+(?:autorisees?|admises?|acceptees?)|\binterdites?\b|\baucune\s+variante|\bpas\s+de\s+variantes?"
    r"|\bsans\s+variante|\bvariantes?\s*:\s*non\b|\bne\s+(?:peu(?:ven)?t|pourr(?:a|ont))\s+pas\s+(?:presenter|proposer)"
    r"|\bexclues?\b|\bsans\s+objet\b|\bn'est\s+pas\s+prevu|\bne\s+(?:sera|seront)\s+pas\s+(?:prises?|autorisees?|admises?|acceptees?)"
    r"|\bne\s+(?:sont|est)\s+pas\s+autoris"
)
_POSITIVE = re.compile(
    r"\b(?:sont|est)\s+(?:autorisee?s?|admises?|acceptees?|possibles?|prevues?)|\bvariantes?\s*:\s*oui\b"
    r"|\b(?:peu(?:ven)?t|pourr(?:a|ont))\s+(?:presenter|proposer|remettre)|\bautorisee?s?\b|\bobligatoire(?:s|ment)?\b"
    r"|\bchiffrer\b|\bprevoit\b|\bcomporte\b"
)
_PSE = re.compile(
    r"prestations?\s+supplementaires?\s+eventuelles?|\bpse\b|options?\s+(?:obligatoires?|techniques?)"
)


def _yes_no(
    pages: Sequence[Page], subject: re.Pattern[str], skip: re.Pattern[str] | None = None
) -> tuple[bool, Evidence] | None:
    for page, m in _scan(pages, subject):
        folded, quote = _under_heading(page, m, *_sentence(page, m))
        if skip is not None and skip.search(folded):
            continue
        if re.search(r"\.{4,}", quote) or len(folded) < 12:
            continue
        if _NEGATIVE.search(folded):
            return False, page.evidence(quote)
        if _POSITIVE.search(folded):
            return True, page.evidence(quote)
    return None


def find_variants(pages: Sequence[Page]) -> tuple[bool, Evidence] | None:
    # "variantes exigées (PSE)" and headings are handled by the sentence test.
    return _yes_no(
        pages, _VARIANT, skip=re.compile(r"\bprix\s+des\s+variantes|\bformulaire|offre\s+de\s+base\s+et\s+la")
    )


def find_pse(pages: Sequence[Page]) -> tuple[bool, Evidence] | None:
    return _yes_no(pages, _PSE)


# --- offer validity -------------------------------------------------------------------------------

_QTY = rf"(?:(\d{{1,3}})|({NUMBER_WORDS})\s*(?:\(\s*(\d{{1,3}})\s*\))?)\s*(jours?|mois)"
_VALIDITY = re.compile(
    rf"(?:delai\s+de\s+validite\s+des\s+(?:offres|propositions)|validite\s+des\s+offres|offres?\s+(?:restent|resteront|reste|sont|seront)\s+valables?|"
    rf"ne\s+nous\s+lie\s+toutefois\s+que\s+si|engage(?:ment)?s?\s+(?:pour|pendant)\s+une\s+duree|"
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


def find_validity(pages: Sequence[Page]) -> tuple[int, Evidence] | None:
    for page, m in _scan(pages, _VALIDITY):
        days = _quantity_days(m, 1)
        # "6 mois /180 jours": the days written next to the months are the buyer's own figure.
        tail = re.match(r"\s*/?\s*\(?\s*(?:soit\s+)?(\d{2,3})\s*jours", page.folded[m.end() : m.end() + 20])
        if tail:
            days = int(tail.group(1))
        if days and 10 <= days <= 720:
            first = min(x for x in (m.start(1), m.start(2), m.start(3)) if x >= 0)
            return days, page.evidence_at(first, m.end())
    return None


# --- site visit -----------------------------------------------------------------------------------

_VISIT = re.compile(r"\bvisites?\b(?!\s*,)")
_VISIT_TOPIC = re.compile(
    r"visites?\s+(?:du\s+site|des\s+(?:lieux|sites|locaux|installations|batiments)|sur\s+(?:site|place)|prealable|"
    r"obligatoire|facultative|technique|de\s+site|conseillee)|(?:attestation|certificat)\s+de\s+visite|visite\s*:"
    r"|visiter\s+(?:le|les)\s+(?:site|lieux|locaux)"
)
_MANDATORY = re.compile(
    r"\bobligatoire(?:s|ment)?\b|irreguli|irrecevable|\brejetee|\bimperativ|sous\s+peine|\bexigee?\b|\bdevront\s+(?:effectuer|visiter|proceder)|\bdoit\s+(?:effectuer|visiter)"
)
_OPTIONAL = re.compile(
    r"\bfacultatives?\b|\bconseillee?s?\b|\brecommandee?s?\b|\bpossibles?\b|\bnon\s+obligatoire|\bpas\s+obligatoire|\bpeu(?:ven)?t\s+(?:visiter|effectuer|demander)|\blibre"
    r"|\binvites?\s+a\s+(?:visiter|effectuer|se\s+rendre)|\bs'ils\s+le\s+souhaitent|\bqui\s+le\s+souhaitent"
)
_NONE = re.compile(
    r"\bpas\s+(?:prevu\s+|organise\s+)?de\s+visite|\baucune\s+visite|\bvisite\s+(?:n'est|ne\s+sera)\s+pas\s+(?:prevue|organisee)|\bsans\s+visite|\bvisite\s*:\s*(?:non|sans\s+objet)"
    r"|\bvisites?\s+(?:des\s+lieux|du\s+site|sur\s+site|sur\s+place)?\s*:?\s*(?:sans\s+objet|neant|non\s+prevue)\b"
)


def find_site_visit(pages: Sequence[Page]) -> tuple[SiteVisit, Evidence, str | None] | None:
    """(kind, evidence, ISO date of the visit when one is given)."""
    for page, m in _scan(pages, _VISIT_TOPIC):
        folded, quote = _sentence(page, m)
        if re.search(r"\.{4,}", quote):
            continue
        folded, quote = _under_heading(page, m, folded, quote)
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


# --- questions deadline ---------------------------------------------------------------------------

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
    for page, m in _scan(pages, _QUESTION_RELATIVE):
        if _ANSWER.search(page.folded[m.start() : m.end()]):
            continue
        digits = m.group(1) or m.group(3)
        n = int(digits) if digits else words_to_int(m.group(2) or "")
        if n and 1 <= n <= 30:
            return f"J-{n}", page.evidence_at(m.start(), m.end())
    for page, m in _scan(pages, _QUESTION_DATE):
        found = find_date(page.folded, m.end(), min(len(page.folded), m.end() + 40))
        if found is None:
            continue
        at = find_time(page.folded, found.end, min(len(page.folded), found.end + 30))
        return iso_of(found, at), page.evidence_at(max(m.start(), m.end() - 20), found.end)
    return None


# --- page limit of the mémoire --------------------------------------------------------------------

_PAGE_LIMIT = re.compile(
    r"(?:limitee?s?\s+a|ne\s+(?:devra|doit|pourra|peut)\s+(?:pas\s+)?(?:depasser|exceder)|n'excedera\s+pas|"
    r"ne\s+depassera\s+pas|maximum\s+(?:de\s+)?|au\s+maximum|maxi(?:mum)?\s*:?|au\s+plus|n'excede\s+pas)\s*"
    r"(?:(\d{1,3})\s*(?:\(\s*[a-z-]+\s*\)\s*)?|[a-z -]{3,30}?\s*\(\s*(\d{1,3})\s*\)\s*)pages?"
    r"|(\d{1,3})\s*pages?\s+(?:a4\s+)?(?:recto(?:[\s/-]+verso)?\s+)?(?:au\s+)?maxi(?:mum)?"
    r"|nombre\s+(?:maximum\s+|maximal\s+)?de\s+pages\s*(?:maximum|maximal)?\s*:?\s*(\d{1,3})"
)
_MEMOIRE = re.compile(
    r"memoire|note\s+methodologique|cadre\s+de\s+reponse|offre\s+technique|dossier\s+technique|reponse\s+technique"
)


def find_page_limit(pages: Sequence[Page]) -> tuple[int, Evidence] | None:
    for page, m in _scan(pages, _PAGE_LIMIT):
        folded, quote = _sentence(page, m)
        context = page.folded[max(0, m.start() - 200) : m.end() + 60]
        if not (_MEMOIRE.search(folded) or _MEMOIRE.search(context)):
            continue
        if re.search(r"\bcv\b|curriculum|\bfiches?\s+produits?", folded):
            continue  # a limit on CVs or product sheets, not on the mémoire
        n = int(next(g for g in m.groups() if g))
        if 1 <= n <= 300:
            return n, page.evidence(quote)
    return None
