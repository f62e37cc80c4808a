"""DOCX, streamed: paragraphs and tables in document order, split at hard page breaks.

The main part's XML is fed to an lxml pull parser from the ZIP member, one MiB at a time, with
python-docx's element classes, so each top-level block (paragraph, table, content control) is read
with python-docx's own `Paragraph.text` / `Table` rules and then dropped: memory holds one block, not
the document. A per-file budget (uncompressed XML size, reading time) bounds the rest: past it the
piece is stored *non lu* with its reason and the other pieces import as usual.

Output shape (the analysis relies on it): one line per paragraph, with Word's automatic numbering
rendered in front (`docx_numbering`); one line per table row, its cells joined by "\t" (empty ones keep their place, trailing ones dropped);
a new page at each hard page break.
"""

from __future__ import annotations

import io
import logging
import posixpath
import time
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree as ET

from docx.oxml.ns import qn
from docx.oxml.parser import element_class_lookup, oxml_parser
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from app.dce.extractors.docx_numbering import Numbering
from app.dce.extractors.result import Extraction, ExtractionError, split_pages
from app.domain.document import CELL_BREAK, CELL_SEP, PageText

log = logging.getLogger(__name__)

MIB = 1024 * 1024
BROKEN = "Document Word (DOCX) illisible ou endommagé."
# A real CCTP's document.xml is a few MiB; past these the file is abnormal (or hostile).
MAX_XML_BYTES = 48 * MIB  # the main part, uncompressed
MAX_PART_BYTES = 16 * MIB  # numbering, styles, relationships
MAX_SECONDS = 60.0
CHUNK = MIB

_REL_DOC = "/officeDocument"
_REL_NUMBERING = "/numbering"
_REL_STYLES = "/styles"
_REL_HEADER = "/header"
_REL_FOOTER = "/footer"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class _OverBudget(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def too_big(size: int, limit: int = MAX_XML_BYTES) -> str:
    return (
        f"Document Word (DOCX) trop volumineux pour être lu ({size // MIB} Mo de texte XML, au-delà de "
        f"{limit // MIB} Mo) : stocké, non lu."
    )


def too_slow(seconds: float) -> str:
    return f"Document Word (DOCX) trop long à lire (plus de {seconds:.0f} s) : stocké, non lu."


class _Parent:
    """What python-docx's Paragraph and Table want as a parent: nothing is asked of it for text."""

    part = None


def _targets(zf: zipfile.ZipFile, rels_path: str, base: str) -> dict[str, str]:
    """Relationship type suffix → part name, from a .rels part."""
    try:
        info = zf.getinfo(rels_path)
    except KeyError:
        return {}
    if info.file_size > MAX_PART_BYTES:
        raise _OverBudget(too_big(info.file_size, MAX_PART_BYTES))
    root = ET.fromstring(zf.read(info))  # noqa: S314 (no entities fetched; size capped above)
    out: dict[str, str] = {}
    for rel in root.iter(f"{_RELS_NS}Relationship"):
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        name = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        )
        out.setdefault("/" + kind, name)
    return out


def _small_part(zf: zipfile.ZipFile, name: str | None) -> Any:
    if not name:
        return None
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise _OverBudget(too_big(info.file_size, MAX_PART_BYTES))
    return etree.fromstring(zf.read(info), oxml_parser)


def _paragraph(child: Any, numbering: Numbering, parent: Any) -> Iterator[tuple[str, bool]]:
    para = Paragraph(child, parent)
    before = bool(child.xpath("./w:pPr/w:pageBreakBefore"))
    text = para.text
    yield (numbering.prefix(child) + text if text.strip() else text), before
    if child.xpath(".//w:br[@w:type='page']"):
        yield "", True


def _blocks(el: Any, numbering: Numbering, parent: Any) -> Iterator[tuple[str, bool]]:
    """The lines of one top-level block (as python-docx reads it)."""
    tag = el.tag
    if tag == qn("w:p"):
        yield from _paragraph(el, numbering, parent)
    elif tag == qn("w:tbl"):
        yield from _table(Table(el, parent))
    elif tag == qn("w:sdt"):  # content controls wrap paragraphs and tables
        for content in el.iterchildren(qn("w:sdtContent")):
            for child in content.iterchildren():
                yield from _blocks(child, numbering, parent)


