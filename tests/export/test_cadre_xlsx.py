"""Questionnaire workbook (cadre de réponse XLSX): answers in the answer column, the buyer's formulas,
validations, merged cells, widths and protection kept; "Conforme (oui/non)" left to the user."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Protection
from openpyxl.worksheet.datavalidation import DataValidation

from app.export.cadre_fill import CadreAnswer
from app.export.cadre_xlsx import fill_cadre_xlsx


def _questionnaire(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Questionnaire"
    ws.merge_cells("A1:D1")
    ws["A1"] = "Cadre de réponse technique – Lot 1"
    ws.append([])
    ws.append(["N°", "Exigence", "Réponse du candidat", "Conforme (oui/non)"])
    rows = [
        ("1", "Décrivez l'organisation de l'astreinte."),
        ("2", "Précisez le délai d'intervention sur site."),
        ("3", "Indiquez votre politique de sous-traitance."),
    ]
    for n, q in rows:
        ws.append([n, q, None, None])
        for col in ("C", "D"):
            ws[f"{col}{ws.max_row}"].protection = Protection(locked=False)
    ws.append(["", "Réponses saisies", "=COUNTA(C4:C6)", None])
    yes_no = DataValidation(type="list", formula1='"Oui,Non"', allow_blank=True)
    ws.add_data_validation(yes_no)
    yes_no.add("D4:D6")
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 80
    ws.protection.sheet = True
    wb.save(path)


def test_answers_written_buyer_workbook_kept(tmp_path: Path) -> None:
    source = tmp_path / "cadre.xlsx"
    _questionnaire(source)
    answers = [
        CadreAnswer("1", "Décrivez l'organisation de l'astreinte.", "Astreinte 24/7.\n\nDeux techniciens."),
        CadreAnswer("2", "Précisez le délai d'intervention sur site.", "4 heures."),
        CadreAnswer("9", "Présentez votre démarche RSE.", "Bilan carbone annuel."),
    ]
    out = tmp_path / "out.xlsx"
    report = fill_cadre_xlsx(source, out, answers)
    assert report.placed == ["1", "2"] and [a.key for a in report.unplaced] == ["9"]
    assert report.to_confirm == ["Questionnaire!D4", "Questionnaire!D5", "Questionnaire!D6"]
    before = openpyxl.load_workbook(source)["Questionnaire"]
    ws = openpyxl.load_workbook(out)["Questionnaire"]
    assert ws["C4"].value == "Astreinte 24/7.\nDeux techniciens." and ws["C5"].value == "4 heures."
    assert ws["C6"].value is None and ws["D4"].value is None  # never ticked for the user
    for row in before.iter_rows():
        for cell in row:
            if cell.coordinate not in ("C4", "C5"):
                assert ws[cell.coordinate].value == cell.value
    assert ws["C7"].value == "=COUNTA(C4:C6)"
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:D1"]
    assert ws.data_validations.dataValidation[0].formula1 == '"Oui,Non"'
    assert ws.column_dimensions["C"].width == 80 and ws.protection.sheet
    assert any("Conforme" in w for w in report.warnings) and any(
        "non retrouvée" in w for w in report.warnings
    )
