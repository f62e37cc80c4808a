"""One page count (app.export.pagecount) for the editor, the CLI and the export, checked against
LibreOffice's rendering: within ±15 % on the example and demo mémoires (skipped without soffice)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.dce.reader import read_dce
from app.drafting.outline import Outline, OutlineSection, OutlineSource
from app.export import pagecount
from app.export.memoire import MemoireInput, write_memoire
from app.export.render import page_count, render_pdf, soffice
from app.library.importer import read_document
from app.services import library, proposals
from app.services.consultations import run_engine
from app.services.profile import read_profile_file

EXAMPLE = Path(__file__).resolve().parents[2] / "app" / "resources" / "example"


def _inputs() -> dict[str, MemoireInput]:
    outcome = read_dce([EXAMPLE / "dce.zip"], workers=1)
    analysis = run_engine(outcome.pieces, "offline")
    profile = read_profile_file(EXAMPLE / "profile.json")
    day = date(2027, 5, 3)
    demo = proposals.answer_offline(analysis, outcome.pieces, profile, library.example_blocks())
    bare = proposals.answer_offline(analysis, outcome.pieces, profile)
    out = {
        "demo": MemoireInput(analysis, profile, demo.outline, demo.bodies, demo.requirements, today=day),
        "demo_annexe": MemoireInput(
            analysis, profile, demo.outline, demo.bodies, demo.requirements, today=day, annex=True
        ),
        "exemple_sans_bibliotheque": MemoireInput(
            analysis, profile, bare.outline, bare.bodies, bare.requirements, today=day
        ),
    }
    for path in sorted((EXAMPLE / "library").glob("*.docx")):
        doc = read_document(path.name, path.read_bytes())
        sections = [OutlineSection(key=str(i + 1), title=b.title, level=1) for i, b in enumerate(doc.blocks)]
        bodies = {str(i + 1): b.body for i, b in enumerate(doc.blocks)}
        out[path.stem] = MemoireInput(
            analysis, profile, Outline(OutlineSource.CRITERIA, sections), bodies, today=day
        )
    return out


def test_estimate_is_within_15_percent_of_libreoffice(tmp_path: Path) -> None:
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    for name, data in _inputs().items():
        folder = tmp_path / name
        folder.mkdir()
        result = write_memoire(data, folder / "memoire.docx")
        rendered = page_count(render_pdf(folder / "memoire.docx"))
        assert abs(result.estimated_pages - rendered) <= 0.15 * rendered, (
            name,
            result.estimated_pages,
            rendered,
        )


def test_editor_cli_and_export_count_with_the_same_function(tmp_path: Path) -> None:
    data = _inputs()["demo"]
    result = write_memoire(data, tmp_path / "memoire.docx")
    assert result.pages is not None
    # What the editor computes from the sections' texts (and the profile for its tables).
    sections = [
        (s.level, h, data.bodies.get(s.key, ""))
        for s, h in zip(data.outline.sections, result.headings, strict=True)
    ]
    editor = pagecount.body_pages(sections, data.profile)
    assert abs(editor - result.pages.body) < 0.6  # the export also counts the buyer's questions
    assert result.estimated_pages == result.pages.total
