"""The one entry point for analysing a DCE: `analyze(pieces, engine)` dispatches to an engine.

- "offline": deterministic rules (app.analysis.offline), no network.
- "claude": the Claude engine alone (structured extraction, grounding check).
- "hybrid": offline first, Claude only for the fields that are missing or unverified.

The Claude engine is imported lazily so that the offline path never loads the SDK.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.domain.analysis import Analysis
from app.domain.document import PieceText
from app.domain.errors import UsageError
from app.domain.progress import CancelToken, ProgressFn

if TYPE_CHECKING:
    from app.analysis.claude.usage import CallUsage

ENGINES: tuple[str, ...] = ("offline", "claude", "hybrid")

# Receives the token usage of every Claude call (the service layer writes it to the ledger).
UsageSink = Callable[["CallUsage"], None]


def default_engine() -> str:
    """ "hybrid" when Claude is configured (own key, account or ANTHROPIC_API_KEY), else "offline"."""
    from app.analysis.claude.client import is_configured  # light: does not import the SDK

    return "hybrid" if is_configured() else "offline"


def analyze(
    pieces: list[PieceText],
    engine: str = "offline",
    *,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    usage_sink: UsageSink | None = None,
    consultation_uuid: str | None = None,
) -> Analysis:
    """Analyse the pieces with the named engine; the result always follows the shared contract."""
    name = (engine or "").strip().lower()
    if name not in ENGINES:
        raise UsageError(
            f"Moteur d'analyse inconnu : « {engine} ». Choisissez parmi : {', '.join(ENGINES)}.",
            field="engine",
        )
    if name == "offline":
        from app.analysis.offline import analyze_offline

        return analyze_offline(pieces, cancel=cancel)

    from app.analysis.claude.engine import analyze_claude, analyze_hybrid
    from app.analysis.claude.ledger import auto_sink

    if usage_sink is None:  # every Claude call goes to the ledger, even if the caller forgot
        usage_sink = auto_sink(consultation_uuid)
    if name == "claude":
        return analyze_claude(
            pieces,
            progress=progress,
            cancel=cancel,
            usage_sink=usage_sink,
            consultation_uuid=consultation_uuid,
        )
    return analyze_hybrid(
        pieces,
        progress=progress,
        cancel=cancel,
        usage_sink=usage_sink,
        consultation_uuid=consultation_uuid,
    )
