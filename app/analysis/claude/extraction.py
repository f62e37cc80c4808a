"""One structured-extraction call (`messages.parse`), within the input budget, with one repair."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import anthropic
import pydantic

from app.analysis.claude import prompts
from app.analysis.claude.context import DceContext, build_context, estimate_tokens
from app.analysis.claude.retry import StatusFn, with_retries
from app.analysis.claude.schema import ClaudeExtraction
from app.analysis.claude.usage import CallUsage, usage_from_response
from app.domain.document import PieceText
from app.domain.progress import CancelToken

log = logging.getLogger(__name__)

MAX_OUTPUT_TOKENS = 4096
# Kept out of the extraction call so that the repair call (bad output + schema, no DCE) also fits.
REPAIR_RESERVE_TOKENS = MAX_OUTPUT_TOKENS + 2048
SCHEMA_TOKENS = estimate_tokens(json.dumps(ClaudeExtraction.model_json_schema()))

UsageFn = Callable[[CallUsage], None]


class MalformedOutput(Exception):
    """The model's structured output did not validate, even after the repair attempt."""


@dataclass
class ExtractionOutcome:
    extraction: ClaudeExtraction
    context: DceContext
    usages: list[CallUsage] = field(default_factory=list)
    repaired: bool = False


def _messages(context: DceContext, instruction: str, *, cache: bool) -> list[dict[str, Any]]:
    return [
        {
            "role": "user",
            "content": [context.block(cache=cache), {"type": "text", "text": instruction}],
        }
    ]


def _request_overhead(instruction: str) -> int:
    return estimate_tokens(prompts.SYSTEM) + estimate_tokens(instruction) + SCHEMA_TOKENS + 50


def _exact_fits(
    client: anthropic.Anthropic, model: str, instruction: str, limit: int
) -> Callable[[DceContext], bool]:
    """A `fits` test using the API's own count (free); the estimate alone when it is unavailable."""
    state = {"online": True}

    def fits(ctx: DceContext) -> bool:
        if not state["online"]:
            return True  # the conservative estimate already applied
        try:
            counted = client.messages.count_tokens(
                model=model,
                system=prompts.SYSTEM,
                messages=_messages(ctx, instruction, cache=False),  # type: ignore[arg-type]
                output_format=ClaudeExtraction,
            )
        except anthropic.APIError as exc:
            log.info("count_tokens unavailable (%s); using the estimate", type(exc).__name__)
            state["online"] = False
            return True
        return counted.input_tokens <= limit

    return fits


def extract(
    client: anthropic.Anthropic,
    pieces: Sequence[PieceText],
    *,
    model: str,
    budget_tokens: int,
    fields: list[str] | None = None,
    cache_context: bool = False,
    count_online: bool = True,
    on_status: StatusFn | None = None,
    cancel: CancelToken | None = None,
    on_usage: UsageFn | None = None,
    consultation_uuid: str | None = None,
    only: Collection[tuple[str, int | None]] | None = None,
) -> ExtractionOutcome:
    """Ask Claude for the fields; input of the extraction (and of a repair) stays within budget."""
    instruction = prompts.EXTRACTION.format(fields=prompts.fields_line(fields))
    limit = budget_tokens - REPAIR_RESERVE_TOKENS
    context_budget = limit - _request_overhead(instruction)
    if context_budget <= 0:
        raise ValueError("input budget too small for an analysis")
    fits = _exact_fits(client, model, instruction, limit) if count_online else None
    asked = fields or [
        "buyer", "object", "reference", "procedure", "deadline", "questions_deadline",
        "site_visit", "lots", "variants_allowed", "offer_validity_days", "criteria",
        "required_documents", "memoire_page_limit", "drafting",
    ]  # fmt: skip
    context = build_context(pieces, context_budget, fields=asked, fits=fits, only=only)
    log.info(
        "claude extraction: %d pages sent, %d left out, ~%d tokens",
        len(context.pages),
        context.omitted_pages,
        context.estimated_tokens,
    )
    usages: list[CallUsage] = []

    def record(usage: Any, purpose: str) -> None:
        call = usage_from_response(usage, purpose=purpose, model=model, consultation_uuid=consultation_uuid)
        usages.append(call)
        if on_usage is not None:
            on_usage(call)

    def call(messages: list[dict[str, Any]], purpose: str) -> str:
        # Same request body as `messages.parse(output_format=ClaudeExtraction)`, but validated here:
        # parse() raises on invalid output and loses both the text (needed for the repair) and the
        # usage (needed for the ledger).
        message = with_retries(
            lambda: client.messages.create(
                model=model,
                max_tokens=MAX_OUTPUT_TOKENS,
                system=prompts.SYSTEM,
                messages=cast(Any, messages),
                output_config=cast(Any, {"format": output_format_param()}),
            ),
            on_status=on_status,
            cancel=cancel,
        )
        record(message.usage, purpose)
        return "".join(b.text for b in message.content if b.type == "text")

    text = call(_messages(context, instruction, cache=cache_context), "extraction")
    try:
        return ExtractionOutcome(ClaudeExtraction.model_validate_json(text), context, usages)
    except pydantic.ValidationError as exc:
        log.warning("claude structured output invalid (%d errors); one repair attempt", exc.error_count())
        error = _short_error(exc)
    # The repair sends the bad output and the schema only (no DCE): cheap, and within the reserve.
    repair_prompt = prompts.REPAIR.format(error=error, bad=text[: MAX_OUTPUT_TOKENS * 4])
    text = call([{"role": "user", "content": repair_prompt}], "repair")
    try:
        return ExtractionOutcome(ClaudeExtraction.model_validate_json(text), context, usages, repaired=True)
    except pydantic.ValidationError as exc:
        raise MalformedOutput(_short_error(exc)) from exc


def output_format_param() -> dict[str, Any]:
    """The JSON-schema output format exactly as `messages.parse(output_format=…)` builds it."""
    from anthropic.lib._parse._transform import transform_schema

    return {"type": "json_schema", "schema": transform_schema(ClaudeExtraction.model_json_schema())}


def _short_error(exc: pydantic.ValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return f"{exc.error_count()} erreur(s)"
    where = ".".join(str(p) for p in errors[0]["loc"])
    return f"{exc.error_count()} erreur(s), ex. {where} : {errors[0]['msg']}"[:300]
