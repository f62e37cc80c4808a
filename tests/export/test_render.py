"""LibreOffice renders the mémoire (skipped where soffice is not installed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.drafting.answer import Answer
from app.export.bundle import export_answer
from app.export.render import main, page_count, render_pdf, soffice
from tests.export.conftest import TODAY


def test_render_counts_pages(
    cadre_answer: Answer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    result = export_answer(cadre_answer, tmp_path, today=TODAY)
    pdf = render_pdf(tmp_path / "memoire.docx")
    pages = page_count(pdf)
    # Cover + contents + body + annex: at least 4 pages, and close to the estimate.
    assert pages >= 4
    assert abs(pages - result.memoire.estimated_pages) <= max(3, pages // 2)
    assert main([str(tmp_path)]) == 0
    assert f"{pages} pages" in capsys.readouterr().out


def test_render_without_memoire_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 4
    assert "memoire.docx est introuvable" in capsys.readouterr().err
