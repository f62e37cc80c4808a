"""What an import costs in memory: how many extraction processes, what the importing process loads,
the store's page cache meanwhile (targets and figures: bench/ingest.py)."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
import textwrap
from pathlib import Path

from app.dce import reader
from app.dce.extractors import Extraction
from app.domain.analysis import Analysis
from app.services import consultations as svc
from local_store.store import Store
from tests.conftest import EXAMPLE_DIR
from tests.dce.builders import long_pdf, pdf
from tests.dce.docx_reference import extract_docx_reference
from tests.dce.xlsx_reference import extract_xlsx_reference

REPO = Path(__file__).resolve().parents[2]


def _folder(tmp_path: Path, cctp_pages: int, spreadsheets: int = 0) -> Path:
    folder = tmp_path / "dce"
    folder.mkdir()
    (folder / "RC.pdf").write_bytes(
        pdf(["Règlement de la consultation\nDate limite : 17 juillet 2026 à 12h00"])
    )
    (folder / "CCTP.pdf").write_bytes(long_pdf("Cahier des clauses techniques particulières", cctp_pages))
    for n in range(spreadsheets):
        (folder / f"Annexe {n + 1}.xlsx").write_bytes(b"PK spreadsheet %d" % n)
    return folder


def _processes_seen(tmp_path: Path, cctp_pages: int) -> int:
    seen: set[int] = set()

    def on_piece(*_: object) -> None:
        seen.update(p.pid for p in multiprocessing.active_children() if p.pid is not None)

    outcome = reader.read_dce([_folder(tmp_path, cctp_pages)], workers=2, on_piece=on_piece)
    cctp = next(p for p in outcome.pieces if p.path == "CCTP.pdf")
    assert len(cctp.pages) == cctp_pages and "techniques" in cctp.pages[-1].text
    return len(seen)


def test_a_dce_of_a_hundred_pages_is_read_by_one_extraction_process(tmp_path: Path) -> None:
    assert _processes_seen(tmp_path, 100) == 1


def test_a_dce_of_several_hundred_pages_is_read_by_two(tmp_path: Path) -> None:
    assert _processes_seen(tmp_path, 300) == 2


def test_a_dce_read_before_starts_no_extraction_process(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 20)
    first = reader.read_dce([folder], workers=1)
    known: dict[str, Extraction] = {}
    for piece in first.pieces:
        known[piece.sha256] = Extraction("pdf", piece.pages)
    seen: set[int] = set()

    def progress(*_: object) -> None:
        seen.update(p.pid for p in multiprocessing.active_children() if p.pid is not None)

    again = reader.read_dce([folder], workers=2, cache=known.get, progress=progress)
    assert again.reused == 2 and again.extracted == 0
    assert [p.pages for p in again.pieces] == [p.pages for p in first.pieces]
    assert seen == set()


def test_the_spreadsheets_of_a_dce_are_read_by_one_process(tmp_path: Path) -> None:
    """The office files of a DCE go to one process, as one task (the office readers are loaded
    once); PDF page ranges stay apart."""
    from concurrent.futures import Future

    submitted: list[tuple[object, tuple[object, ...]]] = []

    class Recorder:
        def submit(self, fn: object, *args: object) -> Future[object]:
            submitted.append((fn, args))
            return Future()

    folder = _folder(tmp_path, 40, spreadsheets=3)
    (folder / "Cadre de réponse.docx").write_bytes(b"PK docx")
    files = reader.collect_sources([folder]).files
    contents, _ = reader._contents(files)
    tasks, _ = reader._plan(contents, 2)
    reader._submit(Recorder(), tasks)  # type: ignore[arg-type]

    names = [
        [task.name for task in args[0]] if isinstance(args[0], tuple) else [args[0].name]
        for _, args in submitted
    ]  # type: ignore[attr-defined]
    spreadsheets = [group for group in names if any(n.endswith(".xlsx") for n in group)]
    assert spreadsheets == [["Annexe 1.xlsx", "Annexe 2.xlsx", "Annexe 3.xlsx"]]
    assert ["Cadre de réponse.docx"] in names
    assert sum(group == ["CCTP.pdf"] for group in names) > 1  # its page ranges, read side by side


def test_the_importing_process_loads_the_office_readers_only_for_an_office_file(tmp_path: Path) -> None:
    from app.resources.example.make_example_dce import make_cadre

    cadre = tmp_path / "Cadre de réponse.docx"
    cadre.write_bytes(make_cadre())
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        import app.services.consultations, app.dce.reader
        print(sorted(m for m in ("docx", "openpyxl", "odf") if m in sys.modules))
        from app.dce.extractors import extract
        found = extract("Cadre de réponse.docx", Path({str(cadre)!r}).read_bytes())
        print(sorted(m for m in ("app.dce.extractors.docx", "docx", "openpyxl") if m in sys.modules),
              found.format, bool(found.pages))
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120, check=True
    )
    assert run.stdout.splitlines() == ["[]", "['app.dce.extractors.docx'] docx True"]


def test_the_office_readers_read_without_python_docx_nor_openpyxl(tmp_path: Path) -> None:
    """Issue 13: the extraction process that reads DOCX and XLSX files imported python-docx
    (~11.7 MB) and openpyxl (~8.2 MB) only to read text; the readers now parse the XML themselves."""
    from app.resources.example.make_example_dce import make_cadre, make_dpgf

    (tmp_path / "cadre.docx").write_bytes(make_cadre())
    (tmp_path / "dpgf.xlsx").write_bytes(make_dpgf())
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from app.dce.extractors.docx import extract_docx
        from app.dce.extractors.xlsx import extract_xlsx
        folder = Path({str(tmp_path)!r})
        docx = extract_docx((folder / "cadre.docx").read_bytes())
        xlsx = extract_xlsx((folder / "dpgf.xlsx").read_bytes())
        print(sorted({{m.split(".")[0] for m in sys.modules}} & {{"docx", "openpyxl"}}))
        print(json.dumps([[p.text for p in docx.pages], [p.text for p in xlsx.pages]]))
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", "import json" + script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded, pages = run.stdout.splitlines()
    assert loaded == "[]"
    docx_pages, xlsx_pages = json.loads(pages)
    # The same text as python-docx and openpyxl gave.
    assert docx_pages == [p.text for p in extract_docx_reference(make_cadre()).pages]
    assert xlsx_pages == [p.text for p in extract_xlsx_reference(make_dpgf()).pages]
    assert xlsx_pages[0].startswith("Feuille « ") and "\t" in xlsx_pages[0]


def test_an_import_keeps_a_small_page_cache_and_gives_the_store_back_as_it_was(store: Store) -> None:
    before = store.read().execute("PRAGMA cache_size").fetchone()[0]
    during: list[int] = []

    def on_analysis(_: Analysis) -> None:
        during.append(int(store.read().execute("PRAGMA cache_size").fetchone()[0]))

    result = svc.import_dce(store, [EXAMPLE_DIR / "dce.zip"], workers=1, on_analysis=on_analysis)
    assert result.pieces and during
    assert all(-1000 <= size < 0 for size in during)  # at most 1 MB of pages
    assert store.read().execute("PRAGMA cache_size").fetchone()[0] == before


def test_the_text_of_a_box_is_read_whole_whether_or_not_it_fits_the_page_buffer() -> None:
    """One PDFium call per box into a buffer as long as the page's text; past it, the helper reads."""
    import pypdfium2 as pdfium

    from app.dce.extractors.pdf import _BoundedText

    line = "Critère n° 1 : valeur technique de l'offre — 60 %"
    doc = pdfium.PdfDocument(pdf([line]))
    page = doc[0]
    textpage = page.get_textpage()
    try:
        left, bottom, right, top = page.get_bbox()
        bounded = _BoundedText(textpage)
        assert bounded(left, bottom, right, top).strip() == line
        bounded.size = 8  # shorter than the line: read again by the helper, never cut
        assert bounded(left, bottom, right, top).strip() == line
        assert bounded(0, 0, 1, 1) == ""
    finally:
        textpage.close()
        page.close()
        doc.close()
