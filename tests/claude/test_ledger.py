"""The usage ledger: every Claude call's tokens and cost, per consultation, in the encrypted store."""

from __future__ import annotations

from datetime import UTC, datetime

import anthropic
import pytest

from app.analysis.engines import analyze
from app.domain.document import PieceText
from app.drafting.claude import draft_section, drafting_context
from app.services import claude as claude_service
from app.settings import CLAUDE_DRAFTING_MODEL, CLAUDE_EXTRACTION_MODEL, CLAUDE_PRICES_EUR, Settings
from local_store import repo_usage
from local_store.store import Store
from tests.claude.conftest import extraction, source
from tests.support.fake_claude import FakeClaude, Reply


def _expected_cost(model: str, u: dict[str, int]) -> float:
    price = Settings.load().get(CLAUDE_PRICES_EUR)[model]
    return (
        u["input_tokens"] * price["input"]
        + u["output_tokens"] * price["output"]
        + u["cache_creation_input_tokens"] * price["cache_write"]
        + u["cache_read_input_tokens"] * price["cache_read"]
    ) / 1_000_000


def test_ledger_records_tokens_and_cost_per_consultation(
    claude_env: FakeClaude, dce: list[PieceText], store: Store
) -> None:
    buyer = {
        "value": "Commune de Saint-Exemple",
        "source": source("DCE/RC.pdf", 1, "Commune de Saint-Exemple"),
    }
    claude_env.push(Reply.structured(extraction(buyer=buyer)))
    analyze(dce, "claude", usage_sink=claude_service.ledger_sink(store, "cons-1"), consultation_uuid="cons-1")
    # Two drafted sections of the same consultation (the second reads the cached DCE block).
    big = [
        p.__class__(
            p.path, p.kind, p.sha256, p.size, [pg.__class__(pg.number, pg.text * 20) for pg in p.pages]
        )
        for p in dce
    ]
    context = drafting_context(big)
    client = anthropic.Anthropic(api_key="k", base_url=claude_env.url, max_retries=0)
    sink = claude_service.ledger_sink(store, "cons-1")
    for title in ("Moyens humains", "Méthodologie"):
        claude_env.push(Reply(text=f"Texte de la section {title}.", chunks=3))
        draft_section(
            context, title, "Verts Horizons SARL", [], lambda _t: None, client=client, usage_sink=sink
        )
    # Another consultation's call does not mix in.
    claude_env.push(Reply.structured(extraction()))
    analyze(dce, "claude", usage_sink=claude_service.ledger_sink(store, "cons-2"), consultation_uuid="cons-2")

    rows = repo_usage.rows(store, "cons-1")
    assert [r.purpose for r in rows] == ["extraction", "drafting", "drafting"]
    served = [c.usage for c in claude_env.message_calls]
    for row, usage, model in zip(
        rows,
        served,
        [CLAUDE_EXTRACTION_MODEL.default, CLAUDE_DRAFTING_MODEL.default, CLAUDE_DRAFTING_MODEL.default],
        strict=False,
    ):
        assert usage is not None
        assert row.model == model
        assert (row.input_tokens, row.output_tokens) == (usage["input_tokens"], usage["output_tokens"])
        assert row.cache_write_tokens == usage["cache_creation_input_tokens"]
        assert row.cache_read_tokens == usage["cache_read_input_tokens"]
        assert row.cost_eur == pytest.approx(_expected_cost(model, usage), abs=1e-6)
    assert rows[1].cache_write_tokens > 0 and rows[2].cache_read_tokens == rows[1].cache_write_tokens

    summary = claude_service.usage_summary(store, "cons-1")
    assert summary.total.calls == 3
    assert summary.total.cost_eur == pytest.approx(sum(r.cost_eur for r in rows), abs=1e-6)
    assert summary.month.calls == 4  # the monthly spend covers every consultation
    assert {c for c, _ in summary.by_consultation} == {"cons-1", "cons-2"}


def test_monthly_spend_starts_on_the_first_of_the_month(store: Store) -> None:
    common = {"purpose": "drafting", "model": "claude-sonnet-4-5", "input_tokens": 1000, "output_tokens": 10}
    repo_usage.record(store, consultation_uuid="a", cache_write_tokens=0, cache_read_tokens=0, cost_eur=0.5,
                      at=datetime(2026, 10, 31, 12, tzinfo=UTC), **common)  # fmt: skip
    repo_usage.record(store, consultation_uuid="a", cache_write_tokens=0, cache_read_tokens=0, cost_eur=0.25,
                      at=datetime(2026, 11, 2, 9, tzinfo=UTC), **common)  # fmt: skip
    summary = claude_service.usage_summary(store, now=datetime(2026, 11, 26, 15, tzinfo=UTC))
    assert summary.month.cost_eur == pytest.approx(0.25)
    assert summary.total.cost_eur == pytest.approx(0.75)


def test_calls_are_recorded_even_when_the_caller_passes_no_sink(
    claude_env: FakeClaude, dce: list[PieceText], store: Store
) -> None:
    claude_env.push(Reply.structured(extraction()))
    analyze(dce, "claude", consultation_uuid="cons-9")
    rows = repo_usage.rows(store, "cons-9")
    assert len(rows) == 1 and rows[0].input_tokens > 0 and rows[0].cost_eur > 0
