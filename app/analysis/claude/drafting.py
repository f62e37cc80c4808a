"""Moved to app.drafting.claude (Claude drafting lives next to the offline drafting); kept as a
re-export for the code that still imports it from here."""

from app.drafting.claude import (
    DRAFTING_CONTEXT_TOKENS,
    DRAFTING_FIELDS,
    MAX_OUTPUT_TOKENS,
    DraftResult,
    SectionBrief,
    build_messages,
    draft_section,
    drafting_context,
)

__all__ = [
    "DRAFTING_CONTEXT_TOKENS",
    "DRAFTING_FIELDS",
    "MAX_OUTPUT_TOKENS",
    "DraftResult",
    "SectionBrief",
    "build_messages",
    "draft_section",
    "drafting_context",
]
