"""Reading a whole DCE: decisive pieces first, in parallel processes, one broken piece never stops the rest."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from app.dce import reader
from app.dce.extractors import Extraction
from app.domain.document import PieceText
from app.domain.kinds import PieceKind
from app.domain.progress import Cancelled, CancelToken
from tests.conftest import EXAMPLE_DIR
from tests.dce.builders import long_pdf, pdf, zip_bytes


def _dce(tmp_path: Path, cctp_pages: int = 48) -> Path:
    data = zip_bytes(
        [
            (
                "RC.pdf",
                pdf(["Règlement de la consultation\nDate limite : vendredi 17 juillet 2026 à 12h00"] * 3),
            ),
            ("CCTP.pdf", long_pdf("Cahier des clauses techniques particulières", cctp_pages)),
            ("CCAP.pdf", long_pdf("Cahier des clauses administratives particulières", 6)),
            ("Annexe cassée.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> tronque"),
            (
                "Lot-02.pdf",
                pdf(["Cahier des clauses techniques particulières – lot 2, couverture et bardage"]),
            ),
            ("Plans/Plan masse.dwg", b"AC1032" + bytes(200)),
        ]
    )
    path = tmp_path / "dce.zip"
    path.write_bytes(data)
    return path


def test_parallel_read_matches_sequential_and_decisive_pieces_come_before_the_long_cctp(
    tmp_path: Path,
) -> None:
    dce = _dce(tmp_path)
    seen_at_decisive: list[str] = []
    progress: list[tuple[int, int]] = []
    parallel = reader.read_dce(
        [dce],
        workers=2,
        on_decisive=lambda pieces: seen_at_decisive.extend(p.path for p in pieces),
        progress=lambda done, total, label: progress.append((done, total)),
    )
    sequential = reader.read_dce([dce], workers=1)

    assert {"RC.pdf", "CCAP.pdf"} <= set(seen_at_decisive)
    assert "CCTP.pdf" not in seen_at_decisive  # the analysis could run while the CCTP was read
    assert [(p.path, p.kind, p.pages) for p in parallel.pieces] == [
        (p.path, p.kind, p.pages) for p in sequential.pieces
    ]
    by_path = {p.path: p for p in parallel.pieces}
    assert len(by_path["CCTP.pdf"].pages) == 48
    assert [p.number for p in by_path["CCTP.pdf"].pages] == list(range(1, 49))
    assert by_path["Lot-02.pdf"].kind == PieceKind.CCTP  # from its first page
    broken = by_path["Annexe cassée.pdf"]
    assert broken.pages == [] and broken.error is not None and "PDF" in broken.error
    assert by_path["Plans/Plan masse.dwg"].unread_reason is not None
    assert progress[-1][0] == progress[-1][1] == parallel.extracted
    assert parallel.warnings == []


def test_identical_contents_are_read_once_and_the_cache_is_used(tmp_path: Path) -> None:
    same = pdf(["Règlement de la consultation – marché de nettoyage des locaux communaux"])
    folder = tmp_path / "DCE"
    (folder / "copie").mkdir(parents=True)
    (folder / "RC.pdf").write_bytes(same)
    (folder / "copie" / "RC.pdf").write_bytes(same)
    outcome = reader.read_dce([folder], workers=1)
    assert outcome.extracted == 1 and len(outcome.pieces) == 2

    cached = Extraction("pdf", outcome.pieces[0].pages)
    again = reader.read_dce([folder], workers=1, cache=lambda sha: cached)
    assert again.extracted == 0 and again.reused == 1
    assert again.pieces[1].pages == outcome.pieces[1].pages


def test_a_dce_without_rc_is_flagged(tmp_path: Path) -> None:
    (tmp_path / "CCTP.pdf").write_bytes(pdf(["Cahier des clauses techniques particulières du lot unique"]))
    outcome = reader.read_dce([tmp_path / "CCTP.pdf"], workers=1)
    assert any("Aucun règlement de la consultation" in w for w in outcome.warnings)


def test_cancel_stops_the_read_and_keeps_what_was_done(tmp_path: Path) -> None:
    dce = _dce(tmp_path, cctp_pages=64)
    token = CancelToken()
    stored: list[str] = []

    def on_piece(piece: PieceText, extraction: Extraction, fresh: bool, data: bytes) -> None:
        stored.append(piece.path)
        token.cancel()

    with pytest.raises(Cancelled):
        reader.read_dce([dce], workers=2, cancel=token, on_piece=on_piece)
    assert stored and "CCTP.pdf" not in stored


def test_example_dce_reads_with_accents_nested_zip_and_ocr_flag() -> None:
    outcome = reader.read_dce([EXAMPLE_DIR / "dce.zip"], workers=2)
    kinds = {p.path: p.kind for p in outcome.pieces}
    assert kinds["Règlement de consultation.pdf"] == PieceKind.RC  # CP437 name, no UTF-8 flag
    assert kinds["2026-TRV-014_Cadre_de_réponse_technique.docx"] == PieceKind.CADRE_REPONSE
    assert kinds["2026-TRV-014_DPGF_LOT-01-03.xlsx"] == PieceKind.DPGF
    plans = {p.path: p for p in outcome.pieces if p.path.startswith("Plans/")}
    assert plans["Plans/Plan masse.dwg"].unread_reason is not None
    assert plans["Plans/Plan de situation.pdf"].ocr_pages == 1
    raw = zipfile.ZipFile(io.BytesIO((EXAMPLE_DIR / "dce.zip").read_bytes()))
    rc_info = next(i for i in raw.infolist() if i.filename.endswith("consultation.pdf"))
    assert not rc_info.flag_bits & 0x800  # really written the DOS way


def test_a_file_that_never_finishes_reading_is_abandoned_the_rest_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing
    import time

    from app.dce import worker

    def endless(name: str, data: bytes) -> Extraction:
        time.sleep(60)
        raise AssertionError("not reached")

    # Workers forked from this process see the patched parser and the short deadline.
    monkeypatch.setattr(reader, "_mp_context", lambda: multiprocessing.get_context("fork"))
    monkeypatch.setattr(worker, "extract", endless)
    monkeypatch.setattr(worker, "TASK_TIMEOUT_S", 1)
    (tmp_path / "Boucle.docx").write_bytes(b"PK docx qui boucle")
    (tmp_path / "RC.pdf").write_bytes(pdf(["Règlement de la consultation – fourniture de mobilier scolaire"]))
    started = time.perf_counter()
    outcome = reader.read_dce([tmp_path], workers=2)
    assert time.perf_counter() - started < 30
    by_path = {p.path: p for p in outcome.pieces}
    assert "anormalement longtemps" in (by_path["Boucle.docx"].error or "")
    assert by_path["RC.pdf"].pages and by_path["RC.pdf"].error is None
