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
from app.domain.errors import NotFound, NotPossible, NotReady
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


def redraft_offline(answer: Answer, key: str, library: Sequence[LibraryText] = (), index: Any = None) -> str:
    """Draft one section again: its requirements as commitments, library blocks not used by the other
    sections of the mémoire (their reuse marks say which)."""
    from app.drafting.body import REUSE_RE

    section = _section(answer, key)
    used = {
        m.group(1)
        for k, body in answer.bodies.items()
        if k != key
        for line in body.splitlines()
        if (m := REUSE_RE.match(line.strip()))
    }
    ctx = DraftContext(
        profile=answer.profile,
        analysis=answer.analysis,
        library=list(library),
        similar_references=answer.similar_references,
        primary_themes={s.theme for s in answer.outline.sections if not answer.outline.children(s)},
        works=answer.works,
        index=index,
        requirements=answer.requirements,
    )
    ctx.used_origins = used
    text = draft_section(section, ctx, answer.outline.children(section))
    answer.bodies[key] = text
    refresh_coverage(answer)
    return text


def claude_available() -> bool:
    try:
        import app.drafting.claude  # noqa: F401
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
    consented: bool = False,
) -> str:
    """Stream one section from Claude into `on_text`; returns the text kept (partial when cancelled).

    DCE text leaves only once the user agreed (for this consultation in `store`, or globally):
    else ConsentRequired and nothing is sent. `consented`: the caller checked it already (the
    desktop does on its DB lane, then streams on the network lane without the store)."""
    if not claude_available():
        raise NotPossible(
            "La rédaction avec Claude n'est pas disponible dans cette version : utilisez --engine offline."
        )
    if not consented:
        consent.require(store, consultation_uuid, "claude", pieces, "rédaction")
    from app.drafting.claude import SectionBrief, drafting_context
    from app.drafting.claude import draft_section as claude_draft

    section = _section(answer, key)
    ctx = context or drafting_context(pieces)
    result = claude_draft(
        ctx,
        SectionBrief(
            title=section.question or section.title,
            criterion=section.criterion,
            weight_percent=section.weight_percent,
        ),
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
        raise NotFound(f"Section « {key} » introuvable dans le plan du mémoire.")
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
        raise NotReady("Cette consultation n'a pas encore été analysée : lancez d'abord l'analyse.")
    company = profile.load(store)
    if company is None:
        raise NotReady(
            "Aucun profil d'entreprise : importez-le d'abord (Profil entreprise › Importer un profil…, "
            "ou en ligne de commande : maitre-ao profile import FICHIER)."
        )
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
        # The buyer's wording is the stored title: sections saved before titles became statements keep
        # their text.
        [NewSection(s.question or s.title, s.level, s.criterion, s.weight_percent) for s in plan.sections],
    )
    stored = {s.key: row for s, row in zip(plan.sections, rows, strict=True)}
    bodies = {key: row.body for key, row in stored.items() if row.body}
    from app.drafting.reuse import StoreIndex
    from local_store import repo_requirements

    answer = prepare_answer(
        analysis,
        pieces,
        company,
        library_service.all_blocks(store),
        now=now,
        bodies=bodies,
        index=StoreIndex(store),
        moves=repo_requirements.moves(store, consultation_uuid, lot),
    )
    return StoredAnswer(
        consultation_uuid=consultation_uuid,
        proposal_uuid=proposal.uuid,
        answer=answer,
        pieces=pieces,
        section_uuids={key: row.uuid for key, row in stored.items()},
        engines={key: row.engine for key, row in stored.items()},
    )


def move_requirement(
    store: Store, stored: StoredAnswer, requirement_key: str, section_key: str | None, lot: int | None = None
) -> None:
    """Put a requirement in another section (Exigences); None puts it back where the mapping put it.

    Only the mapping and the coverage change: the sections' texts are the user's (redraft to see the
    commitment appear in an offline draft)."""
    from app.drafting.requirements import map_requirements
    from local_store import repo_requirements

    answer = stored.answer
    if section_key is not None and answer.outline.find(section_key) is None:
        raise NotFound(f"Section « {section_key} » introuvable dans le plan du mémoire.")
    if not any(r.key == requirement_key for r in answer.requirements):
        raise NotFound("Exigence introuvable.")
    repo_requirements.move(store, stored.consultation_uuid, lot, requirement_key, section_key)
    map_requirements(
        answer.requirements, answer.outline, repo_requirements.moves(store, stored.consultation_uuid, lot)
    )
    refresh_coverage(answer)


