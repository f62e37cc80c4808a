"""Each extractor on real files written here: page by page, in document order, with clear French errors."""

from __future__ import annotations

import io

import docx
import openpyxl
from pypdf import PdfReader, PdfWriter

from app.dce.extractors import extract
from tests.dce.builders import ods, odt, pdf


def _encrypt(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="proprietaire", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_pages_and_scanned_pages_need_ocr() -> None:
    data = pdf(
        [
            "Règlement de la consultation\nDate limite : 17 juillet 2026",
            "",
            "Article 3 – Critères de jugement des offres",
        ]
    )
    result = extract("RC.pdf", data)
    assert result.error is None and result.paged
    assert [p.number for p in result.pages] == [1, 2, 3]
    assert "Règlement de la consultation" in result.pages[0].text
    assert [p.needs_ocr for p in result.pages] == [False, True, False]


def test_pdf_with_empty_user_password_opens_and_a_protected_one_says_why() -> None:
    data = pdf(["Cahier des clauses administratives particulières"])
    opened = extract("CCAP.pdf", _encrypt(data, ""))
    assert opened.error is None
    assert "clauses administratives" in opened.pages[0].text

    locked = extract("CCAP.pdf", _encrypt(data, "secret"))
    assert locked.pages == []
    assert locked.error is not None and "mot de passe" in locked.error


def test_broken_pdf_is_an_error_not_a_crash() -> None:
    data = pdf(["Texte"])
    result = extract("RC.pdf", data[: len(data) // 3])
    assert result.error is not None and "PDF" in result.error
    assert extract("faux.pdf", b"%PDF-1.7 rien").error is not None


def test_docx_paragraphs_and_tables_in_document_order_split_at_page_breaks() -> None:
    d = docx.Document()
    d.add_heading("Cadre de réponse technique", 0)
    d.add_paragraph("1. Méthodologie")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Critère", "Pondération"
    table.cell(1, 0).text, table.cell(1, 1).text = "Valeur technique", "60 %"
    d.add_paragraph("2. Moyens humains")
    d.add_page_break()
    d.add_paragraph("Annexe")
    buf = io.BytesIO()
    d.save(buf)
    result = extract("Cadre.docx", buf.getvalue())
    assert result.error is None and not result.paged
    assert len(result.pages) == 2
    lines = result.pages[0].text.splitlines()
    assert lines == [
        "Cadre de réponse technique",
        "1. Méthodologie",
        "Critère\tPondération",
        "Valeur technique\t60 %",
        "2. Moyens humains",
    ]
    assert result.pages[1].text == "Annexe"


def test_xlsx_each_sheet_is_a_page_with_cached_values() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Lot 1"
    ws.append(["N°", "Désignation", "Quantité"])
    ws.append(["1.1", "Démolition", 120])
    ws.append([None, None, None])
    other = wb.create_sheet("Lot 2")
    other.append(["2.1", "Couverture", 12.5])
    buf = io.BytesIO()
    wb.save(buf)
    result = extract("DPGF.xlsx", buf.getvalue())
    assert result.error is None and not result.paged
    assert [p.text for p in result.pages] == [
        "Feuille « Lot 1 »\nN°\tDésignation\tQuantité\n1.1\tDémolition\t120",
        "Feuille « Lot 2 »\n2.1\tCouverture\t12.5",
    ]


def test_odt_and_ods_without_extra_packages() -> None:
    text = extract("CCTP.odt", odt(["Cahier des clauses techniques", "Le titulaire devra…"], [["A", "B"]]))
    assert text.error is None
    assert text.pages[0].text.splitlines() == [
        "Cahier des clauses techniques",
        "Le titulaire devra…",
        "A\tB",
        "Fin  du document",
    ]
    sheet = extract("BPU.ods", ods({"Prix": [["Code", "Prix"], ["1", "10,50"]]}))
    assert sheet.error is None
    # Repeated empty cells and rows (LibreOffice writes a million of them) cost nothing.
    assert sheet.pages[0].text == "Feuille « Prix »\nCode\tPrix\n1\t10,50"


def test_legacy_formats_images_and_plans_are_listed_not_read() -> None:
    for name, word in (
        ("Ancien.doc", "Word ancien"),
        ("Prix.xls", "Excel ancien"),
        ("Photo.jpg", "Image"),
        ("Plan masse.dwg", "Plan (DWG)"),
        ("Plan.dxf", "Plan (DXF)"),
        ("note.xyz", "non pris en charge"),
    ):
        result = extract(name, b"\x00\x01binaire")
        assert result.pages == [] and result.error is None
        assert result.unread_reason is not None and word in result.unread_reason
        assert "non lu" in result.unread_reason or "non lue" in result.unread_reason


def test_damaged_office_files_give_french_errors() -> None:
    assert "DOCX" in (extract("AE.docx", b"PK\x03\x04 abime").error or "")
    assert "XLSX" in (extract("BPU.xlsx", b"pas un classeur").error or "")
    assert "ODT" in (extract("CCTP.odt", b"rien").error or "")


def test_docx_automatic_numbering_is_rendered_like_word_shows_it() -> None:
    d = docx.Document()
    d.add_paragraph("Méthodologie et organisation", style="List Number")
    d.add_paragraph("Moyens humains", style="List Number")
    d.add_paragraph("un point de détail", style="List Bullet")
    buf = io.BytesIO()
    d.save(buf)
    lines = extract("Cadre de réponse.docx", buf.getvalue()).pages[0].text.splitlines()
    assert lines == ["1. Méthodologie et organisation", "2. Moyens humains", "- un point de détail"]
