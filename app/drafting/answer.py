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
from app.drafting.body import strip_markers
from app.drafting.checklist import Checklist, build_checklist
from app.drafting.gonogo import GoNoGo, evaluate, is_works, similar_references
from app.drafting.offline import DraftContext, LibraryText, draft_section
from app.drafting.outline import Outline, build_outline
from app.drafting.requirements import Requirement, compute_coverage, extract_requirements, map_requirements
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


def section_texts(answer: Answer) -> dict[str, str]:
    """What a reader finds in each section: tables expanded, markers removed (they answer nothing)."""
    by_key: dict[str, str] = {}
    for s in answer.outline.sections:
        body = answer.bodies.get(s.key, "")
        by_key[s.key] = strip_markers(expand_tables(body, answer.profile))
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
) -> Answer:
    """`bodies`: sections already written (kept); the others are drafted offline."""
    now = now or datetime.now(PARIS)
    outline = build_outline(analysis, pieces)
    similar = similar_references(analysis, pieces, profile)
    ctx = DraftContext(
        profile=profile,
        analysis=analysis,
        library=list(library),
        similar_references=similar,
        today=now.date(),
        primary_themes={s.theme for s in outline.sections if not outline.children(s)},
        works=is_works(analysis, pieces),
    )
    drafted = dict(bodies or {})
    for s in outline.sections:
        if not drafted.get(s.key):
            drafted[s.key] = draft_section(s, ctx, outline.children(s))
    requirements = extract_requirements(pieces)
    map_requirements(requirements, outline)
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
    )
    refresh_coverage(answer)
    return answer
