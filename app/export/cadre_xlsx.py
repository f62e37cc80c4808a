"""Write the mémoire's answers into a copy of a questionnaire workbook (cadre de réponse XLSX).

A questionnaire sheet has a header row with a question column ("Question", "Exigence", "Critère",
"Libellé"…) and an answer column ("Réponse du candidat", "Commentaires", "Proposition du candidat").
Each row whose question matches an answered section gets the answer in its answer cell; a
"Conforme (oui/non)" column is an engagement the user makes: it is listed, never ticked for them.
The copy is made part by part like the price schedules (only the changed sheets are rewritten, and in
them only the answer cells), so formulas, validations, merged cells, widths and protection stay.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from app.domain.errors import InvalidInput
from app.export.cadre_fill import CadreAnswer, CadreReport, _matches
from app.export.formula import cell_name
from app.export.ooxml import check_package, rewrite_package
from app.export.schedule import norm
from app.export.schedule_fill import MAIN, _SheetXml, sheet_parts

_QUESTION = re.compile(r"question|exigence|critere|libelle|intitule|description|attendu")
_ANSWER = re.compile(r"reponse|commentaire|proposition du candidat|observations? du candidat")
_COMPLIANCE = re.compile(r"conforme|conformite|oui\s*/\s*non")


@dataclass
class XlsxCadreReport(CadreReport):
    to_confirm: list[str] = field(default_factory=list)  # "Conforme" cells left to the user


@dataclass
class _Table:
    sheet: str
    header_row: int
    question_col: int
    answer_col: int
    compliance_col: int | None


def _tables(ws: Any) -> list[_Table]:
    out: list[_Table] = []
    for row in ws.iter_rows(max_row=min(ws.max_row, 60)):
        kinds: dict[str, int] = {}
        for c in row:
            if not isinstance(c.value, str) or len(c.value) > 80:
                continue
            t = norm(c.value)
            if _COMPLIANCE.search(t):
                kinds.setdefault("compliance", c.column)
            elif _ANSWER.search(t):
                kinds.setdefault("answer", c.column)
            elif _QUESTION.search(t):
                kinds.setdefault("question", c.column)
        if "question" in kinds and "answer" in kinds:
            out.append(
                _Table(ws.title, row[0].row, kinds["question"], kinds["answer"], kinds.get("compliance"))
            )
            break
    return out


def _set_text(xml: _SheetXml, coord: str, text: str) -> None:
    c = xml.cell(coord, create=True)
    assert c is not None
    for child in list(c):
        c.remove(child)
    c.set("t", "inlineStr")
    is_ = etree.SubElement(c, f"{{{MAIN}}}is")
    t = etree.SubElement(is_, f"{{{MAIN}}}t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def fill_cadre_xlsx(
    source: Path, target: Path, answers: Sequence[CadreAnswer], *, name: str | None = None
) -> XlsxCadreReport:
    import openpyxl

    check_package(source, "cadre de réponse")
    report = XlsxCadreReport(name or source.name)
    try:
        wb = openpyxl.load_workbook(source)
    except Exception as exc:
        raise InvalidInput(
            f"{source.name} : classeur illisible ({type(exc).__name__}).", field="cadre de réponse"
        ) from exc
    writes: dict[str, dict[str, str]] = {}
    used: set[str] = set()
    try:
        for ws in wb.worksheets:
            for table in _tables(ws):
                for r in range(table.header_row + 1, ws.max_row + 1):
                    question = ws.cell(r, table.question_col).value
                    if not isinstance(question, str) or not question.strip():
                        continue
                    computed = [ws.cell(r, c).value for c in (table.answer_col, table.compliance_col) if c]
                    if any(isinstance(v, str) and v.startswith("=") for v in computed):
                        continue  # a summary row computed by the buyer's formulas
                    answer = next(
                        (a for a in answers if a.key not in used and _matches(question, a.question)), None
                    )
                    if table.compliance_col is not None:
                        report.to_confirm.append(f"{ws.title}!{cell_name(r, table.compliance_col)}")
                    if answer is None:
                        continue
                    cell = ws.cell(r, table.answer_col)
                    if cell.value not in (None, ""):
                        continue  # the buyer's own text, or already answered
                    if ws.protection.sheet and cell.protection.locked:
                        report.warnings.append(
                            f"{report.file_name} : la cellule {ws.title}!{cell.coordinate} est verrouillée "
                            "sur une feuille protégée : réponse non écrite (voir l'annexe)."
                        )
                        continue
                    text = re.sub(r"\n\s*\n", "\n", answer.text.strip())
                    writes.setdefault(ws.title, {})[cell.coordinate] = text
                    used.add(answer.key)
                    report.placed.append(answer.key)
    finally:
        wb.close()
    report.unplaced = [a for a in answers if a.key not in used]
    if report.unplaced:
        report.warnings.append(
            f"{report.file_name} : {len(report.unplaced)} question(s) non retrouvée(s) dans le questionnaire "
            f"({', '.join(a.key for a in report.unplaced[:8])}) : leurs réponses sont dans l'annexe "
            "« annexe_reponses_non_placees.docx »."
        )
    with zipfile.ZipFile(source) as zf:
        parts = sheet_parts(zf)
        replaced: dict[str, bytes] = {}
        for sheet, cells in writes.items():
            xml = _SheetXml(zf.read(parts[sheet]))
            for coord, text in cells.items():
                _set_text(xml, coord, text)
            replaced[parts[sheet]] = xml.bytes()
    target.parent.mkdir(parents=True, exist_ok=True)
    rewrite_package(source, target, replaced)
    if report.to_confirm:
        report.warnings.append(
            f"{report.file_name} : {len(report.to_confirm)} case(s) « Conforme (oui/non) » à renseigner par "
            "vous : c'est un engagement de l'entreprise, Maître AO ne la coche pas."
        )
    return report