@dataclass(frozen=True)
class LibraryProposal:
    title: str
    score: float
    origin: str
    body: str  # the block's text adapted to this consultation (buyer, object, site; dates to give)


def library_proposals(
    store: Store, consultation_uuid: str, key: str, lot: int | None = None, limit: int = 8
) -> list[LibraryProposal]:
    """The library blocks that best answer one section (its title, question, criterion and mapped
    requirements), best first, with their score and origin: what the editor proposes to insert."""
    from app.drafting.gonogo import is_works
    from app.drafting.requirements import extract_requirements, map_requirements
    from app.drafting.reuse import StoreIndex, adapt, propose
    from local_store import repo_requirements

    analysis, pieces, _company = _load_inputs(store, consultation_uuid)
    plan = build_outline(analysis, pieces)
    section = plan.find(key)
    if section is None:
        raise NotFound(f"Section « {key} » introuvable dans le plan du mémoire.")
    requirements = extract_requirements(pieces)
    map_requirements(requirements, plan, repo_requirements.moves(store, consultation_uuid, lot))
    texts = [r.text for r in requirements if r.section_key == key]
    found = propose(section, StoreIndex(store), texts, works=is_works(analysis, pieces), limit=limit)
    return [
        LibraryProposal(
            p.block.title,
            p.score,
            p.origin,
            adapt(p.block.body, getattr(p.block, "source_facts", None), analysis).text,
        )
        for p in found
    ]


def outline_questions(store: Store, consultation_uuid: str) -> dict[str, str]:
    """Section key → the buyer's question, for the sections whose title was turned into a statement
    (or that carry questions): shown as a reminder under the title in the editor. No drafting."""
    analysis, pieces, _company = _load_inputs(store, consultation_uuid)
    out: dict[str, str] = {}
    for s in build_outline(analysis, pieces).sections:
        asked = [q for q in (s.question, *s.prompts) if q]
        if asked:
            out[s.key] = " ".join(asked)
    return out


def move_requirement_text(
    store: Store, consultation_uuid: str, text: str, section_key: str | None, lot: int | None = None
) -> None:
    """The same as move_requirement, by the requirement's text (the Exigences tab), without opening the
    answer: the next open_answer maps it there."""
    from app.drafting.requirements import requirement_key
    from local_store import repo_requirements

    repo_requirements.move(store, consultation_uuid, lot, requirement_key(text), section_key)


def save_section_text(
    store: Store, stored: StoredAnswer, key: str, body: str, engine: str = "manual"
) -> None:
    from local_store import repo_proposals

    if key not in stored.section_uuids:
        raise NotFound(f"Section « {key} » introuvable dans le plan du mémoire.")
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
        raise NotFound("Bloc de bibliothèque introuvable.") from None
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
        raise NotPossible(f"Moteur de rédaction inconnu : « {engine} » (attendu : offline ou claude).")
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
                from app.drafting.claude import drafting_context

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
            from app.drafting.reuse import StoreIndex

            text = redraft_offline(answer, section.key, index=StoreIndex(store))
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
    from app.services import documents, lots, prices, subcontractors
    from local_store import repo_library

    chosen = [lot] if lot is not None else lots.chosen_lots(store, consultation_uuid)
    if lot is None and len(chosen) == 1:
        lot = chosen[0]  # one lot answered: the mémoire and DC2 name it too
    stored = open_answer(store, consultation_uuid, lot)
    options.setdefault("image", lambda sha: repo_library.image_data(store, sha))
    files, typed = prices.buyer_files(store, consultation_uuid)
    result = export_answer(
        stored.answer,
        folder,
        lot=lot,
        buyer_files=files,
        prices=typed,
        rc_text=rc_text(stored.pieces),
        subcontractors=subcontractors.list_for(store, consultation_uuid),
        supporting=documents.supporting_files(store),
        lots=chosen,
        **options,
    )
    from app.services.tracking import mark_exported

    mark_exported(store, consultation_uuid)  # status follows the work: À analyser -> En cours
    return result


def rc_text(pieces: Sequence[PieceText]) -> str:
    """The RC's text (where the submission folder's layout is asked for)."""
    from app.domain.kinds import PieceKind

    return "\n".join(p.full_text() for p in pieces if p.kind is PieceKind.RC)
