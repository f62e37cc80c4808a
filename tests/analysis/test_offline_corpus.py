"""The offline engine on real DCEs (../shared/corpus, skipped when absent) and on our example DCE."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.analysis.fiche import render_fiche
from app.analysis.offline import analyze_offline
from app.domain.analysis import Analysis, Procedure, SiteVisit
from app.domain.kinds import PieceKind
from app.domain.kinds import RequiredDocument as R
from tests.analysis.helpers import assert_contract_valid, assert_evidence_honest
from tests.analysis.loader import load_dce
from tests.conftest import EXAMPLE_DIR

SCORER = Path("tools") / "score_analysis.py"


@pytest.mark.corpus
def test_vsgp_scores_at_least_090(corpus: Path, tmp_path: Path) -> None:
    pieces = load_dce(corpus / "vsgp")
    analysis = analyze_offline(pieces)
    assert_evidence_honest(analysis, pieces)
    contract = analysis.to_contract()
    assert_contract_valid(contract)
    out = tmp_path / "vsgp.json"
    out.write_text(json.dumps(contract, ensure_ascii=False), encoding="utf-8")
    truth = corpus / "truth" / "vsgp.json"
    proc = subprocess.run(
        [sys.executable, str(corpus.parent / SCORER), str(truth), str(out), "--verbose"],
        capture_output=True,
        text=True,
        check=True,
    )
    score = float(proc.stdout.strip().splitlines()[-1].split(":")[1])
    assert score >= 0.90, proc.stdout


@pytest.mark.corpus
@pytest.mark.parametrize("folder", ["coupvray", "cuzieu"])
def test_cctps_alone_give_no_invented_rules(corpus: Path, folder: str) -> None:
    pieces = load_dce(corpus / folder)
    assert pieces and all(p.kind is PieceKind.CCTP for p in pieces if p.pages)
    analysis = analyze_offline(pieces)
    assert_evidence_honest(analysis, pieces)
    # A CCTP states no consultation rules: nothing of the kind may be made up from it.
    assert analysis.deadline is None
    assert analysis.criteria == []
    assert analysis.questions_deadline is None
    assert analysis.offer_validity_days is None
    assert analysis.required_documents == []
    assert analysis.warnings[0].startswith("Aucun règlement de la consultation (RC)")
    assert len(analysis.pieces) == len(pieces)


def _example() -> tuple[list, Analysis]:  # type: ignore[type-arg]
    zip_path = EXAMPLE_DIR / "dce.zip"
    if not zip_path.exists():
        pytest.skip("the example DCE is not built yet")
    pieces = load_dce(zip_path)
    return pieces, analyze_offline(pieces)


def test_example_dce_analysis() -> None:
    pieces, analysis = _example()
    assert_evidence_honest(analysis, pieces)
    assert_contract_valid(analysis.to_contract())
    assert analysis.evidence["deadline"].file.endswith(".pdf")
    assert analysis.deadline is not None and analysis.deadline.endswith("+02:00")
    assert analysis.procedure is Procedure.PROCEDURE_ADAPTEE
    assert analysis.reference and analysis.buyer and analysis.object
    assert analysis.site_visit is SiteVisit.MANDATORY
    assert analysis.variants_allowed is False
    assert analysis.offer_validity_days is not None and analysis.offer_validity_days % 30 == 0
    assert len(analysis.lots) >= 2
    assert analysis.criteria and abs(sum(c.weight_percent or 0 for c in analysis.criteria) - 100) < 0.5
    for criterion in analysis.criteria:
        if criterion.subcriteria:
            assert (
                abs(
                    sum(s.weight_percent or 0 for s in criterion.subcriteria)
                    - (criterion.weight_percent or 0)
                )
                < 0.5
            )
    assert {R.AE, R.MEMOIRE_TECHNIQUE} <= set(analysis.required_documents)
    assert analysis.memoire_page_limit is not None
    unread = [p for p in analysis.pieces if p.unread_reason]
    assert unread and all("non lu" in (p.unread_reason or "") for p in unread)


def test_example_fiche_is_french_and_cites_pages() -> None:
    _, analysis = _example()
    fiche = render_fiche(analysis)
    assert fiche == analysis.fiche
    assert "FICHE DE SYNTHÈSE" in fiche
    assert (
        "Date limite des offres" in fiche
        and " à " in fiche.split("Date limite des offres", 1)[1].splitlines()[0]
    )
    assert "p. 1]" in fiche
    for criterion in analysis.criteria:
        assert criterion.name in fiche
