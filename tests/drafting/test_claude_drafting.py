"""Drafting a section with Claude (loopback Messages API): streamed, saved in the answer, same facts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

import pytest

from app.analysis.claude import retry
from app.domain.progress import CancelToken
from app.drafting.answer import prepare_answer
from app.drafting.gonogo import PARIS
from app.services import consent, proposals
from tests.drafting.builders import analysis, cadre, cctp, example_profile, rc
from tests.support.fake_claude import FakeClaude, Reply


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeClaude]:
    with FakeClaude() as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        monkeypatch.setattr(retry, "sleep", lambda _s: None)
        consent.set_global_choice(consent.ALWAYS)  # these tests are about drafting, not the question
        yield server


def test_section_is_streamed_from_claude_with_the_profile_and_the_requirements(fake: FakeClaude) -> None:
    pieces = [rc(), cctp(), cadre()]
    answer = prepare_answer(analysis(), pieces, example_profile(), now=datetime(2026, 11, 26, tzinfo=PARIS))
    text = "Notre équipe est dirigée par Claire Morel. [à compléter : nom du chef de chantier]"
    fake.push(Reply(text=text, chunks=5))
    received: list[str] = []
    assert proposals.claude_available()
    result = proposals.draft_with_claude(answer, "1.1", pieces, received.append)
    assert result == text and "".join(received) == text and len(received) > 1
    assert answer.bodies["1.1"] == text
    sent = json.dumps(fake.message_calls[-1].body, ensure_ascii=False)
    assert "81247563000016" in sent  # company facts come from the profile
    assert "1.1 Présentez l'équipe affectée au chantier" in sent
    assert "Le titulaire devra désigner un conducteur de travaux" in sent  # its mapped requirement


def test_cancelled_claude_draft_keeps_the_offline_text(fake: FakeClaude) -> None:
    pieces = [rc(), cctp(), cadre()]
    answer = prepare_answer(analysis(), pieces, example_profile(), now=datetime(2026, 11, 26, tzinfo=PARIS))
    before = answer.bodies["1.2"]
    cancel = CancelToken()
    cancel.cancel()
    fake.push(Reply(text="ne doit pas arriver"))
    assert proposals.draft_with_claude(answer, "1.2", pieces, lambda _t: None, cancel) == ""
    assert answer.bodies["1.2"] == before
