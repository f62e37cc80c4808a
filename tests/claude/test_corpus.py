"""On a real DCE (../shared/corpus/vsgp): grounding on real extracted text, page selection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.analysis.claude.context import build_context
from app.analysis.claude.grounding import quote_in_text, verify
from app.domain.analysis import Evidence
from app.domain.document import PieceText


@pytest.fixture(scope="module")
def vsgp_pieces() -> list[PieceText]:
    from tests.conftest import CORPUS

    if not (CORPUS / "vsgp").is_dir():
        pytest.skip("../shared/corpus is absent")
    from app.dce.reader import read_dce

    # The pieces the hand-checked analysis cites, plus the CCAP (long): enough, and fast to read.
    return read_dce([CORPUS / "vsgp" / "RC.pdf", CORPUS / "vsgp" / "CCAP.pdf"]).pieces


def _truth(corpus: Path) -> dict[str, dict[str, object]]:
    data = json.loads((corpus / "truth" / "vsgp.json").read_text(encoding="utf-8"))
    return data["evidence"]


def test_hand_checked_quotes_verify_and_altered_ones_do_not(
    corpus: Path, vsgp_pieces: list[PieceText]
) -> None:
    evidence = _truth(corpus)
    assert evidence
    for name, ev in evidence.items():
        real = Evidence.model_validate(ev)
        assert verify(real, vsgp_pieces).verified, name
        invented = real.model_copy(update={"quote": real.quote + " sous peine de pénalités"})
        assert not verify(invented, vsgp_pieces).verified, name
        # Cited on a page of the same piece where it is not (page headers repeat some lines).
        piece = next(p for p in vsgp_pieces if p.path == real.file)
        other = next((pg.number for pg in piece.pages if not quote_in_text(real.quote, pg.text)), None)
        if other is not None:  # None: a running header, on every page
            assert not verify(real.model_copy(update={"page": other}), vsgp_pieces).verified, name


def test_selected_pages_hold_every_cited_page_within_budget(
    corpus: Path, vsgp_pieces: list[PieceText]
) -> None:
    budget = 25_000
    context = build_context(vsgp_pieces, budget)
    assert context.estimated_tokens <= budget
    assert context.omitted_pages > 0  # the CCAP is not sent whole
    sent = {(p.path, p.page) for p in context.pages}
    for name, ev in _truth(corpus).items():
        assert (ev["file"], ev["page"]) in sent, name
