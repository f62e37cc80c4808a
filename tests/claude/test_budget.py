"""Token economy: the RC whole, the relevant CCTP pages only, and never past the input budget."""

from __future__ import annotations

import random

import pytest

from app.analysis.engines import analyze
from app.domain.kinds import PieceKind
from app.settings import CLAUDE_INPUT_BUDGET, Settings
from tests.claude.conftest import RC_PAGES, extraction, piece
from tests.support.fake_claude import FakeClaude, Reply

WORDS = [
    "fourniture",
    "pose",
    "réseau",
    "canalisation",
    "tranchée",
    "enrobé",
    "signalisation",
    "chaussée",
    "bordure",
    "regard",
    "béton",
    "armature",
    "coffrage",
    "terrassement",
    "remblai",
    "compactage",
    "essai",
    "contrôle",
    "réception",
    "ouvrage",
    "entreprise",
    "titulaire",
    "maître",
    "d'œuvre",
    "prescriptions",
    "norme",
    "matériaux",
    "exécution",
]


def _huge_cctp(pages: int = 1000) -> list[str]:
    rng = random.Random(7)
    out = []
    for n in range(1, pages + 1):
        body = " ".join(rng.choice(WORDS) for _ in range(420))
        out.append(f"CCTP – Article {n}\n{body}")
    target = pages * 737 // 1000
    out[target] = (
        "Mémoire technique\nLe mémoire technique ne dépassera pas 20 pages hors annexes. " + out[target]
    )
    return out


def _sent_tokens(fake: FakeClaude) -> int:
    total = 0
    for call in fake.message_calls:
        assert call.usage is not None
        u = call.usage
        total += u["input_tokens"] + u["cache_creation_input_tokens"] + u["cache_read_input_tokens"]
    return total


@pytest.mark.parametrize("count_tokens_status", [200, 404], ids=["counted-online", "estimated"])
@pytest.mark.parametrize("budget", [60_000, 25_000])
def test_a_1000_page_cctp_never_pushes_an_analysis_past_the_budget(
    claude_env: FakeClaude, count_tokens_status: int, budget: int
) -> None:
    Settings.load().set(CLAUDE_INPUT_BUDGET, budget)
    claude_env.count_tokens_status = count_tokens_status
    cctp = _huge_cctp()
    dce = [piece("RC.pdf", PieceKind.RC, RC_PAGES), piece("CCTP.pdf", PieceKind.CCTP, cctp)]
    whole = sum(len(p) for p in cctp) // 4
    assert whole > 10 * budget  # the CCTP alone is far beyond the budget
    # Malformed first: the repair call counts in the same analysis budget.
    claude_env.push(Reply.malformed(), Reply.structured(extraction()))
    analyze(dce, "claude")
    assert len(claude_env.message_calls) == 2
    counted = [s for s in claude_env.seen if s.path.endswith("/count_tokens")]
    assert counted  # asked the API for the exact count (404 → the estimate alone)
    assert _sent_tokens(claude_env) <= budget
    block = claude_env.message_calls[0].body["messages"][0]["content"][0]["text"]
    for page in RC_PAGES:  # the RC goes whole
        assert page in block
    assert "ne dépassera pas 20 pages" in block  # the relevant CCTP page was found among 1,000
    assert block.count('fichier="CCTP.pdf"') < 60


def test_hybrid_sends_only_pages_for_the_missing_fields(claude_env: FakeClaude) -> None:
    cctp = _huge_cctp(200)
    dce = [piece("RC.pdf", PieceKind.RC, RC_PAGES), piece("CCTP.pdf", PieceKind.CCTP, cctp)]
    claude_env.push(Reply.structured(extraction()))
    claude_env.push(Reply.structured(extraction()))
    analyze(dce, "claude")
    analyze(dce, "hybrid")
    full, hybrid = claude_env.message_calls
    assert full.usage is not None and hybrid.usage is not None
    assert hybrid.usage["input_tokens"] < full.usage["input_tokens"]
    assert "Seuls ces champs sont demandés" in str(hybrid.body["messages"])


def test_the_api_count_corrects_a_too_optimistic_estimate(
    waits: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a tokenizer denser than our estimate (2 chars per token), count_tokens trims the pages."""
    with FakeClaude(chars_per_token=2.0) as dense:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", dense.url)
        Settings.load().set(CLAUDE_INPUT_BUDGET, 16_000)
        dce = [piece("RC.pdf", PieceKind.RC, RC_PAGES), piece("CCTP.pdf", PieceKind.CCTP, _huge_cctp(300))]
        dense.push(Reply.structured(extraction()))
        analyze(dce, "claude")
        assert len([s for s in dense.seen if s.path.endswith("/count_tokens")]) >= 2  # it had to trim
        assert _sent_tokens(dense) <= 16_000 - 6_000  # the repair reserve stays free
