"""DOCX, streamed: paragraphs and tables in document order, split at hard page breaks.

The main part's XML is fed to an lxml pull parser from the ZIP member, one MiB at a time; each
top-level block (paragraph, table, content control) is read by the rules python-docx applies to
`Paragraph.text` and `Table.rows` / `_Row.cells` / `_Cell.text` (written out here on plain lxml
elements, so that the extraction process does not load python-docx: issue 13), then dropped: memory
holds one block, not the document. A per-file budget (uncompressed XML size, reading time) bounds the
rest: past it the piece is stored *non lu* with its reason and the other pieces import as usual.

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

from lxml import etree

from app.dce.extractors.docx_numbering import Numbering
from app.dce.extractors.ooxml import NSMAP, qn
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


def _parser() -> Any:
    """The options python-docx parses its parts with (blank text between elements dropped)."""
    return etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


def _small_part(zf: zipfile.ZipFile, name: str | None) -> Any:
    if not name:
        return None
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise _OverBudget(too_big(info.file_size, MAX_PART_BYTES))
    return etree.fromstring(zf.read(info), _parser())


_W_P = qn("w:p")
_W_R = qn("w:r")
_W_T = qn("w:t")
_W_BR = qn("w:br")
_W_CR = qn("w:cr")
_W_TAB = qn("w:tab")
_W_PTAB = qn("w:ptab")
_W_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
_W_HYPERLINK = qn("w:hyperlink")
_W_TBL = qn("w:tbl")
_W_TR = qn("w:tr")
_W_TC = qn("w:tc")
_W_TRPR = qn("w:trPr")
_W_TCPR = qn("w:tcPr")
_W_GRID_BEFORE = qn("w:gridBefore")
_W_GRID_SPAN = qn("w:gridSpan")
_W_VMERGE = qn("w:vMerge")
_W_SDT = qn("w:sdt")
_W_SDT_CONTENT = qn("w:sdtContent")
_W_TYPE = qn("w:type")
_W_VAL = qn("w:val")


def _run_text(r: Any) -> str:
    """python-docx's `CT_R.text`: text, tabs, soft line breaks, non-breaking hyphens, in order."""
    out: list[str] = []
    for child in r.iterchildren(_W_T, _W_TAB, _W_PTAB, _W_BR, _W_CR, _W_NO_BREAK_HYPHEN):
        tag = child.tag
        if tag == _W_T:
            out.append(child.text or "")
        elif tag in (_W_TAB, _W_PTAB):
            out.append("\t")
        elif tag == _W_CR:
            out.append("\n")
        elif tag == _W_BR:  # page and column breaks give nothing, line breaks a new line
            out.append("\n" if child.get(_W_TYPE, "textWrapping") == "textWrapping" else "")
        else:
            out.append("-")
    return "".join(out)


def _paragraph_text(p: Any) -> str:
    """python-docx's `Paragraph.text`: the paragraph's runs and its hyperlinks' runs."""
    out: list[str] = []
    for child in p.iterchildren(_W_R, _W_HYPERLINK):
        if child.tag == _W_R:
            out.append(_run_text(child))
        else:
            out.extend(_run_text(r) for r in child.iterchildren(_W_R))
    return "".join(out)


def _paragraph(child: Any, numbering: Numbering) -> Iterator[tuple[str, bool]]:
    before = bool(child.xpath("./w:pPr/w:pageBreakBefore", namespaces=NSMAP))
    text = _paragraph_text(child)
    yield (numbering.prefix(child) + text if text.strip() else text), before
    if child.xpath(".//w:br[@w:type='page']", namespaces=NSMAP):
        yield "", True


def _blocks(el: Any, numbering: Numbering) -> Iterator[tuple[str, bool]]:
    """The lines of one top-level block (as python-docx reads it)."""
    tag = el.tag
    if tag == _W_P:
        yield from _paragraph(el, numbering)
    elif tag == _W_TBL:
        yield from _table(el)
    elif tag == _W_SDT:  # content controls wrap paragraphs and tables
        for content in el.iterchildren(_W_SDT_CONTENT):
            for child in content.iterchildren():
                yield from _blocks(child, numbering)


def _int_val(props: Any, tag: str, default: int) -> int:
    """`./tag/@w:val` of a properties element as an int (python-docx raises on a bad value)."""
    el = props.find(tag) if props is not None else None
    if el is None:
        return default
    return int(el.get(_W_VAL))


def _grid_span(tc: Any) -> int:
    return _int_val(tc.find(_W_TCPR), _W_GRID_SPAN, 1)


def _continues_above(tc: Any) -> bool:
    """A cell of the second or later row of a vertical merge (w:vMerge without val = continue)."""
    tc_pr = tc.find(_W_TCPR)
    vmerge = tc_pr.find(_W_VMERGE) if tc_pr is not None else None
    return vmerge is not None and vmerge.get(_W_VAL, "continue") == "continue"


def _tc_at_grid_offset(tr: Any, grid_offset: int) -> Any:
    remaining = grid_offset - _int_val(tr.find(_W_TRPR), _W_GRID_BEFORE, 0)
    for tc in tr.iterchildren(_W_TC):
        if remaining < 0:
            break
        if remaining == 0:
            return tc
        remaining -= _grid_span(tc)
    raise ValueError(f"no tc at grid offset {grid_offset}")


def _tc_above(tc: Any) -> Any:
    tr = tc.getparent()
    above = next(tr.itersiblings(_W_TR, preceding=True), None)
    if above is None:
        raise ValueError("no row above the first row")
    offset = _int_val(tr.find(_W_TRPR), _W_GRID_BEFORE, 0) + sum(
        _grid_span(t) for t in tc.itersiblings(_W_TC, preceding=True)
    )
    return _tc_at_grid_offset(above, offset)


def _row_cells(tr: Any) -> list[Any]:
    """python-docx's `_Row.cells`: one w:tc per layout-grid cell (a horizontal span repeats its
    cell, a vertically merged cell is the merge's first cell)."""
    cells: list[Any] = []
    for tc in tr.iterchildren(_W_TC):
        while _continues_above(tc):
            tc = _tc_above(tc)
        cells.extend([tc] * _grid_span(tc))
    return cells


def _cell_text(tc: Any) -> str:
    return "\n".join(_paragraph_text(p) for p in tc.iterchildren(_W_P))


def _table(tbl: Any) -> Iterator[tuple[str, bool]]:
    try:
        for tr in tbl.iterchildren(_W_TR):
            row = _row_cells(tr)  # holds the elements: their identities stay distinct
            seen: set[int] = set()
            cells: list[str] = []
            for tc in row:
                if id(tc) in seen:  # merged cells repeat
                    continue
                seen.add(id(tc))
                # A cell's paragraphs stay on the row's line (CELL_BREAK), like a PDF cell's lines.
                text = CELL_BREAK.join(p.strip() for p in _cell_text(tc).split("\n") if p.strip())
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
                blocks.extend(_blocks(el, numbering))
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
