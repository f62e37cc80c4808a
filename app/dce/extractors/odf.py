"""ODT and ODS (LibreOffice) with zipfile and ElementTree: no extra package."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree as ET

from app.dce.extractors.result import Extraction, split_pages
from app.domain.document import PageText

log = logging.getLogger(__name__)

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


MAX_XML = 64 * 1024 * 1024
MAX_REPEAT = 50  # repeated rows/cells with content are shown at most this many times
BROKEN_ODT = "Document OpenDocument (ODT) illisible ou endommagé."
BROKEN_ODS = "Classeur OpenDocument (ODS) illisible ou endommagé."


def _content(data: bytes) -> ET.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("content.xml")
        if info.file_size > MAX_XML:
            raise ValueError("content.xml too large")
        # ElementTree never fetches external entities and expat (>= 2.4.1) caps entity expansion;
        # the size cap above bounds the rest.
        return ET.fromstring(zf.read(info))  # noqa: S314


def _inline(el: ET.Element) -> str:
    """Text of a paragraph with its spaces, tabs and line breaks."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if child.tag == _q("text", "s"):
            parts.append(" " * int(child.get(_q("text", "c"), "1")))
        elif child.tag == _q("text", "tab"):
            parts.append("\t")
        elif child.tag == _q("text", "line-break"):
            parts.append("\n")
        else:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _break_styles(root: ET.Element) -> set[str]:
    names: set[str] = set()
    for style in root.iter(_q("style", "style")):
        for props in style.iter(_q("style", "paragraph-properties")):
            if props.get(_q("fo", "break-before")) == "page":
                names.add(style.get(_q("style", "name"), ""))
    return names


def _cells(row: ET.Element) -> list[str]:
    out: list[str] = []
    for cell in row:
        if cell.tag not in (_q("table", "table-cell"), _q("table", "covered-table-cell")):
            continue
        text = "\n".join(_inline(p) for p in cell.iter(_q("text", "p"))).strip()
        if text:
            repeat = min(int(cell.get(_q("table", "number-columns-repeated"), "1")), MAX_REPEAT)
            out.extend([text] * repeat)
    return out


def _rows(table: ET.Element) -> Iterator[str]:
    for row in table.iter(_q("table", "table-row")):
        cells = _cells(row)
        if cells:
            repeat = min(int(row.get(_q("table", "number-rows-repeated"), "1")), MAX_REPEAT)
            for _ in range(repeat):
                yield "\t".join(cells)


def _odt_blocks(el: ET.Element, breaks: set[str]) -> Iterator[tuple[str, bool]]:
    for child in el:
        if child.tag in (_q("text", "p"), _q("text", "h")):
            yield _inline(child), child.get(_q("text", "style-name"), "") in breaks
        elif child.tag == _q("table", "table"):
            for line in _rows(child):
                yield line, False
        else:  # lists, sections, frames: their paragraphs in order
            yield from _odt_blocks(child, breaks)


def extract_odt(data: bytes) -> Extraction:
    try:
        root = _content(data)
        body = root.find("office:body/office:text", _NS)
        if body is None:
            raise ValueError("no office:text")
        blocks = list(_odt_blocks(body, _break_styles(root)))
    except Exception as exc:
        log.info("odt unreadable: %s", type(exc).__name__)
        return Extraction("odt", paged=False, error=BROKEN_ODT)
    return Extraction("odt", split_pages(blocks), paged=False)


def extract_ods(data: bytes) -> Extraction:
    try:
        root = _content(data)
        sheet_root = root.find("office:body/office:spreadsheet", _NS)
        if sheet_root is None:
            raise ValueError("no office:spreadsheet")
        pages: list[PageText] = []
        for number, table in enumerate(sheet_root.findall("table:table", _NS), start=1):
            lines = [f"Feuille « {table.get(_q('table', 'name'), str(number))} »", *_rows(table)]
            pages.append(PageText(number, "\n".join(lines)))
    except Exception as exc:
        log.info("ods unreadable: %s", type(exc).__name__)
        return Extraction("ods", paged=False, error=BROKEN_ODS)
    return Extraction("ods", pages, paged=False)
