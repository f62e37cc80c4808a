"""Drafting one section of the mémoire technique with Claude, streamed token by token.

The consultation's context block (same bytes for every section) carries `cache_control`, so the
first section writes the cache and the next ones read it at a tenth of the price. A stream cut
halfway keeps what arrived and resumes from there; cancelling keeps the partial text.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import anthropic
import httpx2

from app.analysis.claude import prompts
from app.analysis.claude.client import make_client
from app.analysis.claude.context import DceContext, build_context
from app.analysis.claude.retry import (
    MAX_ATTEMPTS,
    StatusFn,
    backoff_seconds,
    classify,
    final_message,
    status_text,
    wait_with_cancel,
)
from app.analysis.claude.usage import CallUsage, usage_from_response
from app.domain.document import PieceText
from app.domain.progress import Cancelled, CancelToken
from app.settings import CLAUDE_DRAFTING_MODEL, CLAUDE_INPUT_BUDGET, Settings

log = logging.getLogger(__name__)

DRAFTING_CONTEXT_TOKENS = 12_000  # the shared, cached DCE block for drafting (capped by the budget)
MAX_OUTPUT_TOKENS = 4096
DRAFTING_FIELDS = ("drafting", "criteria", "memoire_page_limit", "object")


@dataclass(frozen=True, slots=True)
class SectionBrief:
    """What a section answers: its title, the criterion/sub-criterion and its weight."""

    title: str
    criterion: str | None = None
    weight_percent: float | None = None
    target_words: int | None = None

    def render(self) -> str:
        lines = [f"Titre : {self.title}"]
        if self.criterion:
            lines.append(f"Critère : {self.criterion}")
        if self.weight_percent is not None:
            lines.append(f"Pondération : {self.weight_percent:g} % de la note")
        return "\n".join(lines)


@dataclass
class DraftResult:
    text: str
    complete: bool  # the model finished (stop_reason end_turn / max_tokens)
    cancelled: bool = False
    stop_reason: str | None = None
    resumes: int = 0  # how many times a cut stream was resumed
    warning: str | None = None  # French, for the user
    usages: list[CallUsage] = field(default_factory=list)


def drafting_context(pieces: Sequence[PieceText], settings: Settings | None = None) -> DceContext:
    """The consultation's drafting block; build it once and pass it to every draft_section call."""
    settings = settings or Settings.load()
    budget = min(DRAFTING_CONTEXT_TOKENS, settings.get(CLAUDE_INPUT_BUDGET) // 2)
    return build_context(pieces, budget, fields=DRAFTING_FIELDS, whole_rc=False)


def _render_facts(facts: str | Mapping[str, Any]) -> str:
    if isinstance(facts, str):
        return facts.strip() or "(aucun fait fourni)"
    return json.dumps(facts, ensure_ascii=False, separators=(",", ":"), default=str)


def build_messages(
    context: DceContext,
    section: SectionBrief | str,
    company_facts: str | Mapping[str, Any],
    requirements: Sequence[str],
    partial: str = "",
) -> list[dict[str, Any]]:
    brief = section if isinstance(section, SectionBrief) else SectionBrief(title=section)
    limit = ""
    if brief.target_words:
        limit = f"- Longueur visée : environ {brief.target_words} mots.\n"
    reqs = "\n".join(f"- {r.strip()}" for r in requirements if r.strip()) or "(aucune exigence listée)"
    rules = prompts.DRAFTING_RULES.format(facts=_render_facts(company_facts))
    prompt = prompts.DRAFTING_SECTION.format(
        title=brief.title, limit=limit, section=brief.render(), requirements=reqs
    )
    messages: list[dict[str, Any]] = [
        {
            "role": "user",
            "content": [
                context.block(cache=True),
                # Second breakpoint: the facts are cached too when they are the same for every section.
                {"type": "text", "text": rules, "cache_control": {"type": "ephemeral"}},
                {"type": "text", "text": prompt},
            ],
        }
    ]
    if partial.strip():
        messages.append({"role": "assistant", "content": partial.rstrip()})
        messages.append({"role": "user", "content": prompts.CONTINUE})
    return messages


def draft_section(
    context: DceContext,
    section: SectionBrief | str,
    company_facts: str | Mapping[str, Any],
    requirements: Sequence[str],
    on_text: Callable[[str], None],
    cancel: CancelToken | None = None,
    *,
    resume_from: str = "",
    client: anthropic.Anthropic | None = None,
    model: str | None = None,
    on_status: StatusFn | None = None,
    usage_sink: Callable[[CallUsage], None] | None = None,
    consultation_uuid: str | None = None,
) -> DraftResult:
    """Stream a section's text to `on_text`; returns what arrived, complete or not.

    `resume_from` continues a previous partial result (its text is not sent to on_text again).
    Transient faults (429/529/5xx, timeouts, a cut stream) are retried, resuming after the text
    already received. Cancelling returns the partial text with cancelled=True.
    """
    settings = Settings.load()
    client = client or make_client()
    model = model or settings.get(CLAUDE_DRAFTING_MODEL)
    if usage_sink is None:  # every call goes to the ledger, even if the caller forgot
        from app.analysis.claude.ledger import auto_sink

        usage_sink = auto_sink(consultation_uuid)
    result = DraftResult(text=resume_from, complete=False)
    failures = 0
    while True:
        if cancel is not None and cancel.cancelled:
            result.cancelled = True
            return result
        messages = build_messages(context, section, company_facts, requirements, result.text)
        snapshot: Any = None
        stopped = False
        try:
            with client.messages.stream(
                model=model,
                max_tokens=MAX_OUTPUT_TOKENS,
                system=prompts.SYSTEM,
                messages=messages,  # type: ignore[arg-type]
            ) as stream:
                for event in stream:
                    snapshot = _snapshot(stream)
                    if event.type == "content_block_delta" and event.delta.type == "text_delta":
                        result.text += event.delta.text
                        on_text(event.delta.text)
                    elif event.type == "message_stop":
                        stopped = True
                    if cancel is not None and cancel.cancelled:
                        break
                snapshot = _snapshot(stream)
        except (anthropic.APIError, httpx2.TransportError) as exc:
            _record(result, snapshot, model, consultation_uuid, usage_sink)
            reason = classify(exc) or (
                "Connexion à Claude interrompue" if isinstance(exc, httpx2.TransportError) else None
            )
            failures += 1
            if reason is None or failures >= MAX_ATTEMPTS:
                log.warning("drafting stream failed: %s", type(exc).__name__)
                result.warning = (
                    final_message(exc) if reason is None else f"{reason} : texte partiel conservé."
                )
                return result
            wait = backoff_seconds(failures - 1, exc)
            if on_status is not None:
                on_status(status_text(reason, wait))
            try:
                wait_with_cancel(wait, cancel)
            except Cancelled:
                result.cancelled = True
                return result
            continue
        _record(result, snapshot, model, consultation_uuid, usage_sink)
        if cancel is not None and cancel.cancelled:
            result.cancelled = True
            return result
        if not stopped:  # the connection ended without message_stop: a cut, resume
            failures += 1
            result.resumes += 1
            log.info("drafting stream cut after %d chars; resuming", len(result.text))
            if failures >= MAX_ATTEMPTS:
                result.warning = "Connexion à Claude interrompue : texte partiel conservé."
                return result
            continue
        result.stop_reason = getattr(snapshot, "stop_reason", None)
        result.complete = True
        if result.stop_reason == "max_tokens":
            result.warning = "Texte tronqué (longueur maximale atteinte)."
        return result


def _snapshot(stream: Any) -> Any:
    """The message accumulated so far (None before message_start)."""
    try:
        return stream.current_message_snapshot
    except AssertionError:
        return None


def _record(
    result: DraftResult,
    snapshot: Any,
    model: str,
    consultation_uuid: str | None,
    sink: Callable[[CallUsage], None] | None,
) -> None:
    if snapshot is None:
        return
    call = usage_from_response(
        snapshot.usage, purpose="drafting", model=model, consultation_uuid=consultation_uuid
    )
    result.usages.append(call)
    if sink is not None:
        sink(call)
