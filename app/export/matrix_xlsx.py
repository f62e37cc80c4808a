"""The requirements matrix (and the go/no-go) as an XLSX workbook (openpyxl)."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.domain.fsutil import atomic_write_bytes
from app.domain.labels import short_piece_label
from app.drafting.gonogo import GoNoGo
from app.drafting.requirements import Coverage, Requirement, coverage_summary
from app.drafting.text import surface_words

_FILLS = {
    Coverage.COUVERTE: "C6EFCE",
    Coverage.PARTIELLE: "FFEB9C",
    Coverage.NON_COUVERTE: "FFC7CE",
    "ok": "C6EFCE",
    "à vérifier": "FFEB9C",
    "bloquant": "FFC7CE",
}
MATRIX_HEADER = [
    "N°",
    "Exigence",
    "Fichier",
    "Page",
    "Pièce",
    "Section du mémoire",
    "Couverture",
    "Termes manquants",
]


def _sheet_header(ws: object, header: list[str], widths: list[int]) -> None:
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(ws, Worksheet)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E2F3")
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"


def write_matrix(requirements: list[Requirement], path: Path, gonogo: GoNoGo | None = None) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Exigences"
    _sheet_header(ws, MATRIX_HEADER, [9, 80, 28, 7, 16, 40, 14, 40])
    wrap = Alignment(wrap_text=True, vertical="top")
    for r in requirements:
        missing = [t for t in r.terms if t not in r.matched_terms]
        ws.append(
            [
                r.ident,
                r.text,
                r.file,
                r.page,
                short_piece_label(r.origin),
                r.section_label,
                r.coverage.value,
                ", ".join(surface_words(r.text, missing)),
            ]
        )
        row = ws.max_row
        ws.cell(row=row, column=2).alignment = wrap
        ws.cell(row=row, column=7).fill = PatternFill("solid", fgColor=_FILLS[r.coverage])
    summary = wb.create_sheet("Synthèse")
    _sheet_header(summary, ["Couverture", "Exigences"], [20, 12])
    for cov, count in coverage_summary(requirements).items():
        summary.append([cov.value, count])
    summary.append(["total", len(requirements)])
    if gonogo is not None:
        ws2 = wb.create_sheet("Go-no-go")
        _sheet_header(ws2, ["Vérification", "Statut", "Détail", "Source"], [30, 14, 80, 30])
        for c in gonogo.checks:
            ws2.append([c.label, c.status.value, c.detail, c.source])
            ws2.cell(row=ws2.max_row, column=2).fill = PatternFill("solid", fgColor=_FILLS[c.status.value])
        ws2.append([])
        ws2.append(["Verdict", gonogo.verdict.value])
    buffer = io.BytesIO()
    wb.save(buffer)
    atomic_write_bytes(path, buffer.getvalue(), mode=0o644)
