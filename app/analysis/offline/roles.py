"""An unclassified piece that reads like the RC is read as the RC.

The import names pieces from their file names and first page ("RC_…", "Règlement de la
consultation"); buyers also publish "R.C. - AOO 2026-0412.pdf" or an RC whose cover carries no
title. When a DCE has no RC, the unclassified piece whose text covers the RC's clauses takes its role,
so its deadline, criteria and identity are read (and it is listed as the RC).
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.domain.document import PieceText
from app.domain.kinds import PieceKind

from .text import fold

_CLAUSES = tuple(
    re.compile(pattern)
    for pattern in (
        r"date\s+(?:et\s+heure\s+)?limites?\s+(?:de\s+|d')?(?:remise|reception|depot)|offres\s+devront\s+parvenir",
        r"criteres?\s+(?:d'attribution|de\s+jugement|de\s+selection|de\s+choix)|jugement\s+des\s+offres",
        r"validite\s+des\s+offres|offres\s+(?:sont|restent|seront)\s+valables",
        r"\bvariantes?\b",
        r"contenu\s+des\s+plis|pieces\s+a\s+(?:fournir|produire|remettre)|presentation\s+des\s+(?:offres|candidatures)",
        r"procedure\s+adaptee|appel\s+d'offres\s+(?:ouvert|restreint)|dialogue\s+competitif|procedure\s+avec\s+negociation",
    )
)
_MIN_CLAUSES = 4
_CANDIDATES = (PieceKind.AUTRE, PieceKind.ANNEXE)


def _clauses(piece: PieceText) -> int:
    text = fold(" ".join(page.text for page in piece.pages[:8]))
    return sum(1 for pattern in _CLAUSES if pattern.search(text))


def with_rc_role(pieces: list[PieceText]) -> list[PieceText]:
    """`pieces`, with the most RC-like unclassified piece marked RC when none is (a copy; the
    caller's pieces are left as they are)."""
    if any(p.kind is PieceKind.RC for p in pieces):
        return pieces
    scored = [(_clauses(p), i) for i, p in enumerate(pieces) if p.kind in _CANDIDATES and p.pages]
    if not scored:
        return pieces
    best, index = max(scored, key=lambda s: (s[0], -s[1]))
    if best < _MIN_CLAUSES:
        return pieces
    out = list(pieces)
    out[index] = replace(pieces[index], kind=PieceKind.RC)
    return out
