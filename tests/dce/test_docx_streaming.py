"""The streaming DOCX reader (issue 18, item 5): same lines as python-docx's whole-document reading,
bounded in size and time, and a piece over budget is *non lu* with its reason while the rest imports."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import docx
import pytest

from app.dce.extractors import extract
from app.dce.extractors.docx import extract_docx
from app.domain.document import CELL_BREAK
from app.services import consultations as svc
from local_store.store import Store
from tests.conftest import CORPUS, EXAMPLE_DIR
from tests.dce.builders import pdf
from tests.dce.docx_reference import extract_docx_reference

REPO = Path(__file__).resolve().parents[2]


def _docx_files() -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    with zipfile.ZipFile(EXAMPLE_DIR / "dce.zip") as zf:
        found += [(n, zf.read(n)) for n in zf.namelist() if n.lower().endswith(".docx")]
    if CORPUS.is_dir():
        found += [(str(p), p.read_bytes()) for p in sorted(CORPUS.rglob("*.docx"))]
    return found


def _rich_docx() -> bytes:
    """Numbered headings, a table with merged cells, a content control, page breaks."""
    d = docx.Document()
    d.add_heading("Cadre de réponse", level=1)
    d.add_paragraph("Premier point", style="List Number")
    d.add_paragraph("Deuxième point", style="List Number")
    d.add_paragraph("Une puce", style="List Bullet")
    table = d.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"L{r}C{c}"
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(1, 2).merge(table.cell(2, 2))
    d.add_page_break()
    p = d.add_paragraph("Après le saut\tavec tabulation")
    p.add_run().add_break()
    p.add_run("ligne suivante")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_streaming_reader_gives_the_same_lines_as_the_whole_document_reader() -> None:
    files = [("riche.docx", _rich_docx()), *_docx_files()]
    assert len(files) >= 3
    for name, data in files:
        new, old = extract_docx(data), extract_docx_reference(data)
        assert (new.error, new.unread_reason) == (old.error, old.unread_reason), name
        assert [(p.number, p.text) for p in new.pages] == [(p.number, p.text) for p in old.pages], name


def test_table_rows_are_one_line_with_tab_separated_cells() -> None:
    pages = extract_docx(_rich_docx()).pages
    assert len(pages) == 2  # split at the hard page break
    lines = pages[0].text.split("\n")
    # One row, one line, cells joined by tabs; a cell's paragraphs joined by CELL_BREAK on that line.
    assert any(line.startswith("L1C0\tL1C1\tL1C2") for line in lines)
    assert f"L0C0{CELL_BREAK}L0C1\tL0C2" in lines  # merged cells once (their texts joined by Word)
    assert "1. Premier point" in lines and "2. Deuxième point" in lines and "- Une puce" in lines


def _huge_docx(path: Path, xml_mib: int) -> None:
    """A DOCX whose document.xml is `xml_mib` MiB (written as a stream: small on disk)."""
    para = (
        '<w:p><w:r><w:t xml:space="preserve">Le titulaire assure la maintenance préventive et '
        "corrective des équipements du site.</w:t></w:r></w:p>"
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        src = io.BytesIO(_rich_docx())
        with zipfile.ZipFile(src) as base:
            for item in base.infolist():
                if item.filename != "word/document.xml":
                    zf.writestr(item, base.read(item))
        with zf.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            )
            block = para * 1000
            written = 0
            while written < xml_mib * 1024 * 1024:
                out.write(block)
                written += len(block)
            out.write(b"</w:body></w:document>")


_MEASURE = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    from app.dce.extractors import extract
    data = Path(sys.argv[1]).read_bytes()
    t = time.perf_counter()
    r = extract("huge.docx", data)
    seconds = time.perf_counter() - t
    try:  # this process's own peak (ru_maxrss also counts the parent's size at fork on Linux)
        status = Path("/proc/self/status").read_text()
        peak = int(next(l for l in status.splitlines() if l.startswith("VmHWM:")).split()[1]) // 1024
    except (OSError, StopIteration):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps([seconds, peak, r.unread_reason, len(r.pages)]))
    """
)


