"""The offline engine on RCs in other buyers' styles: real PDFs written with fpdf2 from
tests/analysis/rc_samples/*.txt, read back by the import, scored by the official scorer against
the hand-written truth next to each sample."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.analysis.offline import analyze_offline
from tests.analysis.helpers import assert_contract_valid, assert_evidence_honest
from tests.analysis.loader import load_dce
from tests.analysis.rc_samples.render import render, sources

SCORER = Path(__file__).resolve().parents[2] / ".." / "shared" / "tools" / "score_analysis.py"


def _score(truth: Path, contract: dict[str, object], tmp_path: Path) -> tuple[float, str]:
    out = tmp_path / "analysis.json"
    out.write_text(json.dumps(contract, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(SCORER), str(truth), str(out), "--verbose"],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(proc.stdout.strip().splitlines()[-1].split(":")[1]), proc.stdout


@pytest.mark.parametrize("core_font", [False, True], ids=["unicode-font", "core-font"])
@pytest.mark.parametrize("source", sources(), ids=lambda p: p.stem)
def test_rc_sample_scores_at_least_090(source: Path, core_font: bool, tmp_path: Path) -> None:
    """Each sample twice: with DejaVu Sans and with Helvetica, whose glyph widths wrap lines and
    table cells elsewhere (pypdf then prints them differently)."""
    if not SCORER.exists():
        pytest.skip("the official scorer (../shared/tools) is absent")
    pieces = load_dce(*render(source, tmp_path, core_font=core_font))
    analysis = analyze_offline(pieces)
    assert_evidence_honest(analysis, pieces)
    contract = analysis.to_contract()
    assert_contract_valid(contract)
    score, report = _score(source.with_suffix(".json"), contract, tmp_path)
    assert score >= 0.9, report
