"""Text normalisation shared by the offline rules.

Rules match on a *folded* copy of the text (lower case, no accents, straight apostrophes) that has
exactly the same length as the original, so a match position slices the original for a verbatim quote.
"""

from __future__ import annotations

import re

from app.domain.text import fold as fold  # one home for folding (grounding and the source viewer)


def squash(text: str) -> str:
    """Collapse every run of whitespace to one space (quotes may be whitespace-normalised)."""
    return " ".join(text.split())


_LEADERS = re.compile(r"(?:\.\s?){4,}|…{2,}|_{4,}")


def has_leaders(line: str) -> bool:
    """True for table-of-contents or form lines ("Objet ........ 3")."""
    return bool(_LEADERS.search(line))


def blank_leaders(text: str) -> str:
    """The leaders replaced by as many spaces (offsets kept)."""
    return _LEADERS.sub(lambda m: " " * len(m.group()), text)


def strip_leaders(text: str) -> str:
    return squash(_LEADERS.sub(" ", text))


# Words ("quatre mois", "cent vingt jours") as written in French legal text.
_UNITS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "quatre-vingt": 80,
    "quatre-vingts": 80,
    "quatre-vingt-dix": 90,
    "cent": 100,
    "cents": 100,
}
# Atomic and possessive (Python 3.11): a run of number words is read one way only, so a long run
# that does not end in "jours" cannot make the regex engine backtrack exponentially.
_NUMBER_WORD = (
    r"\b(?>cent|deux cents?|trois cents?|quatre-vingt-dix|quatre-vingts?|soixante|cinquante|quarante|"
    r"trente|vingt|seize|quinze|quatorze|treize|douze|onze|dix|neuf|huit|sept|six|cinq|quatre|trois|"
    r"deux|une|un)\b"
)
NUMBER_WORDS = rf"(?:{_NUMBER_WORD}(?:[ -](?:et[ -])?{_NUMBER_WORD})*+)"


def words_to_int(words: str) -> int | None:
    """'cent vingt' -> 120, 'quatre' -> 4, 'quatre-vingt-dix' -> 90; None when not a number."""
    text = fold(words).strip()
    if text in _UNITS:
        return _UNITS[text]
    for compound in ("quatre-vingt-dix", "quatre-vingts", "quatre-vingt"):
        text = text.replace(compound, compound.replace("-", "_"))
    total = 0
    current = 0
    for part in re.split(r"[\s-]+", text):
        if not part or part == "et":
            continue
        value = _UNITS.get(part.replace("_", "-"))
        if value is None:
            return None
        if value == 100:
            current = (current or 1) * 100
        else:
            current += value
    total += current
    return total or None


# "Article 9 –", "ARTICLE 4 :", "6.2", "III -": the numbering in front of a heading (folded text).
HEADING_PREFIX = (
    r"(?:(?:article|chapitre|section|titre|partie)\s+(?:\d+(?:\.\d+)*|[ivx]+|[a-h])\s*[-:.]?\s*"
    r"|\d+(?:\.\d+)*\.?\s*[-:)]?\s*|[ivx]{1,4}\s*[-.)]\s*|[a-h]\s*[-.)]\s+)?"
)


# "6.2 Jugement des offres", "Article 7 - Visite": the number of a heading line (capital after it).
_HEADING_NO = re.compile(
    r"^(?:(?i:article|chapitre|section)\s+)?(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s*[-–:.]?\s+[A-ZÀ-Ý]"
)


def heading_number(text: str) -> tuple[int, ...] | None:
    m = _HEADING_NO.match(text)
    if not m or len(text) > 110:
        return None
    return tuple(int(x) for x in m.group(1).split("."))


def is_later_section(anchor: tuple[int, ...] | None, heading: tuple[int, ...] | None) -> bool:
    """True when `heading` is a later section than the anchor's ("6.3" or "7" after "6.2")."""
    if anchor is None or heading is None or heading[: len(anchor)] == anchor:
        return False
    return heading[: len(anchor)] > anchor and heading[0] >= anchor[0]


# A list item's mark: the bullets of word processors (and their private-use glyphs from Symbol and
# Wingdings fonts), check marks and arrows; a lone "o" only when a space follows.
BULLET = re.compile(r"^(?:[•\-−–*▪►■□>✓✔→➢➤●○◦❖⇒‣\uf0b7\uf0a7\uf0fc\uf0d8]\s*|o\s+)")
_WORD = re.compile(r"[^\W\d_]{2}")


def has_word(text: str) -> bool:
    """True when the text holds a word (two letters in a row), not only numbers and signs."""
    return _WORD.search(text) is not None
