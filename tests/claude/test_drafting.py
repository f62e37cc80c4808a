"""Streamed drafting: token by token, cached DCE context, cancellable, resumable after a cut."""

from __future__ import annotations

import anthropic

from app.domain.document import PieceText
from app.domain.kinds import PieceKind
from app.domain.progress import CancelToken
from app.drafting.claude import SectionBrief, draft_section, drafting_context
from tests.claude.conftest import RC_PAGES, piece
from tests.support.fake_claude import FakeClaude, Reply

FACTS = {"raison_sociale": "Verts Horizons SARL", "effectif": 12, "certifications": ["Qualipaysage P110"]}
REQS = ["Décrire l'organisation des équipes", "Préciser le matériel de tonte"]
SECTION = SectionBrief(title="Moyens humains et matériels", criterion="Valeur technique", weight_percent=30)
TEXT = (
    "Verts Horizons SARL mobilise une équipe de 12 personnes, dont [à compléter : nom du chef "
    "d'équipe]. Le parc comprend des tondeuses autoportées et des taille-haies thermiques. "
)


def _dce() -> list[PieceText]:
    cctp = [
        f"Page {n} : organisation des moyens de tonte, taille et désherbage thermique, secteur {n}. " * 60
        for n in range(1, 81)
    ]
    return [piece("RC.pdf", PieceKind.RC, RC_PAGES), piece("CCTP.pdf", PieceKind.CCTP, cctp)]


def _client(fake: FakeClaude) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="k", base_url=fake.url, max_retries=0)


def test_streams_to_the_callback_and_later_sections_read_the_cache(fake: FakeClaude) -> None:
    context = drafting_context(_dce())
    received: list[str] = []
    fake.push(Reply(text=TEXT, chunks=10), Reply(text="Deuxième section.", chunks=3))
    first = draft_section(context, SECTION, FACTS, REQS, received.append, client=_client(fake))
    second = draft_section(context, "Méthodologie", FACTS, REQS, lambda _t: None, client=_client(fake))
    assert first.complete and first.text == TEXT
    assert len(received) == 10 and "".join(received) == TEXT
    assert second.text == "Deuxième section."
    # The DCE block is marked for caching: the first call writes it, the next one reads it.
    calls = fake.message_calls
    assert calls[0].body["messages"][0]["content"][0]["cache_control"] == {"type": "ephemeral"}
    assert first.usages[0].cache_write_tokens > 1000 and first.usages[0].cache_read_tokens == 0
    assert second.usages[0].cache_read_tokens == first.usages[0].cache_write_tokens
    prompt = "".join(b["text"] for b in calls[0].body["messages"][0]["content"][1:])
    assert "N'invente aucun" in prompt and "[à compléter :" in prompt
    assert "Verts Horizons SARL" in prompt and "Préciser le matériel de tonte" in prompt


def test_cancel_keeps_the_partial_text(fake: FakeClaude) -> None:
    context = drafting_context(_dce())
    cancel = CancelToken()
    received: list[str] = []

    def on_text(chunk: str) -> None:
        received.append(chunk)
        if len(received) == 4:
            cancel.cancel()  # the user presses "Annuler" while text arrives

    fake.push(Reply(text=TEXT * 4, chunks=40, delay=0.01))  # a slow stream
    result = draft_section(context, SECTION, FACTS, REQS, on_text, cancel, client=_client(fake))
    assert result.cancelled and not result.complete
    assert result.text == "".join(received) and len(received) == 4
    assert 0 < len(result.text) < len(TEXT * 4)


def test_a_cut_stream_keeps_what_arrived_and_resumes(fake: FakeClaude, waits: list[float]) -> None:
    context = drafting_context(_dce())
    received: list[str] = []
    fake.push(Reply(text=TEXT, chunks=10, cut_after=4), Reply(text="suite et fin.", chunks=2))
    statuses: list[str] = []
    result = draft_section(
        context, SECTION, FACTS, REQS, received.append, client=_client(fake), on_status=statuses.append
    )
    kept = TEXT[: len("".join(received[:4]))]
    assert result.complete
    assert result.text == kept + "suite et fin."
    assert "".join(received) == result.text  # nothing repeated to the editor
    resumed = fake.message_calls[1].body["messages"]
    assert resumed[1] == {"role": "assistant", "content": kept.rstrip()}
    assert "reprends exactement" in resumed[2]["content"]
    assert statuses and statuses[0].startswith("Connexion à Claude interrompue")


def test_resume_from_a_saved_partial(fake: FakeClaude) -> None:
    context = drafting_context(_dce())
    fake.push(Reply(text=" et la fin.", chunks=2))
    received: list[str] = []
    result = draft_section(
        context, SECTION, FACTS, REQS, received.append, client=_client(fake), resume_from="Le début"
    )
    assert result.text == "Le début et la fin."
    assert "".join(received) == " et la fin."


def test_overloaded_before_the_stream_is_retried(fake: FakeClaude, waits: list[float]) -> None:
    context = drafting_context(_dce())
    fake.push(Reply.error(529, retry_after="0"), Reply(text="Bonjour.", chunks=2))
    statuses: list[str] = []
    result = draft_section(
        context, SECTION, FACTS, REQS, lambda _t: None, client=_client(fake), on_status=statuses.append
    )
    assert result.complete and result.text == "Bonjour."
    assert statuses == ["Claude surchargé, nouvelle tentative immédiate"]


def test_an_overloaded_event_mid_stream_resumes_after_the_kept_text(
    fake: FakeClaude, waits: list[float]
) -> None:
    context = drafting_context(_dce())
    fake.push(Reply(text=TEXT, chunks=10, error_after=5), Reply(text="la suite.", chunks=2))
    statuses: list[str] = []
    received: list[str] = []
    result = draft_section(
        context, SECTION, FACTS, REQS, received.append, client=_client(fake), on_status=statuses.append
    )
    assert result.complete and result.text == "".join(received)
    assert result.text.endswith("la suite.") and result.text.startswith(TEXT[:20])
    assert statuses[0].startswith("Claude surchargé, nouvelle tentative")
