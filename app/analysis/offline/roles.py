"""A piece that reads like the RC is read as the RC when the DCE has none.

The import names pieces from their file names and first page ("RC_…", "Règlement de la
consultation"); buyers also publish "R.C. - AOO 2026-0412.pdf", an RC whose cover carries no title,
or a consultation letter ("Objet : consultation pour …") whose first page mentions the acte
d'engagement. When a DCE has no RC, the piece that is not named by its file name and in which the
offline readers find the RC's clauses (deadline, criteria, validity, variants, procedure, pieces to
produce) takes its role, so its identity is read from it and it is listed as the RC.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from app.dce.classify import classify_name
from app.domain.document import PieceText
from app.domain.kinds import PieceKind

from . import criteria, deadline, documents, options, procedure, validity
from .source import Dce, Page, Pages

_MIN_CLAUSES = 4
_READERS: tuple[Callable[[Sequence[Page]], Any], ...] = (
    deadline.find_deadline,
    criteria.find_criteria,
    validity.find_validity,
    options.find_variants,
    procedure.find_procedure,
    documents.find_required_documents,
)


def _clauses(piece: PieceText) -> int:
    """How many of the RC's clauses the readers find in this piece (its first 8 pages)."""
    short = replace(piece, pages=piece.pages[:8])
    dce = Dce.of([short])
    pages = Pages(dce, [short])
    return sum(1 for read in _READERS if read(pages) is not None)


def _candidate(piece: PieceText) -> bool:
    """Unclassified, or classified from its text only (a kind its file name does not give)."""
    if not piece.pages:
        return False
    return piece.kind in (PieceKind.AUTRE, PieceKind.ANNEXE) or classify_name(piece.path) is None


def with_rc_role(pieces: list[PieceText]) -> list[PieceText]:
    """`pieces`, with the most RC-like candidate marked RC when none is (a copy; the caller's
    pieces are left as they are)."""
    if any(p.kind is PieceKind.RC for p in pieces):
        return pieces
    scored = [(_clauses(p), i) for i, p in enumerate(pieces) if _candidate(p)]
    if not scored:
        return pieces
    best, index = max(scored, key=lambda s: (s[0], -s[1]))
    if best < _MIN_CLAUSES:
        return pieces
    out = list(pieces)
    out[index] = replace(pieces[index], kind=PieceKind.RC)
    return out
