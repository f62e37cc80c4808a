"""The corpus's RCs without a truth file: read without error, and nothing invented — every lot and
every criterion the analysis gives is written in the RC, and each lot's weights add up."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis.offline import analyze_offline
from app.analysis.offline.text import fold
from tests.analysis.helpers import assert_contract_valid, assert_evidence_honest
from tests.analysis.loader import load_dce


def _words(text: str) -> str:
    return " ".join(fold(text).replace("’", "'").split())


@pytest.mark.parametrize("name", ["2025-R001-000-000_RC_vNC.pdf", "2025-R007-000-000_RC.pdf"])
def test_unlabeled_rc_lots_and_criteria_are_all_in_it(corpus: Path, name: str) -> None:
    path = corpus / "unlabeled" / name
    if not path.is_file():
        pytest.skip(f"{name} absent")
    pieces = load_dce(path)
    analysis = analyze_offline(pieces)
    assert_evidence_honest(analysis, pieces)
    assert_contract_valid(analysis.to_contract())
    text = _words(" ".join(p.text for piece in pieces for p in piece.pages))
    numbers = [lot.number for lot in analysis.lots]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 7
    for lot in analysis.lots:
        assert _words(lot.title) in text, lot
    groups = analysis.criteria_groups()
    assert len(groups) >= 2  # this buyer weights groups of lots differently
    assert sorted(n for lots, _ in groups for n in lots) == numbers  # each lot in one group
    for _, criteria in groups:
        assert abs(sum(c.weight_percent or 0 for c in criteria) - 100) <= 0.5
        for criterion in criteria:
            assert _words(criterion.name) in text, criterion.name
