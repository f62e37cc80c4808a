"""Network faults through the real SDK: 429 with retry-after, 529, 500, malformed structured output."""

from __future__ import annotations

import anthropic
import pytest

from app.analysis.claude import retry
from app.analysis.claude.engine import run_claude
from app.analysis.claude.extraction import MalformedOutput
from app.analysis.claude.retry import ClaudeUnavailable, with_retries
from app.analysis.engines import analyze
from app.domain.document import PieceText
from tests.claude.conftest import extraction, source
from tests.support.fake_claude import FakeClaude, Reply, count_text_tokens

BUYER = {"value": "Commune de Saint-Exemple", "source": source("DCE/RC.pdf", 1, "Commune de Saint-Exemple")}


def _client(fake: FakeClaude) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="k", base_url=fake.url, max_retries=0)


def _hello(client: anthropic.Anthropic) -> str:
    message = client.messages.create(
        model="claude-haiku-4-5", max_tokens=20, messages=[{"role": "user", "content": "Bonjour"}]
    )
    return "".join(b.text for b in message.content if b.type == "text")


def test_429_waits_what_retry_after_says_and_tells_the_user(fake: FakeClaude, waits: list[float]) -> None:
    fake.push(Reply.error(429, retry_after="3"), Reply.json_text("Me voici."))
    statuses: list[str] = []
    assert with_retries(lambda: _hello(_client(fake)), on_status=statuses.append) == "Me voici."
    assert sum(waits) == pytest.approx(3.0)
    assert statuses == ["Limite de débit de Claude atteinte, nouvelle tentative dans 3 s"]
    assert len(fake.message_calls) == 2


def test_529_and_500_are_retried_with_backoff(fake: FakeClaude, waits: list[float]) -> None:
    fake.push(Reply.error(529), Reply.error(500), Reply.json_text("Enfin."))
    statuses: list[str] = []
    assert with_retries(lambda: _hello(_client(fake)), on_status=statuses.append) == "Enfin."
    assert statuses[0].startswith("Claude surchargé, nouvelle tentative dans ")
    assert statuses[1].startswith("Erreur temporaire du service Claude")
    assert sum(waits) > 2.0  # exponential backoff, no retry-after given


def test_gives_up_with_a_french_message(fake: FakeClaude, waits: list[float]) -> None:
    fake.push(*[Reply.error(500)] * retry.MAX_ATTEMPTS)
    with pytest.raises(ClaudeUnavailable, match="abandon après plusieurs tentatives"):
        with_retries(lambda: _hello(_client(fake)))
    assert len(fake.message_calls) == retry.MAX_ATTEMPTS


def test_quota_retry_after_of_weeks_is_not_waited(fake: FakeClaude, waits: list[float]) -> None:
    """The account proxy answers 429 until next month: say so at once, do not hang."""

    quota = Reply.error(429, retry_after="1900000")
    quota.payload = {"error": {"code": "quota_exceeded", "message": "Quota mensuel d'analyse atteint."}}
    fake.push(quota)
    with pytest.raises(ClaudeUnavailable, match="Quota mensuel d'analyse atteint"):
        with_retries(lambda: _hello(_client(fake)))
    assert waits == []


def test_401_is_not_retried(fake: FakeClaude, waits: list[float]) -> None:
    fake.push(Reply.error(401))
    with pytest.raises(ClaudeUnavailable, match="401"):
        with_retries(lambda: _hello(_client(fake)))
    assert len(fake.message_calls) == 1


def test_malformed_output_gets_one_cheap_repair(claude_env: FakeClaude, dce: list[PieceText]) -> None:
    claude_env.push(Reply.malformed(), Reply.structured(extraction(buyer=BUYER)))
    usages: list[object] = []
    result = run_claude(
        dce, fields=None, progress=None, cancel=None, usage_sink=usages.append, consultation_uuid="c1"
    )
    assert result.buyer == "Commune de Saint-Exemple"
    first, repair = claude_env.message_calls
    # The repair carries the bad answer and the schema, not the DCE again.
    assert "<dce_non_fiable>" not in str(repair.body["messages"])
    assert "reponse_invalide" in str(repair.body["messages"])
    assert repair.body["output_config"]["format"]["type"] == "json_schema"
    assert repair.usage is not None and first.usage is not None
    dce_block = first.body["messages"][0]["content"][0]["text"]
    saved = first.usage["input_tokens"] - repair.usage["input_tokens"]
    assert saved > count_text_tokens(dce_block) - 100
    assert [u.purpose for u in usages] == ["extraction", "repair"]  # type: ignore[attr-defined]


def test_malformed_twice_leaves_the_offline_result_with_a_warning(
    claude_env: FakeClaude, dce: list[PieceText]
) -> None:
    claude_env.push(Reply.malformed(), Reply.malformed())
    with pytest.raises(MalformedOutput):
        run_claude(dce, fields=None, progress=None, cancel=None, usage_sink=None, consultation_uuid=None)
    claude_env.push(Reply.malformed(), Reply.malformed())
    offline = analyze(dce, "offline")
    result = analyze(dce, "claude")
    assert any("mal formée" in w for w in result.warnings)
    assert result.deadline == offline.deadline
    assert result.engine == offline.engine


def test_overloaded_status_reaches_the_progress_callback(
    claude_env: FakeClaude, dce: list[PieceText]
) -> None:
    claude_env.push(Reply.error(529, retry_after="20"), Reply.structured(extraction(buyer=BUYER)))
    labels: list[str] = []
    result = analyze(dce, "claude", progress=lambda done, total, label: labels.append(label))
    assert "Claude surchargé, nouvelle tentative dans 20 s" in labels
    assert result.buyer == "Commune de Saint-Exemple"


def test_a_timeout_is_retried(fake: FakeClaude, waits: list[float]) -> None:
    fake.push(Reply(text="Trop tard.", delay=1.0), Reply.json_text("À temps."))
    client = anthropic.Anthropic(api_key="k", base_url=fake.url, max_retries=0, timeout=0.2)
    statuses: list[str] = []
    assert with_retries(lambda: _hello(client), on_status=statuses.append) == "À temps."
    assert statuses[0].startswith("Claude ne répond pas, nouvelle tentative")
