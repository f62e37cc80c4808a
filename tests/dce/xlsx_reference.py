"""The XLSX reader before issue 13 (openpyxl, read-only, cached values): the reference the streaming
reader must match line for line."""

from __future__ import annotations

import datetime as dt
import io
import logging
import time
import zipfile

from openpyxl import load_workbook

from app.dce.extractors.result import Extraction
from app.domain.document import PageText

log = logging.getLogger(__name__)

BROKEN = "Classeur Excel (XLSX) illisible ou endommagé."
MAX_ROWS = 100_000  # per sheet: a price schedule never needs more
MAX_CHARS = 4_000_000
MIB = 1024 * 1024
# openpyxl streams the sheets (read-only) but loads the shared strings whole: the XML is bounded.
MAX_XML_BYTES = 96 * MIB
MAX_SECONDS = 60.0


def _xml_size(data: bytes) -> int:
    """Uncompressed size of the sheets and shared strings (what openpyxl reads)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sum(
            i.file_size
            for i in zf.infolist()
            if i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml"
        )


def too_big(size: int, limit: int = MAX_XML_BYTES) -> str:
    return (
        f"Classeur Excel (XLSX) trop volumineux pour être lu ({size // MIB} Mo de données XML, au-delà de "
        f"{limit // MIB} Mo) : stocké, non lu."
    )


def too_slow(seconds: float) -> str:
    return f"Classeur Excel (XLSX) trop long à lire (plus de {seconds:.0f} s) : stocké, non lu."


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def extract_xlsx_reference(
    data: bytes, *, max_xml_bytes: int = MAX_XML_BYTES, max_seconds: float = MAX_SECONDS
) -> Extraction:
    deadline = time.monotonic() + max_seconds
    try:
        size = _xml_size(data)
        if size > max_xml_bytes:
            log.info("xlsx over its reading budget")
            return Extraction("xlsx", paged=False, unread_reason=too_big(size, max_xml_bytes))
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        log.info("xlsx unreadable: %s", type(exc).__name__)
        return Extraction("xlsx", paged=False, error=BROKEN)
    pages: list[PageText] = []
    try:
        for number, ws in enumerate(wb.worksheets, start=1):
            lines = [f"Feuille « {ws.title} »"]
            size = 0
            for rows, row in enumerate(ws.iter_rows(values_only=True)):
                if rows >= MAX_ROWS or size >= MAX_CHARS:
                    break
                if rows % 1000 == 0 and time.monotonic() > deadline:
                    log.info("xlsx over its reading time")
                    return Extraction("xlsx", paged=False, unread_reason=too_slow(max_seconds))
                cells = [t for t in (cell_text(v) for v in row) if t]
                if cells:
                    line = "\t".join(cells)
                    size += len(line)
                    lines.append(line)
            pages.append(PageText(number, "\n".join(lines)))
    except Exception as exc:
        log.info("xlsx sheet unreadable: %s", type(exc).__name__)
        if not pages:
            return Extraction("xlsx", paged=False, error=BROKEN)
    finally:
        wb.close()
    return Extraction("xlsx", pages, paged=False)
