"""Cells a buyer keeps for the candidate besides the prices (a coefficient, a total to carry over, a
discount rate), marked with the colour of the price cells: the export never leaves them blank silently —
it names each one with its row's label and the checklist says the schedule is still to complete."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color

from app.drafting.answer import Answer
from app.export.schedule import read_schedule
from app.export.schedule_fill import fill_schedule


def _theme_fill(theme: int, tint: float) -> PatternFill:
    return PatternFill(fill_type="solid", fgColor=Color(theme=theme, tint=tint))


def _dpgf_theme_coloured(path: Path) -> Path:
    """A DPGF whose candidate cells are light blue (a theme colour), green formulas, a notice above."""
    blue, green = _theme_fill(4, 0.8), _theme_fill(9, 0.8)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DPGF"
    ws["A1"] = "Les cases en fond bleu sont à remplir par le candidat"
    ws.append([])
    ws.append(["Désignation", "Unité", "Quantité", "Prix unitaire € HT", "Montant € HT"])
    rows = [("Dépose de la couverture", "m2", 320), ("Charpente bois", "m3", 14), ("Zinguerie", "ml", 85)]
    rows += [("Isolation des combles", "m2", 300)]
    for i, (name, unit, qty) in enumerate(rows, start=4):
        ws.append([name, unit, qty, None, f"=C{i}*D{i}"])
        ws[f"D{i}"].fill = blue
        ws[f"E{i}"].fill = green
    ws["A9"] = "Coefficient de révision proposé"
    ws["D9"].fill = blue
    ws["A10"] = "TOTAL GÉNÉRAL (à reporter dans l'acte d'engagement)"
    ws["D10"] = "€HT"
    ws["D10"].fill = blue
    ws["E10"] = "=SUM(E4:E7)"
    ws["E10"].fill = green
    ws["G12"].fill = blue  # a coloured cell with no label on its row: decoration
    wb.save(path)
    return path


def _bpu_rgb_coloured(path: Path) -> Path:
    """A BPU without quantities, candidate cells in a yellow RGB fill, a discount rate under the list."""
    yellow = PatternFill(fill_type="solid", fgColor="FFFFF2CC")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bordereau"
    ws.append(["N°", "Désignation des prestations", "Unité", "Prix unitaire HT (€)"])
    for n, (name, unit) in enumerate(
        [("Journée de technicien", "jour"), ("Journée d'ingénieur", "jour"), ("Déplacement", "forfait")], 1
    ):
        ws.append([n, name, unit, None])
        ws[f"D{n + 1}"].fill = yellow
    ws["B7"] = "Remise consentie sur le catalogue public"
    ws["D7"] = "%"
    ws["D7"].fill = yellow
    wb.save(path)
    return path


def _prices(path: Path) -> dict[str, float]:
    """A price for every price line, nothing for the cells the buyer asks besides them."""
    return {ln.key: 100.0 + i for i, ln in enumerate(read_schedule(path).lines) if not ln.entry}


@pytest.mark.parametrize(
    ("make", "name", "expected"),
    [
        (
            _dpgf_theme_coloured,
            "DPGF_couverture.xlsx",
            {
                "D9": "Coefficient de révision proposé",
                "D10": "TOTAL GÉNÉRAL (à reporter dans l'acte d'engagement)",
            },
        ),
        (_bpu_rgb_coloured, "BPU_maintenance.xlsx", {"D7": "Remise consentie sur le catalogue public"}),
    ],
)
def test_cells_of_the_candidate_left_blank_are_named_in_the_export(
    tmp_path: Path, make: object, name: str, expected: dict[str, str]
) -> None:
    source = make(tmp_path / name)  # type: ignore[operator]
    prices = _prices(source)
    assert prices, "the price lines are read"
    report = fill_schedule(source, tmp_path / "out" / name, read_schedule(source), prices)

    assert {cell: label for _, cell, label in report.left_empty} == expected
    assert report.to_complete == len(expected)  # every price line was given
    warning = next(w for w in report.warnings if "réserve au candidat" in w)
    for cell, label in expected.items():
        assert f"{cell} « {label[:60]}" in warning
    # Nothing is invented: the cells stay as the buyer left them in the copy.
    filled = openpyxl.load_workbook(tmp_path / "out" / name)
    original = openpyxl.load_workbook(source)
    for cell in expected:
        ws = filled.worksheets[0]
        assert ws[cell].value == original.worksheets[0][cell].value


def test_a_coloured_table_whose_prices_are_not_coloured_is_not_a_form(tmp_path: Path) -> None:
    """Price cells without a fill give no colour to follow: coloured headings or totals are the buyer's
    layout, not cells for the candidate."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Désignation", "Unité", "Quantité", "Prix unitaire € HT", "Montant € HT"])
    for i in range(2, 6):
        ws.append([f"Prestation {i}", "u", 2, None, f"=C{i}*D{i}"])
    ws["A7"] = "Total"
    ws["D7"].fill = _theme_fill(4, 0.8)
    ws["A8"] = "Observations"
    ws["D8"].fill = _theme_fill(4, 0.8)
    path = tmp_path / "DQE.xlsx"
    wb.save(path)
    report = fill_schedule(path, tmp_path / "out" / "DQE.xlsx", read_schedule(path), _prices(path))
    assert report.left_empty == []
    assert not any("réserve au candidat" in w for w in report.warnings)


