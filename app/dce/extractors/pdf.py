"""PDF pages with PDFium (pypdfium2): the one place that reads a PDF page.

PDFium gives each run of text with its box, and the drawn paths that rule tables; `layout` turns
them into lines in reading order with table rows kept whole. PDFium is ~14x faster than pypdf on a
real DCE and returns the same text.

pypdf stays for one thing only: a file PDFium refuses to open as damaged (not as encrypted) is
tried again with pypdf's lenient parser, whose plain text has no layout but beats an unread piece.
"""

from __future__ import annotations

import ctypes
import io
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from app.dce.extractors.layout import TAB_GAP, Frag, Rule, group_lines, layout_lines, rules_from_box
from app.dce.extractors.result import Extraction, ExtractionError, needs_ocr
from app.domain.document import PageText

log = logging.getLogger(__name__)

ENCRYPTED = (
    "PDF protégé par un mot de passe : impossible de lire son texte. "
    "Demandez à l'acheteur une version sans mot de passe."
)
BROKEN = "PDF illisible ou endommagé : son texte n'a pas pu être lu."
# PDFium is not thread-safe: one document at a time per process (workers are processes).
_LOCK = threading.Lock()
# Past this many drawn objects a page is a drawing (a plan): its tables are not looked for.
_MAX_PATHS = 4000


@contextmanager
def _document(data: bytes) -> Iterator[pdfium.PdfDocument]:
    if b"%PDF" not in data[:1024]:
        raise ExtractionError(BROKEN)
    with _LOCK:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
                raise ExtractionError(ENCRYPTED) from exc
            log.info("pdfium could not open a pdf: %s", exc)
            raise ExtractionError(BROKEN) from exc
        try:
            yield doc
        finally:
            doc.close()


def pdf_page_count(data: bytes) -> int:
    try:
        with _document(data) as doc:
            return len(doc)
    except ExtractionError as exc:
        if exc.message == ENCRYPTED:
            raise
        return len(_pypdf_reader(data).pages)


def _page_lines(page: pdfium.PdfPage) -> str:
    rules = _rules(page)
    textpage = page.get_textpage()
    try:
        frags = _segments(textpage, rules)
    finally:
        textpage.close()
    if not frags:
        return ""
    return "\n".join(layout_lines(frags, rules))


def _segments(textpage: pdfium.PdfTextPage, rules: list[Rule]) -> list[Frag]:
    """Text runs merged into segments: the runs of one visual line up to a wide gap or a ruling
    line between them, each read with one call (PDFium keeps its own spaces between words). Far
    fewer calls than one per run, and each call scans the whole page."""
    boxes = [Frag(*_box(textpage.get_rect(i))) for i in range(textpage.count_rects())]
    bounded = _BoundedText(textpage)
    # Vertical rules as (x, low y, high y); each line only looks at those that reach its height.
    walls = [(r.x0, min(r.y0, r.y1), max(r.y0, r.y1)) for r in rules if not r.horizontal]
    frags: list[Frag] = []
    for line in group_lines(boxes):
        segment = [line[0]]
        low, high = min(b.cy for b in line), max(b.cy for b in line)
        near = [w for w in walls if w[1] <= high and w[2] >= low] if walls else walls
        for box in line[1:]:
            previous = segment[-1]
            height = max(previous.height, box.height)
            cy = box.cy
            ruled = bool(near) and any(
                previous.cx < x < box.cx and y_low <= cy <= y_high for x, y_low, y_high in near
            )
            if ruled or box.left - previous.right > TAB_GAP * height:
                frags.extend(_read(bounded, segment))
                segment = [box]
            else:
                segment.append(box)
        frags.extend(_read(bounded, segment))
    return frags


def _box(rect: tuple[float, float, float, float]) -> tuple[float, float, float, float, str]:
    left, bottom, right, top = rect
    return left, bottom, right, top, ""