def _measure(path: Path) -> tuple[float, int, str | None, int]:
    """Seconds, peak memory (MiB), unread reason and page count of reading `path` in a fresh process."""
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    seconds, rss_mib, reason, pages = json.loads(proc.stdout)
    print(f"{path.name}: {seconds:.2f} s, {rss_mib} MiB")
    return float(seconds), int(rss_mib), reason, int(pages)


@pytest.mark.skipif(sys.platform == "win32", reason="ru_maxrss")
def test_a_docx_with_200_mib_of_xml_is_non_lu_quickly_and_in_little_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.docx"
    _huge_docx(path, 200)
    seconds, rss_mib, reason, pages = _measure(path)
    assert reason is not None and "trop volumineux" in reason and "DOCX" in reason
    assert pages == 0
    assert seconds < 10, seconds
    assert rss_mib < 200, rss_mib


@pytest.mark.skipif(sys.platform == "win32", reason="ru_maxrss")
def test_a_large_docx_under_budget_is_read_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "large.docx"
    _huge_docx(path, 16)
    _seconds, rss_mib, reason, pages = _measure(path)
    assert reason is None and pages >= 1
    assert rss_mib < 300, rss_mib  # the tree is never whole: one block at a time


def test_reading_time_is_bounded() -> None:
    path_data = io.BytesIO()
    with zipfile.ZipFile(path_data, "w") as zf:
        zf.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + "<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 20000
            + "</w:body></w:document>",
        )
    started = time.perf_counter()
    result = extract_docx(path_data.getvalue(), max_seconds=0.0)
    assert time.perf_counter() - started < 5
    assert result.unread_reason is not None and "trop long" in result.unread_reason and not result.pages


def test_an_over_budget_docx_is_non_lu_while_the_rest_imports(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "dce"
    folder.mkdir()
    (folder / "RC.pdf").write_bytes(pdf(["Règlement de la consultation"]))
    _huge_docx(folder / "CCTP.docx", 60)
    result = svc.import_dce(store, [folder], workers=1, analyze=False)
    pieces = {p.path: p for p in result.pieces}
    assert pieces["RC.pdf"].pages == 1 and pieces["RC.pdf"].unread_reason is None
    cctp = pieces["CCTP.docx"]
    assert cctp.error is None and cctp.unread_reason and "trop volumineux" in cctp.unread_reason
    assert cctp.sha256  # the file itself is stored


def test_a_docx_that_is_not_a_zip_names_word_not_pdf() -> None:
    result = extract("CCTP.docx", b"not a zip at all")
    assert result.error and "docx" in result.error.lower() and "PDF" not in result.error


def test_odt_ods_and_xlsx_over_their_budget_are_non_lu_with_the_format_named() -> None:
    import openpyxl

    from app.dce.extractors.odf import extract_ods, extract_odt
    from app.dce.extractors.xlsx import extract_xlsx
    from tests.dce.builders import ods, odt

    text = odt(["Règlement de la consultation"] * 50, [["Critère", "Pondération"], ["Prix", "40 %"]])
    assert extract_odt(text).pages and extract_odt(text).unread_reason is None
    over = extract_odt(text, max_xml=1024)
    assert over.unread_reason and "ODT" in over.unread_reason and "trop volumineux" in over.unread_reason
    assert not over.pages and over.error is None
    slow = extract_odt(text, max_seconds=0.0)
    assert slow.unread_reason and "trop long" in slow.unread_reason

    sheet = ods({"BPU": [["Désignation", "Prix"], ["Tonte", "12"]] * 40})
    assert extract_ods(sheet).pages
    over = extract_ods(sheet, max_xml=1024)
    assert over.unread_reason and "ODS" in over.unread_reason

    wb = openpyxl.Workbook()
    for i in range(200):
        wb.active.append([f"Ligne {i}", i])
    out = io.BytesIO()
    wb.save(out)
    assert extract_xlsx(out.getvalue()).pages
    over = extract_xlsx(out.getvalue(), max_xml_bytes=1024)
    assert over.unread_reason and "XLSX" in over.unread_reason and not over.pages
