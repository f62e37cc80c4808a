"""The DOCX reader before streaming (python-docx loads the whole document): the reference the streaming
reader must match line for line."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from app.dce.extractors.docx_numbering import Numbering
from app.dce.extractors.result import Extraction, ExtractionError, split_pages
from app.domain.document import CELL_BREAK, PageText

log = logging.getLogger(__name__)

BROKEN = "Document Word (DOCX) illisible ou endommagé."


def _blocks(parent: Any, doc: Any, numbering: Numbering) -> Iterator[tuple[str, bool]]:
    for child in parent.iterchildren():
        tag = child.tag
        if tag == qn("w:p"):
            para = Paragraph(child, doc)
            before = bool(child.xpath("./w:pPr/w:pageBreakBefore"))
            text = para.text
            yield (numbering.prefix(child) + text if text.strip() else text), before
            if child.xpath(".//w:br[@w:type='page']"):
                yield "", True
        elif tag == qn("w:tbl"):
            yield from _table(Table(child, doc))
        elif tag == qn("w:sdt"):  # content controls wrap paragraphs and tables
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _blocks(content, doc, numbering)


def _table(table: Table) -> Iterator[tuple[str, bool]]:
    try:
        for row in table.rows:
            seen: set[int] = set()
            cells: list[str] = []
            for cell in row.cells:
                if id(cell._tc) in seen:  # merged cells repeat
                    continue
                seen.add(id(cell._tc))
                text = CELL_BREAK.join(
                    p.strip() for p in cell.text.split("\n") if p.strip()
                )  # the row stays one line
                cells.append(text)  # an empty cell keeps its place (a sub-row's empty first cell)
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                yield "\t".join(cells), False
    except Exception as exc:  # irregular grids
        log.info("docx table skipped: %s", type(exc).__name__)


def extract_docx_reference(data: bytes) -> Extraction:
    try:
        doc = Document(io.BytesIO(data))
        blocks = list(_blocks(doc.element.body, doc, Numbering(doc)))
    except Exception as exc:
        log.info("docx unreadable: %s", type(exc).__name__)
        return Extraction("docx", paged=False, error=ExtractionError(BROKEN).message)
    header, footer = _running(doc, "header"), _running(doc, "footer")
    pages = [
        PageText(page.number, "\n".join(x for x in (header, page.text, footer) if x))
        for page in split_pages(blocks)
    ]
    return Extraction("docx", pages, paged=False)


def _running(doc: Any, kind: str) -> str:
    """The first header (footer) part the document relates to, its paragraphs as lines."""
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/" + kind) and not rel.is_external:
            root = rel.target_part.element
            lines = ["".join(t.text or "" for t in p.iter(qn("w:t"))).strip() for p in root.iter(qn("w:p"))]
            return "\n".join(line for line in lines if line)
    return ""
