"""Everything needed to answer one consultation, computed offline from the analysis, the DCE page texts,
the company profile and its library: go/no-go, outline, drafted sections, requirements matrix, checklist."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from app.domain.analysis import Analysis
from app.domain.document import PieceText
from app.domain.french import PARIS
from app.domain.profile import CompanyProfile
from app.drafting.body import REUSE_RE, strip_markers, strip_reuse_marks
from app.drafting.checklist import Checklist, build_checklist
from app.drafting.gonogo import GoNoGo, evaluate, is_works, similar_references
from app.drafting.offline import DraftContext, LibraryText, draft_section, plan_reuse
from app.drafting.outline import Outline, build_outline
from app.drafting.repetition import drop_repeats
from app.drafting.requirements import Requirement, compute_coverage, extract_requirements, map_requirements
from app.drafting.reuse import LibraryIndex, Proposal
from app.drafting.tables import expand_tables


@dataclass
class Answer:
    analysis: Analysis
    profile: CompanyProfile
    outline: Outline
    bodies: dict[str, str]
    requirements: list[Requirement]
    gonogo: GoNoGo
    checklist: Checklist
    similar_references: list[int] = field(default_factory=list)
    works: bool = False
    reused: dict[str, list[Proposal]] = field(default_factory=dict)  # section key → library blocks used


def section_texts(answer: Answer) -> dict[str, str]:
    """What a reader finds in each section: tables expanded, markers removed (they answer nothing)."""
    by_key: dict[str, str] = {}
    for s in answer.outline.sections:
        body = answer.bodies.get(s.key, "")
        by_key[s.key] = strip_markers(expand_tables(strip_reuse_marks(body), answer.profile))
    return by_key


def refresh_coverage(answer: Answer) -> None:
    compute_coverage(answer.requirements, section_texts(answer))


def prepare_answer(
    analysis: Analysis,
    pieces: list[PieceText],
    profile: CompanyProfile,
    library: Sequence[LibraryText] = (),
    now: datetime | None = None,
    bodies: dict[str, str] | None = None,
    index: LibraryIndex | None = None,
    moves: dict[str, str] | None = None,
) -> Answer:
    """`bodies`: sections already written (kept); the others are drafted offline.

    `index`: the library's search index (the store's); built from `library` when None.
    `moves`: requirement key → section key where the user put it (Exigences)."""
    now = now or datetime.now(PARIS)
    outline = build_outline(analysis, pieces)
    similar = similar_references(analysis, pieces, profile)
    requirements = extract_requirements(pieces)
    map_requirements(requirements, outline, moves)
    ctx = DraftContext(
        profile=profile,
        analysis=analysis,
        library=list(library),
        similar_references=similar,
        today=now.date(),
        primary_themes={s.theme for s in outline.sections if not outline.children(s)},
        works=is_works(analysis, pieces),
        index=index,
        requirements=requirements,
    )
    drafted = dict(bodies or {})
    new_keys = draft_missing(outline, ctx, drafted)
    gonogo = evaluate(analysis, pieces, profile, now=now)
    deadline_day = now.date()
    if analysis.deadline:
        with contextlib.suppress(ValueError):
            deadline_day = datetime.fromisoformat(analysis.deadline).date()
    answer = Answer(
        analysis=analysis,
        profile=profile,
        outline=outline,
        bodies=drafted,
        requirements=requirements,
        gonogo=gonogo,
        checklist=build_checklist(analysis, profile, on=deadline_day, today=now.date()),
        similar_references=similar,
        works=is_works(analysis, pieces),
        reused={k: v for k, v in ctx.reused.items() if k in new_keys and v},
    )
    refresh_coverage(answer)
    return answer


def draft_missing(outline: Outline, ctx: DraftContext, bodies: dict[str, str]) -> set[str]:
    """Draft the sections without text into `bodies`; returns their keys.

    The library blocks are chosen for all of them at once (plan_reuse: best pairs first, each block
    once); then, in the mémoire's order, a sentence already written in an earlier section is left out
    of a drafted one (no sentence twice in one mémoire)."""
    missing = [s for s in outline.sections if not bodies.get(s.key)]
    # Blocks already reused in the sections kept (their marks) are not used a second time.
    ctx.used_origins |= {
        m.group(1)
        for body in bodies.values()
        for line in body.splitlines()
        if (m := REUSE_RE.match(line.strip()))
    }
    # A heading that introduces its sub-sections takes one block (its overview), a question two.
    plan_reuse([(s, 1 if outline.children(s) and not s.prompts else 2) for s in missing], ctx)
    for s in missing:
        bodies[s.key] = draft_section(s, ctx, outline.children(s))
    keys = {s.key for s in missing}
    seen: set[str] = set()
    for s in outline.sections:
        body = bodies.get(s.key, "")
        if s.key in keys:
            bodies[s.key] = drop_repeats(body, seen)
        else:
            drop_repeats(body, seen)  # written by the user: kept as is, its sentences are known
    return keys
