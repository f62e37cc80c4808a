"""Price schedules filled in a copy of the buyer's file: reopened with openpyxl (and LibreOffice when
installed), every price cell written, the buyer's cells, formulas and formats unchanged, our totals."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from app.domain.errors import InvalidInput
from app.export.schedule import read_schedule
from app.export.schedule_fill import fill_schedule
from app.resources.example.make_example_dce import make_dqe

VSGP = ("BPU.xlsx", "DPGF.xlsx", "DQE.xlsx")


def _example_dqe(tmp_path: Path) -> Path:
    path = tmp_path / "DQE_LOT-01.xlsx"
    path.write_bytes(make_dqe())
    return path


def _prices(path: Path) -> dict[str, float]:
    schedule = read_schedule(path)
    return {ln.key: round(100 + 7.25 * i, 2) for i, ln in enumerate(schedule.lines)}


def _assert_buyer_cells_kept(original: Path, filled: Path, prices: dict[str, float]) -> None:
    before = openpyxl.load_workbook(original)
    after = openpyxl.load_workbook(filled)
    assert after.sheetnames == before.sheetnames
    for ws in before.worksheets:
        other = after[ws.title]
        assert sorted(map(str, other.merged_cells.ranges)) == sorted(map(str, ws.merged_cells.ranges))
        assert other.protection.sheet == ws.protection.sheet
        for col, dim in ws.column_dimensions.items():
            assert other.column_dimensions[col].width == dim.width
        for row in ws.iter_rows():
            for cell in row:
                mine = other[cell.coordinate]
                assert mine.number_format == cell.number_format, cell.coordinate
                key = f"{ws.title}!{cell.coordinate}"
                if key in prices:
                    assert mine.value == pytest.approx(prices[key]), key
                else:
                    assert mine.value == cell.value, key  # text and formulas as the buyer wrote them
    with zipfile.ZipFile(filled) as zf:
        assert b'fullCalcOnLoad="1"' in zf.read("xl/workbook.xml")


def test_example_dqe_filled_in_place_with_our_totals(tmp_path: Path) -> None:
    source = _example_dqe(tmp_path)
    original = source.read_bytes()
    schedule = read_schedule(source)
    assert [ln.designation for ln in schedule.lines][:2] == [
        "Installation de chantier, clôtures et base vie",
        "Constat d'huissier et état des lieux",
    ]
    assert all(ln.quantity for ln in schedule.lines) and len(schedule.lines) == 9
    prices = _prices(source)
    out = tmp_path / "out" / source.name
    report = fill_schedule(source, out, schedule, prices)

    assert source.read_bytes() == original  # the buyer's file is never changed
    assert report.written == 9 and not report.missing and not report.line_differences
    expected = sum(ln.quantity * prices[ln.key] for ln in schedule.lines if ln.quantity)
    assert report.total == pytest.approx(expected)
    assert {t.label for t in report.total_checks} >= {"TOTAL HT", "Sous-total démolition"}
    assert not report.total_differences
    _assert_buyer_cells_kept(source, out, prices)
    wb = openpyxl.load_workbook(out)
    ws = wb["DQE Lot 1"]
    assert ws.data_validations.dataValidation, "the buyer's validation is kept"
    assert ws["E7"].protection.locked is False and ws.protection.sheet
    cached = openpyxl.load_workbook(out, data_only=True)["DQE Lot 1"]
    total_cell = next(t.cell for t in report.total_checks if t.label == "TOTAL HT")
    assert cached[total_cell].value == pytest.approx(expected)  # cached value is ours, not stale


def test_buyer_formula_that_disagrees_is_reported(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Désignation", "Unité", "Quantité", "Prix unitaire HT", "Montant HT"])
    ws.append(["Peinture murs", "m²", 100, None, "=C2*D2"])
    ws.append(["Peinture plafonds", "m²", 50, None, "=C3*D3*1.1"])  # a buyer's mistake
    ws.append(["Total HT", None, None, None, "=SUM(E2:E3)"])
    path = tmp_path / "DQE.xlsx"
    wb.save(path)
    schedule = read_schedule(path)
    report = fill_schedule(path, tmp_path / "out.xlsx", schedule, {"Sheet!D2": 10.0, "Sheet!D3": 20.0})
    assert report.total == pytest.approx(2000.0)
    [diff] = report.line_differences
    assert diff.designation == "Peinture plafonds" and diff.buyers == pytest.approx(1100.0)
    assert any("Peinture plafonds" in w and "1\u202f100,00" in w for w in report.warnings)
    [total] = report.total_differences
    assert total.buyers == pytest.approx(2100.0) and total.ours == pytest.approx(2000.0)


def test_locked_price_cells_on_a_protected_sheet_are_not_written(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Désignation", "Quantité", "Prix unitaire", "Total"])
    ws.append(["Heure de maintenance", 10, None, "=B2*C2"])
    ws.protection.sheet = True  # the price cell stays locked (the default)
    path = tmp_path / "BPU.xlsx"
    wb.save(path)
    schedule = read_schedule(path)
    report = fill_schedule(path, tmp_path / "out.xlsx", schedule, {"Sheet!C2": 55.0})
    assert report.written == 0
    assert any("protégée" in w and "C2" in w for w in report.warnings)
    assert openpyxl.load_workbook(tmp_path / "out.xlsx")["Sheet"]["C2"].value is None


def test_password_protected_workbook_gets_a_french_message(tmp_path: Path) -> None:
    path = tmp_path / "DQE.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # encrypted OOXML is an OLE file
    with pytest.raises(InvalidInput, match="mot de passe"):
        read_schedule(path)


def test_xlsm_keeps_its_macros(tmp_path: Path) -> None:
    source = _example_dqe(tmp_path)
    xlsm = tmp_path / "DQE.xlsm"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(xlsm, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"VBA-PROJECT-BYTES")
    schedule = read_schedule(xlsm)
    out = tmp_path / "out" / "DQE.xlsm"
    report = fill_schedule(xlsm, out, schedule, _prices(xlsm))
    assert report.written == 9
    with zipfile.ZipFile(out) as zf:
        assert zf.read("xl/vbaProject.bin") == b"VBA-PROJECT-BYTES"


def test_twenty_thousand_lines(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["N°", "Désignation", "Unité", "Quantité", "Prix unitaire HT", "Montant HT"])
    n = 20_000
    for i in range(2, n + 2):
        ws.append([i - 1, f"Article {i - 1}", "u", 2, None, f"=D{i}*E{i}"])
    ws.append(["", "Total HT", "", "", "", f"=SUM(F2:F{n + 1})"])
    path = tmp_path / "DQE.xlsx"
    wb.save(path)
    schedule = read_schedule(path)
    assert len(schedule.lines) == n
    report = fill_schedule(path, tmp_path / "out.xlsx", schedule, {ln.key: 1.5 for ln in schedule.lines})
    assert report.written == n and report.total == pytest.approx(n * 3.0)
    assert not report.total_differences
    ws2 = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)["Sheet"]
    assert [c.value for c in next(ws2.iter_rows(min_row=n + 1, max_row=n + 1))][3:] == [
        2,
        1.5,
        f"=D{n + 1}*E{n + 1}",
    ]


@pytest.mark.parametrize("name", VSGP)
def test_vsgp_schedules_filled(corpus: Path, tmp_path: Path, name: str) -> None:
    source = corpus / "vsgp" / name
    original = source.read_bytes()
    schedule = read_schedule(source)
    assert len(schedule.lines) >= 30
    prices = _prices(source)
    out = tmp_path / name
    report = fill_schedule(source, out, schedule, prices)
    assert source.read_bytes() == original
    assert report.written == len(schedule.lines) and not report.missing
    assert not report.line_differences and not report.total_differences
    _assert_buyer_cells_kept(source, out, prices)


def test_vsgp_dqe_totals_checked_line_by_line(corpus: Path, tmp_path: Path) -> None:
    source = corpus / "vsgp" / "DQE.xlsx"
    schedule = read_schedule(source)
    report = fill_schedule(source, tmp_path / "DQE.xlsx", schedule, _prices(source))
    assert len(report.total_checks) >= 28  # every TOTAL row of every table, year by year
    cached = openpyxl.load_workbook(tmp_path / "DQE.xlsx", data_only=True)["DQE (2)"]
    years = sum(cached[c].value for c in ("D113", "F113", "H113", "J113"))
    assert years == pytest.approx(report.total)


def _recalculated(path: Path, out_dir: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out_dir.mkdir()
    proc = subprocess.run(
        [exe, f"-env:UserInstallation=file://{out_dir / 'profile'}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(out_dir), str(path)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    converted = out_dir / path.name
    if not converted.is_file():
        pytest.skip(f"LibreOffice could not convert spreadsheets here: {proc.stderr.strip()[:200]}")
    return converted


def test_libreoffice_recalculates_the_example_dqe_to_our_total(tmp_path: Path) -> None:
    source = _example_dqe(tmp_path)
    schedule = read_schedule(source)
    report = fill_schedule(source, tmp_path / "filled.xlsx", schedule, _prices(source))
    converted = _recalculated(tmp_path / "filled.xlsx", tmp_path / "lo")
    ws = openpyxl.load_workbook(converted, data_only=True)["DQE Lot 1"]
    total_cell = next(t.cell for t in report.total_checks if t.label == "TOTAL HT")
    assert ws[total_cell].value == pytest.approx(report.total)


def test_libreoffice_recalculates_vsgp_dqe_to_our_total(corpus: Path, tmp_path: Path) -> None:
    source = corpus / "vsgp" / "DQE.xlsx"
    schedule = read_schedule(source)
    report = fill_schedule(source, tmp_path / "DQE.xlsx", schedule, _prices(source))
    converted = _recalculated(tmp_path / "DQE.xlsx", tmp_path / "lo")
    ws = openpyxl.load_workbook(converted, data_only=True)["DQE (2)"]
    assert sum(ws[c].value for c in ("D113", "F113", "H113", "J113")) == pytest.approx(report.total)


def test_rows_and_cells_without_references_and_a_prix_en_lettres_column(tmp_path: Path) -> None:
    """Some generators omit the optional r="…" attributes; BPUs of works ask prices in words too."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Désignation", "U", "Prix unitaire en lettres", "P.U. HT en chiffres"])
    ws.append(["Enduit monocouche", "m²", None, None])
    path = tmp_path / "BPU.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    stripped = re.sub(rb' r="[A-Z]*[0-9]+"', b"", sheet)
    assert b' r="' not in stripped
    from app.export.ooxml import rewrite_package

    bare = tmp_path / "bare.xlsx"
    rewrite_package(path, bare, {"xl/worksheets/sheet1.xml": stripped})
    schedule = read_schedule(bare)
    [line] = schedule.lines
    assert (line.key, line.designation, line.unit) == ("Sheet!D2", "Enduit monocouche", "m²")
    fill_schedule(bare, tmp_path / "out.xlsx", schedule, {"Sheet!D2": 24.0})
    ws2 = openpyxl.load_workbook(tmp_path / "out.xlsx")["Sheet"]
    assert ws2["D2"].value == 24 and ws2["C2"].value is None and ws2["A2"].value == "Enduit monocouche"
