"""The real DCE of the shared corpus (skipped when ../shared/corpus is absent)."""

from __future__ import annotations

from pathlib import Path

from app.dce.classify import classify
from app.dce.extractors import extract_pdf
from app.dce.reader import read_dce
from app.domain.kinds import PieceKind


def test_vsgp_reads_completely_with_kinds_from_names(corpus: Path) -> None:
    outcome = read_dce([corpus / "vsgp"], workers=2)
    found = {p.path: (p.kind, len(p.pages), p.error, p.ocr_pages) for p in outcome.pieces}
    assert found["RC.pdf"][:2] == (PieceKind.RC, 12)
    assert found["CCAP.pdf"][:2] == (PieceKind.CCAP, 38)
    assert found["CCTP.pdf"][:2] == (PieceKind.CCTP, 69)
    assert {found[n][0] for n in ("AE.docx", "BPU.xlsx", "DPGF.xlsx", "DQE.xlsx")} == {
        PieceKind.AE,
        PieceKind.BPU,
        PieceKind.DPGF,
        PieceKind.DQE,
    }
    assert all(error is None and ocr == 0 for _, _, error, ocr in found.values())
    assert outcome.problems == [] and outcome.warnings == []


def test_btp_cctps_are_recognized_from_name_or_first_page(corpus: Path) -> None:
    files = sorted((corpus / "coupvray").glob("*.pdf")) + sorted((corpus / "cuzieu").glob("*.pdf"))
    assert files
    for path in files:
        first = extract_pdf(path.read_bytes(), 0, 1).pages[0].text
        assert classify(path.name, first) == PieceKind.CCTP, path.name