def _table(table: Table) -> Iterator[tuple[str, bool]]:
    try:
        for row in table.rows:
            seen: set[int] = set()
            cells: list[str] = []
            for cell in row.cells:
                if id(cell._tc) in seen:  # merged cells repeat
                    continue
                seen.add(id(cell._tc))
                # A cell's paragraphs stay on the row's line (CELL_BREAK), like a PDF cell's lines.
                text = CELL_BREAK.join(p.strip() for p in cell.text.split("\n") if p.strip())
                cells.append(text)  # an empty cell keeps its place (a sub-row's empty first cell)
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                yield CELL_SEP.join(cells), False
    except Exception as exc:  # irregular grids
        log.info("docx table skipped: %s", type(exc).__name__)


def _stream_body(
    member: Any, numbering: Numbering, *, max_bytes: int, deadline: float, max_seconds: float
) -> list[tuple[str, bool]]:
    parser = etree.XMLPullParser(
        events=("start", "end"), remove_blank_text=True, resolve_entities=False, no_network=True
    )
    parser.set_element_class_lookup(element_class_lookup)
    parent = _Parent()
    body_tag = qn("w:body")
    blocks: list[tuple[str, bool]] = []
    depth = 0
    in_body = False
    read = 0

    def drain() -> None:
        nonlocal depth, in_body
        for event, el in parser.read_events():
            if event == "start":
                depth += 1
                if depth == 2 and el.tag == body_tag:
                    in_body = True
                continue
            depth -= 1
            if in_body and depth == 2:  # a direct child of w:body is complete
                blocks.extend(_blocks(el, numbering, parent))
                el.clear()
                body = el.getparent()
                if body is not None:
                    body.remove(el)
            elif depth == 1 and el.tag == body_tag:
                in_body = False
            if time.monotonic() > deadline:
                raise _OverBudget(too_slow(max_seconds))

    while chunk := member.read(CHUNK):
        read += len(chunk)
        if read > max_bytes:
            raise _OverBudget(too_big(read, max_bytes))
        parser.feed(chunk)
        drain()
        if time.monotonic() > deadline:
            raise _OverBudget(too_slow(max_seconds))
    parser.close()
    drain()
    return blocks


def extract_docx(
    data: bytes, *, max_xml_bytes: int = MAX_XML_BYTES, max_seconds: float = MAX_SECONDS
) -> Extraction:
    deadline = time.monotonic() + max_seconds
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        log.info("docx is not a zip")
        return Extraction("docx", paged=False, error=ExtractionError(BROKEN).message)
    try:
        with zf:
            main = _targets(zf, "_rels/.rels", "").get(_REL_DOC, "word/document.xml")
            info = zf.getinfo(main)
            if info.file_size > max_xml_bytes:
                raise _OverBudget(too_big(info.file_size, max_xml_bytes))
            base = posixpath.dirname(main)
            parts = _targets(zf, posixpath.join(base, "_rels", posixpath.basename(main) + ".rels"), base)
            numbering = Numbering(
                numbering=_small_part(zf, parts.get(_REL_NUMBERING)),
                styles=_small_part(zf, parts.get(_REL_STYLES)),
            )
            with zf.open(info) as member:
                blocks = _stream_body(
                    member, numbering, max_bytes=max_xml_bytes, deadline=deadline, max_seconds=max_seconds
                )
            # The first section's running header and footer (a consultation number, the buyer) are
            # written on every page, as a PDF prints them; the analysis sets repeated lines apart.
            header = _running_text(zf, parts.get(_REL_HEADER))
            footer = _running_text(zf, parts.get(_REL_FOOTER))
    except _OverBudget as exc:
        log.info("docx over its reading budget")
        return Extraction("docx", paged=False, unread_reason=exc.reason)
    except Exception as exc:
        log.info("docx unreadable: %s", type(exc).__name__)
        return Extraction("docx", paged=False, error=ExtractionError(BROKEN).message)
    pages = [
        PageText(page.number, "\n".join(x for x in (header, page.text, footer) if x))
        for page in split_pages(blocks)
    ]
    return Extraction("docx", pages, paged=False)


def _running_text(zf: zipfile.ZipFile, name: str | None) -> str:
    """The lines of a header or footer part (its paragraphs; tables' cells on one line)."""
    root = _small_part(zf, name)
    if root is None:
        return ""
    lines = ["".join(t.text or "" for t in p.iter(qn("w:t"))).strip() for p in root.iter(qn("w:p"))]
    return "\n".join(line for line in lines if line)
