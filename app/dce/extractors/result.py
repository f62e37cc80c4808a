"""What every extractor returns (picklable: it crosses process boundaries)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from app.domain.document import PageText


class ExtractionError(Exception):
    """The file cannot be read; the message is French and shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class Extraction:
    format: str  # pdf, docx, xlsx, odt, ods, unread
    pages: list[PageText] = field(default_factory=list)
    paged: bool = True
    unread_reason: str | None = None
    error: str | None = None


# Fewer letters/digits than this on a PDF page: it is a scan (or a drawing) and needs OCR.
OCR_MIN_CHARS = 20
_ALNUM = re.compile(r"[^\W_]")  # exactly the characters for which str.isalnum() is true


def needs_ocr(text: str) -> bool:
    """True when the page has fewer than OCR_MIN_CHARS letters or digits; stops counting at that
    many (a text page is decided in its first words, not after scanning all of it)."""
    return next(islice(_ALNUM.finditer(text), OCR_MIN_CHARS - 1, None), None) is None


def split_pages(blocks: list[tuple[str, bool]]) -> list[PageText]:
    """(text, page_break_before) blocks → pages for formats without real pages (DOCX, ODT)."""
    pages: list[list[str]] = [[]]
    for text, brk in blocks:
        if brk and pages[-1]:
            pages.append([])
        if text.strip():
            pages[-1].append(text)
    return [PageText(i + 1, "\n".join(lines)) for i, lines in enumerate(pages) if lines or i == 0]
