"""Headings and sections of a piece, whatever their numbering: "3.2 Jugement", "ARTICLE 5 –",
roman "IV.", lettered "A –", or a short line in capitals. A reader looks for its field in the section
whose heading speaks of it (criteria under "7 - JUGEMENT"), and falls back to the whole text."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .source import Line, Page, piece_groups
from .text import has_leaders, has_word

# On folded text: the heading's mark, then its title (which starts with a letter).
MARK = re.compile(
    r"^(?:(?:article|chapitre|section|titre|partie)\s+(?:(\d{1,2}(?:\.\d{1,2}){0,3})|([ivxl]{1,6})|([a-h]))\b\s*[-–:.)]?\s*"
    r"|(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s*[-–:.)]?\s+|([ivx]{1,5})\s*[-–.)]\s*|([a-h])\s*[-–.)]\s+)(?=[a-z])"
)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


def _roman(text: str) -> int:
    values = [_ROMAN[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@dataclass(frozen=True, slots=True)
class Heading:
    title: str  # folded, without its mark
    depth: int  # 1 for "ARTICLE 5", "IV.", "A –", capitals; 2 for "3.2"…
    number: tuple[int, ...]  # (0,) when the heading has no number


def heading(line: Line) -> Heading | None:
    """The line as a heading, when it is one (short, marked or in capitals, not a sentence)."""
    text = line.text.strip()
    if line.cells or len(text) > 100 or has_leaders(text) or text.endswith((",", ";")):
        return None
    m = MARK.match(line.folded)
    if m is not None:
        title = line.folded[m.end() :].strip(" .:")
        if not has_word(title) or len(title.split()) > 12 or ":" in title:
            return None  # "1. Qualité des repas : 45 %" is a list item with its value
        digits = m.group(1) or m.group(4)
        if digits:
            number = tuple(int(x) for x in digits.split("."))
            return Heading(title, len(number), number)
        roman = m.group(2) or m.group(5)
        if roman:
            return Heading(title, 1, (_roman(roman),))
        return Heading(title, 1, (ord((m.group(3) or m.group(6))[0]) - 96,))
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters) and len(text.split()) <= 10:
        return Heading(line.folded.strip(" .:"), 1, (0,))
    return None


@dataclass(slots=True)
class Section:
    heading: Heading
    page: Page  # where the heading is
    line: Line
    lines: list[tuple[Page, Line]]  # under the heading, up to the next heading of its depth or above


def sections(pages: Sequence[Page], topic: frozenset[str]) -> Iterator[Section]:
    """The sections, piece by piece, whose heading's title has one of the `topic` words (folded)."""
    for group in piece_groups(pages):
        marks = [(p, line, heading(line)) for p in group for line in p.lines]
        for i, (page, line, head) in enumerate(marks):
            if head is None or topic.isdisjoint(head.title.replace("'", " ").split()):
                continue
            body: list[tuple[Page, Line]] = []
            for other_page, other, other_head in marks[i + 1 :]:
                # A marked heading ends at the next marked one of its depth or above; a heading in
                # capitals at the next heading of any kind.
                # A number lower than the heading's own ("7. CRITÈRES" then "1. Qualité") is a list.
                if (
                    other_head is not None
                    and other_head.depth <= head.depth
                    and (head.number == (0,) or other_head.number != (0,))
                    and not (other_head.depth == head.depth and (0,) < other_head.number < head.number)
                ):
                    break
                body.append((other_page, other))
            yield Section(head, page, line, body)


def heading_above(page: Page, line: Line, reach: int = 3) -> Heading | None:
    """The heading of the section `line` sits in, when it is at most `reach` lines above it on the
    page ("B – Procédure / Appel d'offres ouvert.": the heading gives the sentence its topic)."""
    index = next((i for i, other in enumerate(page.lines) if other is line), None)
    if index is None:
        return None
    for other in reversed(page.lines[max(0, index - reach) : index]):
        head = heading(other)
        if head is not None:
            return head
    return None
