"""Text folding and the quote finder, in one place.

`fold` gives a copy of a text that has exactly the same length (lower case, no accents, typographic
quotes and dashes made ASCII), so a match position in the copy slices the original.
`find_quote` is what both the grounding check (is Claude's quote on the cited page?) and the source
viewer (highlight it) use, so what was verified is what is highlighted: case, accents, whitespace,
line breaks and typographic variants are ignored, and an ellipsis in the quote skips text in order.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = {
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "−": "-",
    "‑": "-",
    "‐": "-",
}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _QUOTES:
        return _QUOTES[char]
    low = char.lower()
    if len(low) != 1:
        low = char
    base = unicodedata.normalize("NFD", low)[0]
    return base if len(base) == 1 else low


# Built once: every Latin, Greek, punctuation and symbol character mapped to exactly one character.
_TABLE = {code: _fold_char(chr(code)) for code in (*range(0x41, 0x5B), *range(0x80, 0x2C00))}
_TABLE = {code: value for code, value in _TABLE.items() if value != chr(code)}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_match(m: re.Match[str]) -> str:
    char = m.group()
    return _TABLE.get(ord(char), char)


def fold(text: str) -> str:
    """Lower case, accents removed, typographic quotes/dashes made ASCII; same length as `text`."""
    if text.isascii():
        return text.lower()
    low = text.lower()
    if len(low) != len(text):  # a rare letter whose lower case is longer: fold char by char
        return text.translate(_TABLE)
    # Only the few non-ASCII characters need the table (far faster than translating every char).
    return _NON_ASCII.sub(_fold_match, low)


# --- the quote finder ---------------------------------------------------------------------------
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[\.\.\.\]|\[…\]|\(\.\.\.\)|\(…\))\s*")
# Ligatures the model writes out and PDF extraction keeps (or the other way round).
_EXPAND = {"œ": "oe", "æ": "ae"}


@lru_cache(maxsize=8192)
def _match_char(char: str) -> str:
    """What one character compares as ("" for whitespace): folded, ligatures expanded."""
    if char.isspace():
        return ""
    folded = _fold_char(char).casefold()
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    return _EXPAND.get(folded, folded)


def _comparable(text: str) -> tuple[str, list[int]]:
    """The text as compared (folded, no whitespace) and, for each of its characters, its index in `text`."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        folded = _match_char(char)
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` sits in `text` (start, end of its last part), or None.

    Case, accents, whitespace and typographic quotes/dashes are ignored; an ellipsis ("…", "...",
    "[…]") in the quote skips text, its parts found in order."""
    parts = [_comparable(p)[0] for p in _ELLIPSIS.split(quote)]
    parts = [p for p in parts if p]
    if not parts:
        return None
    haystack, where = _comparable(text)
    pos, start = 0, -1
    for part in parts:
        found = haystack.find(part, pos)
        if found < 0:
            return None
        if start < 0:
            start = found
        pos = found + len(part)
    return where[start], where[pos - 1] + 1


def quote_in_text(quote: str, text: str) -> bool:
    """True when every part of the quote (split on ellipses) appears in order in the text."""
    return find_quote(text, quote) is not None
