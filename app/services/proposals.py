"""Answer use cases (CLI and app): go/no-go, requirements matrix, outline, drafting (offline or Claude),
saving a section's text, exporting every file.

Without the store (demo, tests) the functions take the analysis, the pieces and the profile; with the
store they load them for a consultation and keep the sections' texts in `proposals`/`sections`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.domain.analysis import Analysis
from app.domain.document import PieceText
from app.domain.errors import UserError
from app.domain.profile import CompanyProfile
from app.domain.progress import CancelToken
from app.drafting.answer import Answer, prepare_answer, refresh_coverage
from app.drafting.gonogo import GoNoGo, evaluate
from app.drafting.offline import DraftContext, LibraryText, draft_section
from app.drafting.outline import Outline, OutlineSection, build_outline
from app.export.bundle import ExportResult, export_answer
from app.services import consent
from local_store.store import Store

log = logging.getLogger(__name__)

ENGINES = ("offline", "claude")


# --- without the store ---------------------------------------------------------------------------
def go_no_go(analysis: Analysis, pieces: list[PieceText], profile: CompanyProfile) -> GoNoGo:
    return evaluate(analysis, pieces, profile)


def outline(analysis: Analysis, pieces: list[PieceText]) -> Outline:
    return build_outline(analysis, pieces)


def answer_offline(
    analysis: Analysis,
    pieces: list[PieceText],
    profile: CompanyProfile,
    library: Sequence[LibraryText] = (),
    *,
    bodies: dict[str, str] | None = None,
    now: datetime | None = None,
) -> Answer:
    """Go/no-go, outline, every section drafted offline (texts in `bodies` kept), matrix, checklist."""
    return prepare_answer(analysis, pieces, profile, library, now=now, bodies=bodies)


def redraft_offline(answer: Answer, key: str, library: Sequence[LibraryText] = ()) -> str:
    section = _section(answer, key)
    ctx = DraftContext(
        profile=answer.profile,
        analysis=answer.analysis,
        library=list(library),
        similar_references=answer.similar_references,
        primary_themes={s.theme for s in answer.outline.sections if not answer.outline.children(s)},
        works=answer.works,
    )
    text = draft_section(section, ctx, answer.outline.children(section))
    answer.bodies[key] = text
    refresh_coverage(answer)
    return text


def claude_available() -> bool:
    try:
        import app.analysis.claude.drafting  # noqa: F401
    except ImportError:
        return False
    return True


def company_facts(profile: CompanyProfile) -> dict[str, Any]:
    """The only facts Claude may use about the company (everything else becomes a marker)."""
    return profile.model_dump(mode="json", exclude_none=True)


def section_requirements(answer: Answer, key: str) -> list[str]:
    section = _section(answer, key)
    reqs = [r.text for r in answer.requirements if r.section_key == key]
    return [*section.prompts, *reqs]


def draft_with_claude(
    answer: Answer,
    key: str,
    pieces: list[PieceText],
    on_text: Callable[[str], None],
    cancel: CancelToken | None = None,
    *,
    consultation_uuid: str | None = None,
    usage_sink: Callable[[Any], None] | None = None,
    context: Any = None,
    store: Store | None = None,
) -> str:
    """Stream one section from Claude into `on_text`; returns the text kept (partial when cancelled).

    DCE text leaves only once the user agreed (for this consultation in `store`, or globally):
    else ConsentRequired and nothing is sent."""
    if not claude_available():
        raise UserError(
            "La rédaction avec Claude n'est pas disponible dans cette version : utilisez --engine offline."
        )
    consent.require(store, consultation_uuid, "claude", pieces, "rédaction")
    from app.analysis.claude.drafting import SectionBrief, drafting_context
    from app.analysis.claude.drafting import draft_section as claude_draft

    section = _section(answer, key)
    ctx = context or drafting_context(pieces)
    result = claude_draft(
        ctx,
        SectionBrief(title=section.title, criterion=section.criterion, weight_percent=section.weight_percent),
        company_facts(answer.profile),
        section_requirements(answer, key),
        on_text,
        cancel,
        usage_sink=usage_sink,
        consultation_uuid=consultation_uuid,
    )
    if result.warning:
        log.info("claude drafting warning for section %s", key)
    if result.text.strip():
        answer.bodies[key] = result.text
        refresh_coverage(answer)
    return result.text


def export_all(answer: Answer, folder: Path, **options: Any) -> ExportResult:
    return export_answer(answer, folder, **options)


def _section(answer: Answer, key: str) -> OutlineSection:
    section = answer.outline.find(key)
    if section is None:
        raise UserError(f"Section « {key} » introuvable dans le plan du mémoire.")
    return section


# --- with the store --------------------------------------------------------------------------------
@dataclass
class StoredAnswer:
    consultation_uuid: str
    proposal_uuid: str
    answer: Answer
    pieces: list[PieceText]
    section_uuids: dict[str, str]  # outline key → sections.uuid
    engines: dict[str, str | None]  # outline key → engine of the stored text


def _load_inputs(store: Store, consultation_uuid: str) -> tuple[Analysis, list[PieceText], CompanyProfile]:
    from app.services import consultations, profile

    consultations.get_consultation(store, consultation_uuid)
    analysis = consultations.get_analysis(store, consultation_uuid)
    if analysis is None:
        raise UserError("Cette consultation n'a pas encore été analysée : lancez d'abord l'analyse.")
    company = profile.load(store)
    if company is None:
        raise UserError("Aucun profil d'entreprise : importez-le d'abord (maitre-ao profile import FICHIER).")
    from local_store import repo_pieces

    return analysis, repo_pieces.piece_texts(store, consultation_uuid), company


def open_answer(
    store: Store, consultation_uuid: str, lot: int | None = None, *, now: datetime | None = None
) -> StoredAnswer:
    """The consultation's answer: stored texts kept, missing sections drafted offline (not saved)."""
    from app.services import library as library_service
    from local_store import repo_proposals
    from local_store.repo_proposals import NewSection

    analysis, pieces, company = _load_inputs(store, consultation_uuid)
    plan = build_outline(analysis, pieces)
    proposal = repo_proposals.get_or_create_proposal(store, consultation_uuid, lot, plan.source.value)
    rows = repo_proposals.save_outline(
        store,
        proposal.uuid,
        [NewSection(s.title, s.level, s.criterion, s.weight_percent) for s in plan.sections],
    )
    stored = {s.key: row for s, row in zip(plan.sections, rows, strict=True)}
    bodies = {key: row.body for key, row in stored.items() if row.body}
    answer = prepare_answer(
        analysis, pieces, company, library_service.all_blocks(store), now=now, bodies=bodies
    )
    return StoredAnswer(
        consultation_uuid=consultation_uuid,
        proposal_uuid=proposal.uuid,
        answer=answer,
        pieces=pieces,
        section_uuids={key: row.uuid for key, row in stored.items()},
        engines={key: row.engine for key, row in stored.items()},
    )


