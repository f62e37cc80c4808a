"""Sentence-level helpers shared by the single-clause rules (procedure, variants, visit, …)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .source import Page

Hit = tuple[Page, re.Match[str]]


def scan(pages: Iterable[Page], pattern: re.Pattern[str]) -> Iterable[Hit]:
    for page in pages:
        for m in pattern.finditer(page.folded):
            yield page, m


def sentence(page: Page, m: re.Match[str]) -> tuple[str, str]:
    """(folded sentence, verbatim sentence) around a match."""
    quote = page.quote_around(m.start(), m.end())
    start = page.flat.find(quote)
    return page.folded[start : start + len(quote)], quote


def under_heading(page: Page, m: re.Match[str], folded: str, quote: str) -> tuple[str, str]:
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
