"""ODT and ODS (LibreOffice) with zipfile and ElementTree: no extra package.

content.xml is read as a stream (ElementTree.iterparse over the ZIP member): each block of the body
(paragraph, list, table; a sheet for ODS) is turned into lines and dropped, so memory holds one block.
A per-file budget (uncompressed XML size, reading time) bounds the rest: past it the piece is stored
*non lu* with its reason."""

from __future__ import annotations

import io
import logging
import time
import zipfile
from collections.abc import Callable, Iterator
from typing import Any
from xml.etree import ElementTree as ET

from app.dce.extractors.result import Extraction, split_pages
from app.domain.document import CELL_BREAK, CELL_SEP, PageText

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


MIB = 1024 * 1024
MAX_XML = 48 * MIB  # content.xml, uncompressed: read as a stream, one block at a time
MAX_SECONDS = 60.0
MAX_REPEAT = 50  # repeated rows/cells with content are shown at most this many times
BROKEN_ODT = "Document OpenDocument (ODT) illisible ou endommagé."
BROKEN_ODS = "Classeur OpenDocument (ODS) illisible ou endommagé."
_LABELS = {"odt": "Document OpenDocument (ODT)", "ods": "Classeur OpenDocument (ODS)"}


class _OverBudget(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Counted(io.RawIOBase):
    """A ZIP member that refuses to give more than `limit` bytes or to run past `deadline`."""

    def __init__(self, member: Any, limit: int, deadline: float, fmt: str, max_seconds: float) -> None:
        self.member, self.limit, self.deadline = member, limit, deadline
        self.fmt, self.max_seconds, self.read_bytes = fmt, max_seconds, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk: bytes = self.member.read(min(size, MIB) if size and size > 0 else MIB)
        self.read_bytes += len(chunk)
        if self.read_bytes > self.limit:
            raise _OverBudget(_too_big(self.fmt, self.read_bytes, self.limit))
        if time.monotonic() > self.deadline:
            raise _OverBudget(_too_slow(self.fmt, self.max_seconds))
        return chunk


def _too_big(fmt: str, size: int, limit: int) -> str:
    return (
        f"{_LABELS[fmt]} trop volumineux pour être lu ({size // MIB} Mo de texte XML, au-delà de "
        f"{limit // MIB} Mo) : stocké, non lu."
    )


def _too_slow(fmt: str, seconds: float) -> str:
    return f"{_LABELS[fmt]} trop long à lire (plus de {seconds:.0f} s) : stocké, non lu."


def _stream(
    data: bytes,
    fmt: str,
    container: str,
    on_block: Callable[[ET.Element, set[str]], None],
    max_xml: int,
    max_seconds: float,
) -> None:
    """Feed each child of office:body/office:`container` to `on_block`, then drop it."""
    deadline = time.monotonic() + max_seconds
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("content.xml")
        if info.file_size > max_xml:
            raise _OverBudget(_too_big(fmt, info.file_size, max_xml))
        with zf.open(info) as member:
            source = _Counted(member, max_xml, deadline, fmt, max_seconds)
            stack: list[ET.Element] = []
            breaks: set[str] = set()
            # ElementTree never fetches external entities and expat (>= 2.4.1) caps entity expansion.
            for event, el in ET.iterparse(source, events=("start", "end")):  # noqa: S314
                if event == "start":
                    stack.append(el)
                    continue
                stack.pop()
                depth = len(stack)
                if depth == 1 and el.tag != _q("office", "body"):
                    breaks |= _break_styles(el)  # automatic styles come before the body
                    el.clear()
                elif (
                    depth == 3
                    and stack[1].tag == _q("office", "body")
                    and stack[2].tag == _q("office", container)
                ):
                    on_block(el, breaks)
                    el.clear()
                    stack[2].remove(el)
                if time.monotonic() > deadline:
                    raise _OverBudget(_too_slow(fmt, max_seconds))


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
        # A cell's paragraphs stay on the row's line (CELL_BREAK), as in PDF and DOCX tables.
        text = CELL_BREAK.join(t for t in (_inline(p).strip() for p in cell.iter(_q("text", "p"))) if t)
        if text:
            repeat = min(int(cell.get(_q("table", "number-columns-repeated"), "1")), MAX_REPEAT)
            out.extend([text] * repeat)
        elif out or cell is not row[-1]:
            out.append("")  # an empty cell keeps its place (a sub-row's empty first cell), once
    while out and not out[-1]:
        out.pop()
    return out


def _rows(table: ET.Element) -> Iterator[str]:
    for row in table.iter(_q("table", "table-row")):
        cells = _cells(row)
        if cells:
            repeat = min(int(row.get(_q("table", "number-rows-repeated"), "1")), MAX_REPEAT)
            for _ in range(repeat):
                yield CELL_SEP.join(cells)


def _odt_block(child: ET.Element, breaks: set[str]) -> Iterator[tuple[str, bool]]:
    if child.tag in (_q("text", "p"), _q("text", "h")):
        yield _inline(child), child.get(_q("text", "style-name"), "") in breaks
    elif child.tag == _q("table", "table"):
        for line in _rows(child):
            yield line, False
    else:  # lists, sections, frames: their paragraphs in order
        yield from _odt_blocks(child, breaks)


def _odt_blocks(el: ET.Element, breaks: set[str]) -> Iterator[tuple[str, bool]]:
    for child in el:
        yield from _odt_block(child, breaks)


def _has(data: bytes, container: str) -> bool:
    """Whether content.xml holds office:body/office:`container` (read only up to the body)."""
    marker = f"office:{container}".encode()
    with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open("content.xml") as fh:
        head = b""
        while chunk := fh.read(MIB):
            head = head[-64:] + chunk
            if marker in head:
                return True
    return False


def extract_odt(data: bytes, *, max_xml: int = MAX_XML, max_seconds: float = MAX_SECONDS) -> Extraction:
    blocks: list[tuple[str, bool]] = []
    try:
        _stream(
            data,
            "odt",
            "text",
            lambda el, breaks: blocks.extend(_odt_block(el, breaks)),
            max_xml,
            max_seconds,
        )
        if not blocks and not _has(data, "text"):
            raise ValueError("no office:text")
    except _OverBudget as exc:
        log.info("odt over its reading budget")
        return Extraction("odt", paged=False, unread_reason=exc.reason)
    except Exception as exc:
        log.info("odt unreadable: %s", type(exc).__name__)
        return Extraction("odt", paged=False, error=BROKEN_ODT)
    return Extraction("odt", split_pages(blocks), paged=False)


def extract_ods(data: bytes, *, max_xml: int = MAX_XML, max_seconds: float = MAX_SECONDS) -> Extraction:
    pages: list[PageText] = []

    def sheet(table: ET.Element, _breaks: set[str]) -> None:
        if table.tag != _q("table", "table"):
            return
        number = len(pages) + 1
        lines = [f"Feuille « {table.get(_q('table', 'name'), str(number))} »", *_rows(table)]
        pages.append(PageText(number, "\n".join(lines)))

    try:
        _stream(data, "ods", "spreadsheet", sheet, max_xml, max_seconds)
        if not pages and not _has(data, "spreadsheet"):
            raise ValueError("no office:spreadsheet")
    except _OverBudget as exc:
        log.info("ods over its reading budget")
        return Extraction("ods", paged=False, unread_reason=exc.reason)
    except Exception as exc:
        log.info("ods unreadable: %s", type(exc).__name__)
        return Extraction("ods", paged=False, error=BROKEN_ODS)
    return Extraction("ods", pages, paged=False)
