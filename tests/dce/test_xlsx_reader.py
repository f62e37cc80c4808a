"""The XLSX reader without openpyxl (issue 13): the same pages, rows and values as openpyxl's read-only,
data-only reading gave (tests/dce/xlsx_reference.py keeps that reader)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl

from app.dce.extractors.xlsx import BROKEN, extract_xlsx
from tests.conftest import CORPUS, EXAMPLE_DIR
from tests.dce.xlsx_reference import extract_xlsx_reference

_NS = (
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def _xlsx_files() -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    with zipfile.ZipFile(EXAMPLE_DIR / "dce.zip") as zf:
        found += [(n, zf.read(n)) for n in zf.namelist() if n.lower().endswith(".xlsx")]
    if CORPUS.is_dir():
        found += [(str(p), p.read_bytes()) for p in sorted(CORPUS.rglob("*.xlsx"))]
    return found


def _package(sheets: list[tuple[str, str, str]], shared: str, *, date1904: bool = False) -> bytes:
    """An XLSX written by hand: what Excel writes and openpyxl never does (cached formula values,
    inline and rich strings, a declared dimension), sheets as (name, state, worksheet XML)."""
    styles = (
        f"<styleSheet {_NS}><numFmts count='2'><numFmt numFmtId='164' formatCode='dd/mm/yyyy'/>"
        "<numFmt numFmtId='165' formatCode='[h]:mm'/></numFmts>"
        "<fonts count='1'><font/></fonts><fills count='1'><fill><patternFill patternType='none'/></fill>"
        "</fills><borders count='1'><border/></borders><cellXfs count='5'>"
        + "".join(f"<xf numFmtId='{i}' fontId='0' fillId='0' borderId='0'/>" for i in (0, 164, 165, 4, 14))
        + "</cellXfs></styleSheet>"
    )
    flag = " date1904='1'" if date1904 else ""
    workbook = (
        f"<workbook {_NS}><workbookPr{flag}/><sheets>"
        + "".join(
            f"<sheet name='{name}' sheetId='{i + 1}' {state} r:id='rId{i + 1}'/>"
            for i, (name, state, _) in enumerate(sheets)
        )
        + "</sheets></workbook>"
    )
    rels = (
        f"<Relationships xmlns='{_PKG}/relationships'>"
        + "".join(
            f"<Relationship Id='rId{i + 1}' Type='{_RELS}/worksheet' Target='worksheets/s{i + 1}.xml'/>"
            for i in range(len(sheets))
        )
        + "</Relationships>"
    )
    types = (
        f"<Types xmlns='{_PKG}/content-types'><Default Extension='xml' ContentType='application/xml'/>"
        "<Override PartName='/xl/workbook.xml' "
        "ContentType='application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'/>"
        "<Override PartName='/xl/sharedStrings.xml' "
        "ContentType='application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml'/>"
        + "".join(
            f"<Override PartName='/xl/worksheets/s{i + 1}.xml' ContentType='{_SHEET_CT}'/>"
            for i in range(len(sheets))
        )
        + "</Types>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/styles.xml", styles)
        z.writestr("xl/sharedStrings.xml", f"<sst {_NS}>{shared}</sst>")
        for i, (_, _, xml) in enumerate(sheets):
            z.writestr(f"xl/worksheets/s{i + 1}.xml", f"<worksheet {_NS}>{xml}</worksheet>")
    return out.getvalue()


def _excel_like(date1904: bool = False) -> bytes:
    shared = (
        "<si><t>Désignation</t></si><si><t xml:space='preserve'> Prix HT </t></si>"
        "<si><r><rPr><b/></rPr><t>Lot </t></r><r><t>2</t></r><rPh sb='0' eb='1'><t>ろ</t></rPh></si>"
    )
    prices = (
        "<dimension ref='A1:E6'/><sheetData>"
        "<row r='1'><c r='A1' t='s'><v>0</v></c><c r='C1' t='s'><v>1</v></c></row>"
        "<row r='3'><c r='A3' t='inlineStr'><is><t>Béton</t></is></c><c r='B3' s='3'><v>12.5</v></c>"
        "<c r='C3'><f>B3*2</f><v>25</v></c><c r='D3' s='1'><v>45000</v></c><c r='E3' t='b'><v>1</v></c></row>"
        "<row r='4'><c r='E4' t='e'><v>#DIV/0!</v></c><c r='A4' t='s'><v>2</v></c>"
        "<c r='B4' s='2'><v>1.25</v></c><c r='C4' t='str'><f>A4</f><v> Lot 2 </v></c></row>"
        "<row r='5'><c r='A5' s='4'><v>0.5</v></c><c r='B5' t='d'><v>2026-07-17T12:00:00</v></c>"
        "<c r='C5'><f>SUM(A1)</f></c><c r='D5'><v>3.14159</v></c></row>"
        "<row r='9'><c r='A9' t='inlineStr'><is><t>au-delà de la dimension</t></is></c></row>"
        "</sheetData><mergeCells count='1'><mergeCell ref='A1:B1'/></mergeCells>"
    )
    hidden = "<sheetData><row><c t='inlineStr'><is><t>caché</t></is></c><c><v>7.0</v></c></row></sheetData>"
    return _package([("Prix", "", prices), ("Notes", "state='hidden'", hidden)], shared, date1904=date1904)


def _openpyxl_written() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DPGF"
    ws.append(["Poste", "Quantité", "Date", None, "Vrai"])
    ws.append(["Terrassement", 1 / 3, dt.date(2026, 7, 17), dt.datetime(2026, 7, 17, 12, 30), True])
    ws.append([None, None, dt.time(8, 15), dt.timedelta(hours=30), "=B2*2"])
    ws.merge_cells("A1:B1")
    annexe = wb.create_sheet("Annexe masquée")
    annexe.sheet_state = "hidden"
    annexe["C4"] = "  Garantie  "
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_reader_gives_the_same_lines_as_openpyxl() -> None:
    files = [
        ("excel.xlsx", _excel_like()),
        ("excel-1904.xlsx", _excel_like(date1904=True)),
        ("openpyxl.xlsx", _openpyxl_written()),
        *_xlsx_files(),
    ]
    assert len(files) >= 5
    for name, data in files:
        new, old = extract_xlsx(data), extract_xlsx_reference(data)
        assert (new.error, new.unread_reason) == (old.error, old.unread_reason), name
        assert [(p.number, p.text) for p in new.pages] == [(p.number, p.text) for p in old.pages], name


def test_values_read_as_a_user_sees_them() -> None:
    prices, notes = extract_xlsx(_excel_like()).pages
    assert prices.text.split("\n") == [
        "Feuille « Prix »",
        "Désignation\tPrix HT",
        "Béton\t12.5\t25\t2023-03-15T00:00:00\tTrue",  # a cached formula value, a date by its format
        "Lot 2\t1 day, 6:00:00\tLot 2\t#DIV/0!",  # rich text, a duration, cells placed by column
        "12:00:00\t2026-07-17T12:00:00\t3.14",
    ]  # row 9 lies past the declared dimension (A1:E6): openpyxl did not read it either
    assert notes.text == "Feuille « Notes »\ncaché\t7"  # a hidden sheet is read


def test_a_broken_workbook_is_reported_in_french() -> None:
    data = _excel_like()
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as out:
        for info in src.infolist():
            if info.filename != "xl/workbook.xml":
                out.writestr(info, src.read(info))
    found = extract_xlsx(broken.getvalue())
    assert found.error == BROKEN and not found.pages
    assert extract_xlsx_reference(broken.getvalue()).error == BROKEN