class _BoundedText:
    """The text inside a box of one page, read with ONE call to PDFium (the helper's
    get_text_bounded makes two, the first for the length: each scans the whole page) into a buffer
    as long as the page's text; a box whose text would not fit is read by the helper."""

    def __init__(self, textpage: pdfium.PdfTextPage) -> None:
        self.textpage = textpage
        self.size = 2 * max(textpage.count_chars(), 0) + 64
        self.buffer = (ctypes.c_ushort * self.size)()

    def __call__(self, left: float, bottom: float, right: float, top: float) -> str:
        count = pdfium_c.FPDFText_GetBoundedText(
            self.textpage.raw, left, top, right, bottom, self.buffer, self.size
        )
        if count >= self.size:
            return str(self.textpage.get_text_bounded(left, bottom, right, top))
        if count > 0 and self.buffer[count - 1] == 0:
            count -= 1  # the terminating NUL PDFium writes after the text
        if count <= 0:
            return ""
        return ctypes.string_at(self.buffer, 2 * count).decode("utf-16-le", errors="ignore")


def _read(bounded: _BoundedText, segment: list[Frag]) -> list[Frag]:
    left, right = segment[0].left, max(f.right for f in segment)
    # The tallest run's band, its top trimmed: the line above's descenders are not caught (the
    # bottom stays whole: full stops and commas sit at the bottom of their boxes).
    body = max(segment, key=lambda f: f.height)
    text = bounded(left, body.bottom, right, body.top - 0.2 * body.height)
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\x02", "")
    if not text.strip():
        return []
    bottom, top = min(f.bottom for f in segment), max(f.top for f in segment)
    return [Frag(left, bottom, right, top, text)]


def _rules(page: pdfium.PdfPage) -> list[Rule]:
    """The drawn paths that may rule a table (their boxes), form XObjects included. Raw calls:
    the helper's object wrappers cost more than the reading itself on pages full of lines."""
    rules: list[Rule] = []
    box = [ctypes.c_float() for _ in range(4)]
    todo: list[tuple[object, int]] = [(page.raw, 0)]
    seen = 0
    while todo:
        parent, depth = todo.pop()
        if depth == 0:
            count, get = pdfium_c.FPDFPage_CountObjects(parent), pdfium_c.FPDFPage_GetObject
        else:
            count, get = pdfium_c.FPDFFormObj_CountObjects(parent), pdfium_c.FPDFFormObj_GetObject
        for i in range(count):
            obj = get(parent, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                seen += 1
                if seen > _MAX_PATHS:
                    return []
                if pdfium_c.FPDFPageObj_GetBounds(obj, *box):
                    left, bottom, right, top = (v.value for v in box)
                    rules.extend(rules_from_box(left, bottom, right, top))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 2:
                todo.append((obj, depth + 1))
    return rules


def extract_pdf(
    data: bytes, start: int = 0, stop: int | None = None, *, should_stop: Callable[[], bool] | None = None
) -> Extraction:
    """Pages [start, stop) (0-based), numbered from start + 1. A damaged page is empty, not fatal.
    `should_stop` is checked between pages (cancel): the pages read so far are returned."""
    try:
        with _document(data) as doc:
            count = len(doc)
            stop = count if stop is None else min(stop, count)
            pages: list[PageText] = []
            failed = 0
            for index in range(start, stop):
                if should_stop is not None and should_stop():
                    break
                try:
                    page = doc[index]
                    try:
                        text = _page_lines(page)
                    finally:
                        page.close()
                except Exception as exc:  # one damaged page is empty, the rest is read
                    log.info("pdf page %d unreadable: %s", index + 1, type(exc).__name__)
                    failed += 1
                    text = ""
                pages.append(PageText(index + 1, text, needs_ocr(text)))
    except ExtractionError as exc:
        if exc.message == ENCRYPTED:
            return Extraction("pdf", error=exc.message)
        return _extract_pypdf(data, start, stop, should_stop)
    error = BROKEN if pages and failed == len(pages) else None
    return Extraction("pdf", pages, paged=True, error=error)


# --- fallback: files PDFium refuses as damaged -------------------------------------------------


def _pypdf_reader(data: bytes):  # type: ignore[no-untyped-def]
    from pypdf import PdfReader  # imported only for the rare damaged file

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


def _extract_pypdf(
    data: bytes, start: int, stop: int | None, should_stop: Callable[[], bool] | None
) -> Extraction:
    try:
        reader = _pypdf_reader(data)
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
