"""The "claude" and "hybrid" analysis engines (called through app.analysis.engines.analyze)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection

from app.analysis.claude.client import (
    NOT_CONFIGURED,
    ClaudeNotConfigured,
    make_client,
    resolve_access,
)
from app.analysis.claude.extraction import MalformedOutput, extract
from app.analysis.claude.grounding import verify
from app.analysis.claude.merge import merge, missing_fields
from app.analysis.claude.retry import ClaudeUnavailable
from app.analysis.claude.schema import to_analysis
from app.analysis.claude.usage import CallUsage
from app.domain.analysis import Analysis, Engine
from app.domain.document import PieceText
from app.domain.progress import CancelToken, ProgressFn
from app.settings import (
    CLAUDE_DRAFTING_MODEL,
    CLAUDE_EXTRACTION_MODEL,
    CLAUDE_INPUT_BUDGET,
    Settings,
)

log = logging.getLogger(__name__)

UNVERIFIED_NOTE = "non vérifié"


def _offline(pieces: list[PieceText], cancel: CancelToken | None) -> Analysis:
    from app.analysis.offline import analyze_offline

    return analyze_offline(pieces, cancel=cancel)


def ground(result: Analysis, pieces: list[PieceText]) -> list[str]:
    """Check every Claude quote against its page; returns the French names of unverified fields."""
    unverified: list[str] = []
    for name, evidence in list(result.evidence.items()):
        checked = verify(evidence, pieces)
        result.evidence[name] = checked
        if not checked.verified:
            unverified.append(name)
    for criterion in result.criteria:
        if criterion.evidence is not None:
            criterion.evidence = verify(criterion.evidence, pieces)
    return unverified


def run_claude(
    pieces: list[PieceText],
    *,
    fields: list[str] | None,
    progress: ProgressFn | None,
    cancel: CancelToken | None,
    usage_sink: Callable[[CallUsage], None] | None,
    consultation_uuid: str | None,
    only: Collection[tuple[str, int | None]] | None = None,
) -> Analysis:
    settings = Settings.load()
    access = resolve_access(settings)
    client = make_client(access)
    model = settings.get(CLAUDE_EXTRACTION_MODEL)

    def status(message: str) -> None:
        if progress is not None:
            progress(0, 1, message)

    if progress is not None:
        progress(0, 1, "Analyse par Claude…")
    outcome = extract(
        client,
        pieces,
        model=model,
        budget_tokens=settings.get(CLAUDE_INPUT_BUDGET),
        fields=fields,
        # The block is cached only if drafting (same model) will read it back.
        cache_context=model == settings.get(CLAUDE_DRAFTING_MODEL),
        on_status=status,
        cancel=cancel,
        on_usage=usage_sink,
        consultation_uuid=consultation_uuid,
        only=only,
    )
    result = to_analysis(outcome.extraction)
    unverified = ground(result, pieces)
    if unverified:
        result.warnings.append(
            "Valeurs de Claude non vérifiées (citation introuvable sur la page indiquée) : "
            + ", ".join(unverified)
            + "."
        )
    if outcome.context.omitted_pages:
        log.info("claude context left out %d pages (budget)", outcome.context.omitted_pages)
    if progress is not None:
        progress(1, 1, "Analyse par Claude terminée")
    return result


def _fallback(offline: Analysis, reason: str) -> Analysis:
    offline.warnings.append(f"Analyse Claude indisponible ({reason}) : résultat de l'analyse hors ligne.")
    return offline


def analyze_claude(
    pieces: list[PieceText],
    *,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    usage_sink: Callable[[CallUsage], None] | None = None,
    consultation_uuid: str | None = None,
) -> Analysis:
    """Claude alone; when Claude fails for good, the offline result stands with a warning."""
    if resolve_access() is None:
        raise ClaudeNotConfigured(NOT_CONFIGURED)
    try:
        result = run_claude(
            pieces,
            fields=None,
            progress=progress,
            cancel=cancel,
            usage_sink=usage_sink,
            consultation_uuid=consultation_uuid,
        )
    except MalformedOutput:
        return _fallback(_offline(pieces, cancel), "réponse mal formée, même après correction")
    except ClaudeUnavailable as exc:
        return _fallback(_offline(pieces, cancel), exc.message)
    offline = _offline(pieces, cancel)
    result.pieces = offline.pieces
    result.engine = Engine.CLAUDE.value
    return result


def _sections_of(offline: Analysis, fields: list[str]) -> set[tuple[str, int | None]] | None:
    """When every field asked was found but is doubtful, only the pages that hold them (and the
    next page, where a table goes on) are sent; a missing field needs the ranked DCE instead."""
    pages: set[tuple[str, int | None]] = set()
    for name in fields:
        evidence = offline.evidence.get(name)
        if evidence is None or not offline.doubtful(name):
            return None
        pages.add((evidence.file, evidence.page))
        if evidence.page is not None:
            pages.add((evidence.file, evidence.page + 1))
    return pages


def analyze_hybrid(
    pieces: list[PieceText],
    *,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    usage_sink: Callable[[CallUsage], None] | None = None,
    consultation_uuid: str | None = None,
) -> Analysis:
    """Offline first; Claude only for missing or unverified fields; one merged result."""
    offline = _offline(pieces, cancel)
    if resolve_access() is None:
        offline.warnings.append("Claude n'est pas configuré : analyse hors ligne seule.")
        return offline
    fields = missing_fields(offline)
    if not fields:
        offline.engine = "hybrid"
        return offline
    try:
        claude = run_claude(
            pieces,
            fields=fields,
            only=_sections_of(offline, fields),
            progress=progress,
            cancel=cancel,
            usage_sink=usage_sink,
            consultation_uuid=consultation_uuid,
        )
    except MalformedOutput:
        return _fallback(offline, "réponse mal formée, même après correction")
    except ClaudeUnavailable as exc:
        return _fallback(offline, exc.message)
    merged = merge(offline, claude)
    merged.warnings.extend(w for w in claude.warnings if w not in merged.warnings)
    return merged
