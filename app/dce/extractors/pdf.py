"""PDF pages with pypdf in plain mode (the one function that reads a PDF page)."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

from pypdf import PdfReader

from app.dce.extractors.result import Extraction, ExtractionError, needs_ocr
from app.domain.document import PageText

log = logging.getLogger(__name__)

ENCRYPTED = (
    "PDF protégé par un mot de passe : impossible de lire son texte. "
    "Demandez à l'acheteur une version sans mot de passe."
)
BROKEN = "PDF illisible ou endommagé : son texte n'a pas pu être lu."


def open_pdf(data: bytes) -> PdfReader:
    """Open a PDF; one with an empty user password (print/copy restrictions only) opens too."""
    if b"%PDF" not in data[:1024]:
        raise ExtractionError(BROKEN)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            ok: object
            try:
                ok = reader.decrypt("")
            except Exception:  # unsupported algorithm, corrupt /Encrypt
                ok = 0
            if not ok:
                raise ExtractionError(ENCRYPTED)
        _ = len(reader.pages)
    except ExtractionError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        log.info("pdf open failed: %s", type(exc).__name__)
        raise ExtractionError(BROKEN) from exc
    return reader


def pdf_page_count(data: bytes) -> int:
    return len(open_pdf(data).pages)


def extract_pdf(
    data: bytes, start: int = 0, stop: int | None = None, *, should_stop: Callable[[], bool] | None = None
) -> Extraction:
    """Pages [start, stop) (0-based), numbered from start + 1. A damaged page is empty, not fatal.
    `should_stop` is checked between pages (cancel): the pages read so far are returned."""
    try:
        reader = open_pdf(data)
    except ExtractionError as exc:
        return Extraction("pdf", error=exc.message)
    count = len(reader.pages)
    stop = count if stop is None else min(stop, count)
    pages: list[PageText] = []
    failed = 0
    for index in range(start, stop):
        if should_stop is not None and should_stop():
            break
        try:
            text = reader.pages[index].extract_text() or ""
        except Exception as exc:
            log.info("pdf page %d unreadable: %s", index + 1, type(exc).__name__)
            failed += 1
            text = ""
        pages.append(PageText(index + 1, text, needs_ocr(text)))
    error = BROKEN if pages and failed == len(pages) else None
    return Extraction("pdf", pages, paged=True, error=error)