def test_vsgp_coefficients_and_totals_to_carry_over_are_named(corpus: Path, tmp_path: Path) -> None:
    """vsgp's DPGF keeps three coefficients and five totals for the candidate (no formula: the labels say
    how to compute them), its BPU the multiplier, the volume discounts and the hour surcharges."""
    dpgf = corpus / "vsgp" / "DPGF.xlsx"
    report = fill_schedule(dpgf, tmp_path / "DPGF.xlsx", read_schedule(dpgf), _prices(dpgf))
    cells = [cell for _, cell, _ in report.left_empty]
    assert cells == ["D77", "D78", "D79", "D88", "D89", "D90", "D91", "D92"]
    assert report.left_empty[-1][2].startswith("TOTAL (total année 1, 2")
    bpu = corpus / "vsgp" / "BPU.xlsx"
    report = fill_schedule(bpu, tmp_path / "BPU.xlsx", read_schedule(bpu), _prices(bpu))
    labels = [label for _, _, label in report.left_empty]
    assert labels[0].startswith("Coefficient multiplicateur")
    assert any(label.startswith("A partir de 5 jours") for label in labels)
    assert len(labels) == 13


def test_checklist_says_a_schedule_with_blank_candidate_cells_is_still_to_complete(
    cadre_answer: Answer, tmp_path: Path
) -> None:
    """The upload checklist does not call a schedule "présent" while cells the buyer asks for are blank."""
    from app.domain.kinds import PieceKind
    from app.export.bundle import export_answer
    from app.export.buyer_docs import BuyerFile
    from tests.export.conftest import TODAY
    from tests.export.helpers import all_text, open_docx

    source = _dpgf_theme_coloured(tmp_path / "DPGF_couverture.xlsx")
    out = tmp_path / "export"
    export_answer(
        cadre_answer,
        out,
        today=TODAY,
        buyer_files=[BuyerFile(source.name, PieceKind.DPGF, source.read_bytes())],
        prices={source.name: _prices(source)},
    )
    checklist = all_text(open_docx(out / "checklist.docx"))
    assert "DPGF_couverture.xlsx | à compléter : 2 case(s) vide(s)" in checklist


def test_values_typed_for_those_cells_are_written_and_the_stated_total_goes_to_the_ae(
    corpus: Path, tmp_path: Path
) -> None:
    """vsgp: the AE asks for the DPGF's whole amount, which the DPGF leaves to the candidate (monthly
    prices, four years, three coefficients). Typed in the Prix tab like prices, the coefficients and totals
    go into the DPGF copy, and the AE carries the DPGF's stated total, saying where it comes from."""
    from app.domain.analysis import Analysis
    from app.domain.kinds import PieceKind
    from app.export.buyer_docs import BuyerFile, fill_buyer_documents
    from tests.export.helpers import all_text, open_docx, plain
    from tests.export.test_buyer_docs import _profile

    vsgp = corpus / "vsgp"
    dpgf = read_schedule(vsgp / "DPGF.xlsx")
    entries = {ln.cell: ln for ln in dpgf.lines if ln.entry}
    assert entries["D77"].unit == "%" and entries["D92"].unit == "€HT"
    typed = _prices(vsgp / "DPGF.xlsx") | {"DPGF!D77": 2.0, "DPGF!D92": 1234567.89}
    files = [
        BuyerFile("AE.docx", PieceKind.AE, (vsgp / "AE.docx").read_bytes()),
        BuyerFile("DPGF.xlsx", PieceKind.DPGF, (vsgp / "DPGF.xlsx").read_bytes()),
    ]
    result = fill_buyer_documents(files, {"DPGF.xlsx": typed}, _profile(), Analysis(), tmp_path)

    filled = openpyxl.load_workbook(tmp_path / "DPGF.xlsx")["DPGF"]
    assert filled["D77"].value == 2 and filled["D92"].value == pytest.approx(1234567.89)
    report = result.schedules[0]
    assert [cell for _, cell, _ in report.left_empty] == ["D78", "D79", "D88", "D89", "D90", "D91"]
    assert result.amount == pytest.approx(1234567.89)
    assert "D92" in result.amount_source
    text = plain(all_text(open_docx(tmp_path / "AE.docx")))
    assert "1 234 567,89" in text.replace("\u202f", " ").replace("\u00a0", " ")