def save_section_text(
    store: Store, stored: StoredAnswer, key: str, body: str, engine: str = "manual"
) -> None:
    from local_store import repo_proposals

    if key not in stored.section_uuids:
        raise UserError(f"Section « {key} » introuvable dans le plan du mémoire.")
    repo_proposals.save_section_body(store, stored.section_uuids[key], body, engine)
    stored.answer.bodies[key] = body
    stored.engines[key] = engine
    refresh_coverage(stored.answer)


def insert_library_block(store: Store, stored: StoredAnswer, key: str, block_uuid: str) -> str:
    """Append a library block's text to a section (saved); returns the new section text."""
    from local_store import repo_library

    try:
        block = repo_library.get_block(store, block_uuid)
    except KeyError:
        raise UserError("Bloc de bibliothèque introuvable.") from None
    current = stored.answer.bodies.get(key, "").rstrip()
    body = f"{current}\n\n{block.body.strip()}" if current else block.body.strip()
    save_section_text(store, stored, key, body, "manual")
    return body


def draft_consultation(
    store: Store,
    consultation_uuid: str,
    engine: str = "offline",
    *,
    lot: int | None = None,
    overwrite: bool = False,
    on_section: Callable[[OutlineSection], None] | None = None,
    on_text: Callable[[str], None] | None = None,
    cancel: CancelToken | None = None,
    confirm: consent.ConfirmFn | None = None,
) -> StoredAnswer:
    """Draft every section without text (every section with `overwrite`) and save them.

    With Claude, `confirm(notice)` is asked first when the user has not decided yet for this
    consultation; without an agreement, ConsentRequired and nothing is sent."""
    if engine not in ENGINES:
        raise UserError(f"Moteur de rédaction inconnu : « {engine} » (attendu : offline ou claude).")
    stored = open_answer(store, consultation_uuid, lot)
    if engine == "claude":
        consent.agree(store, consultation_uuid, engine, stored.pieces, "rédaction", confirm)
    answer = stored.answer
    context: Any = None
    for section in answer.outline.sections:
        if cancel is not None and cancel.cancelled:
            break
        if stored.engines.get(section.key) and not overwrite:
            continue  # written or drafted before: kept
        if on_section is not None:
            on_section(section)
        if engine == "claude" and not answer.outline.children(section):
            if context is None:
                from app.analysis.claude.drafting import drafting_context

                context = drafting_context(stored.pieces)
            text = draft_with_claude(
                answer,
                section.key,
                stored.pieces,
                on_text or (lambda _t: None),
                cancel,
                consultation_uuid=consultation_uuid,
                context=context,
                store=store,
            )
            used = "claude"
        elif stored.engines.get(section.key):
            # Overwriting: open_answer kept the stored text, so the template is drafted again.
            text = redraft_offline(answer, section.key)
            used = "offline"
        else:
            text = answer.bodies[section.key]  # drafted offline by open_answer
            used = "offline"
        if text.strip():
            save_section_text(store, stored, section.key, text, used)
    return stored


def export_consultation(
    store: Store, consultation_uuid: str, folder: Path, *, lot: int | None = None, **options: Any
) -> ExportResult:
    stored = open_answer(store, consultation_uuid, lot)
    return export_answer(stored.answer, folder, lot=lot, **options)
