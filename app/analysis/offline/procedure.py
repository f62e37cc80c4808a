"""Procédure de passation: appel d'offres ouvert / restreint, MAPA, négociée, dialogue compétitif."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.analysis import Evidence, Procedure

from .sections import heading_above
from .sentences import sentence
from .source import Line, Page

_PROCEDURES: tuple[tuple[re.Pattern[str], Procedure], ...] = (
    (re.compile(r"dialogue\s+competitif|r\.?\s*2124-5\b|r\.?\s*2161-24"), Procedure.DIALOGUE_COMPETITIF),
    (
        re.compile(
            r"appel\s+d'\s*offres?\s+restreint|procedure\s+restreinte|r\.?\s*2124-2\s*,?\s*2°|r\.?\s*2161-6"
        ),
        Procedure.APPEL_OFFRES_RESTREINT,
    ),
    (
        re.compile(
            r"appel\s+d'\s*offres?\s+ouvert|procedure\s+ouverte|r\.?\s*2124-2\s*(?:,?\s*1°)?(?![\d,]\s*2°)|r\.?\s*2161-2"
        ),
        Procedure.APPEL_OFFRES_OUVERT,
    ),
    (
        re.compile(
            r"procedure\s+adaptee|\bmapa\b|marche\s+(?:public\s+)?a\s+procedure\s+adaptee|"
            r"l\.?\s*2123-1\b|r\.?\s*2123-1\b|r\.?\s*2123-4\b|r\.?\s*2123-5\b"
        ),
        Procedure.PROCEDURE_ADAPTEE,
    ),
    (
        re.compile(
            r"procedure\s+(?:concurrentielle\s+)?avec\s+negociation|procedure\s+negociee|marche\s+negocie|"
            r"sans\s+publicite\s+ni\s+mise\s+en\s+concurrence|r\.?\s*2124-3\b|r\.?\s*2124-4\b|r\.?\s*2122-"
        ),
        Procedure.PROCEDURE_NEGOCIEE,
    ),
    (
        re.compile(r"\bconcours\s+(?:restreint|ouvert|de\s+maitrise)|partenariat\s+d'innovation"),
        Procedure.AUTRE,
    ),
)
_PROCEDURE_CONTEXT = re.compile(
    r"procedure|passation|consultation|lancee|soumis|marche\s+(?:est|sera)|accord-cadre\s+(?:est|sera)|articles?|il\s+s'agit"
)
_PROCEDURE_NOISE = re.compile(
    r"\bsi\b|en\s+cas\s+d|infructueu|sans\s+suite|le\s+cas\s+echeant|pourra\s+(?:etre|recourir)"
)


def find_procedure(pages: Sequence[Page]) -> tuple[Procedure, Evidence] | None:
    """The procedure named in a sentence about how the consultation is passed, earliest first."""
    for page in pages:
        best: tuple[int, Procedure, re.Match[str]] | None = None
        for pattern, procedure in _PROCEDURES:
            for m in pattern.finditer(page.folded):
                folded, _ = sentence(page, m)
                line = page.line_at(m.start())
                if _PROCEDURE_NOISE.search(folded) or not (
                    _PROCEDURE_CONTEXT.search(folded) or _under_procedure_heading(page, line)
                ):
                    continue
                if line is not None and re.search(r"\.{4,}", line.text):
                    continue
                if best is None or m.start() < best[0]:
                    best = (m.start(), procedure, m)
                break
        if best is not None:
            return best[1], page.evidence_at(best[2].start(), best[2].end())
    return None


def _under_procedure_heading(page: Page, line: Line | None) -> bool:
    """'B – Procédure / Appel d'offres ouvert.': the section's heading says what the line names."""
    head = None if line is None else heading_above(page, line, reach=2)
    return head is not None and _PROCEDURE_CONTEXT.search(head.title) is not None
