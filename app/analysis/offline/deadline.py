"""Date limite de remise des offres."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.analysis import Evidence

from .dates import find_date, find_time, iso_of
from .source import Page

_LABEL = re.compile(
    r"date\s+(?:et\s+(?:l'\s*)?heure\s+)?(?:limites?|butoir)\s+(?:de\s+|d'\s*)?(?:la\s+)?"
    r"(?:remise|reception|depot|transmission|envoi)\s+(?:des\s+|de\s+l'\s*|du\s+)?"
    r"(?:offres?|plis|candidatures?\s+et\s+des\s+offres|dossiers?|propositions?|reponses?)"
    r"|(?:remise|reception|depot)\s+des\s+(?:offres|plis)\s*(?:avant\s+le\s*)?:"
    # "Les offres seront déposées … au plus tard le", "Les plis doivent parvenir avant le": the offers
    # and a verb of delivery, whatever the tense (the date must follow in the same sentence).
    # "Votre offre, valable 60 jours, devra nous parvenir": a few words may stand between them.
    r"|\b(?:offres?|plis?|dossiers?|propositions?)\b[^.;:]{0,40}?\b(?:seront|sera|sont|est|devront|devra|doivent|doit)\s+"
    r"(?:nous\s+|me\s+|lui\s+)?(?:etre\s+)?"
    r"(?:recue?s?|receptionnee?s?|acceptee?s?|remise?s?|deposee?s?|transmise?s?|parvenir|adressee?s?|envoyee?s?|a\s+(?:remettre|deposer|transmettre))"
    r"|\bdlr[op]\b\s*:|date\s+limite\s*(?:de\s+(?:depot|remise|reception)\s*)?:|date\s+(?:de\s+)?(?:remise|reception|depot)\s+des\s+(?:offres|plis)"
    # A cover-page heading with the date right under it ("REMISE DES OFFRES / Vendredi 17 juillet 2026").
    r"|\b(?:remise|reception|depot)\s+des\s+(?:offres|plis)(?=\s+(?:(?:doit|devra)\s+(?:intervenir|avoir\s+lieu|s'effectuer|etre\s+effectuee)\s+)?(?:(?:au\s+plus\s+tard|avant|jusqu'au)\s+)?(?:le\s+)?(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|\d{1,2}\b))"
)
# A restricted procedure's RC dates the candidatures only; the offers' date comes with the invitation.
_CANDIDATURES = re.compile(
    r"date\s+(?:et\s+(?:l'\s*)?heure\s+)?limites?\s+(?:de\s+|d'\s*)?(?:remise|reception|depot|transmission)\s+des\s+candidatures"
)
# "La date limite de remise des offres sera précisée dans la lettre d'invitation": no date here.
_LATER = re.compile(
    r"\b(?:sera|seront)\s+(?:precisee?s?|communiquee?s?|indiquee?s?|fixee?s?|mentionnee?s?)\b|ulterieurement"
    # "… : voir l'avis de publicité", "… est celle indiquée sur la plateforme": the date is elsewhere.
    r"|\bvoir\b|\bcf\.|\bse\s+reporter\b|\b(?:indiquee?|mentionnee?|precisee?|figurant|fixee?)\s+(?:dans|sur|a)\s+(?:l'avis|la\s+plateforme|le\s+profil|la\s+page)"
    r"|\bcelle\s+(?:indiquee|mentionnee|fixee)|[.;]\s"
)
# "8 jours avant la date limite de réception des offres" speaks of another date.
_RELATIVE_BEFORE = re.compile(r"(?:avant|apres|suivant|precedant|compter de)\s+(?:la|cette)?\s*$")
_OTHER_TOPIC = re.compile(r"questions?|visite|renseignements?|demandes?|candidatures?|echantillons?|\bdce\b")
_WINDOW = 220


def find_deadline(
    pages: Sequence[Page], notices: Sequence[Page] | None = None
) -> tuple[str, Evidence] | None:
    """The first labelled deadline that carries a date; one with a time wins over one without.
    Without any offers' deadline, the candidatures' one (restricted procedures) is the date to meet.
    A postponement written in `notices` (the RC, the questions/answers register) wins."""
    return (
        _postponed(pages if notices is None else notices)
        or _find(pages, _LABEL)
        or _find(pages, _CANDIDATURES)
    )


# "La date limite de réception des offres (initialement fixée au 12 juin) est reportée au 19 juin":
# the new date wins wherever it is written (a modified RC, the questions/answers register).
_POSTPONED = re.compile(
    r"date\s+(?:et\s+(?:l'\s*)?heure\s+)?limites?\s+(?:de\s+|d'\s*)?(?:remise|reception|depot)\s+des\s+(?:offres|plis)"
    r"[^.;]{0,80}?\b(?:est|sont|sera|seront|a\s+ete|ont\s+ete)\s+(?:reportee?s?|repoussee?s?|prorogee?s?|decalee?s?|prolongee?s?)"
    r"\s+(?:jusqu'\s*)?(?:au|a\s+la\s+date\s+du|a)\s+"
)


def _postponed(pages: Sequence[Page]) -> tuple[str, Evidence] | None:
    for page in pages:
        for m in _POSTPONED.finditer(page.folded):
            found = find_date(page.folded, m.end(), min(len(page.folded), m.end() + 40))
            if found is None:
                continue
            at = find_time(page.folded, found.end, min(len(page.folded), found.end + 40))
            return iso_of(found, at), page.evidence_at(m.start(), max(found.end, at.end if at else 0))
    return None


def _find(pages: Sequence[Page], label: re.Pattern[str]) -> tuple[str, Evidence] | None:
    dated: tuple[str, Evidence] | None = None
    for page in pages:
        text = page.folded
        for m in label.finditer(text):
            if _RELATIVE_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
                continue
            # A bare "Date limite :" belongs to whatever is named just before it (questions, visit…).
            bare = m.group().startswith("date limite") and m.group().rstrip().endswith(":")
            if bare and _OTHER_TOPIC.search(text[max(0, m.start() - 80) : m.start()]):
                continue
            line = page.line_at(m.start())
            if line is not None and "...." in line.text and line.text.rstrip()[-1:].isdigit():
                continue  # table of contents
            found = find_date(text, m.end(), min(len(text), m.end() + _WINDOW))
            if found is None:
                continue
            between = text[m.end() : found.start]
            if re.search(r"\b(?:questions?|visite|demandes?)\b", between) or _LATER.search(between):
                continue
            at = find_time(text, found.end, min(len(text), found.end + 140))
            if at is None:
                at = find_time(text, m.end(), found.start)
            end = max(found.end, at.end if at else 0)
            quote = page.flat[m.start() : end].strip()
            evidence = page.evidence(quote)
            value = iso_of(found, at)
            if at is not None:
                return value, evidence
            if dated is None:
                dated = (value, evidence)
    return dated
