"""XLSX with openpyxl (read-only, cached values): one page per sheet, one line per non-empty row."""

from __future__ import annotations

import datetime as dt
import io
import logging

from openpyxl import load_workbook

from app.dce.extractors.result import Extraction
from app.domain.document import PageText

log = logging.getLogger(__name__)

BROKEN = "Classeur Excel (XLSX) illisible ou endommagé."
MAX_ROWS = 100_000  # per sheet: a price schedule never needs more
MAX_CHARS = 4_000_000


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def extract_xlsx(data: bytes) -> Extraction:
    try:
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
