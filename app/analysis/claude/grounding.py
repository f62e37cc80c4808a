"""Grounding check: is a quote really on the page it cites? (whitespace- and accent-insensitive)."""

from __future__ import annotations

from app.domain.analysis import Evidence
from app.domain.document import PieceText
from app.domain.text import quote_in_text

__all__ = ["find_piece", "quote_in_text", "verify"]


def find_piece(pieces: list[PieceText], file: str) -> PieceText | None:
    """The cited piece: exact path first, then by file name (the model may drop folders)."""
    wanted = file.strip().replace("\\", "/")
    for piece in pieces:
        if piece.path == wanted:
            return piece
    name = wanted.rsplit("/", 1)[-1].casefold()
    matches = [p for p in pieces if p.name.casefold() == name]
    return matches[0] if len(matches) == 1 else None


def verify(evidence: Evidence, pieces: list[PieceText]) -> Evidence:
    """A copy of the evidence with `verified` set from the cited page's text.

    The file is normalised to the piece's real path. A piece without real pages (DOCX, XLSX) is
    searched whole and its page set to None.
    """
    piece = find_piece(pieces, evidence.file)
    if piece is None or not evidence.quote.strip():
        # Model output is only ever displayed: keep it short, it names no file we would open.
        return evidence.model_copy(
            update={"verified": False, "file": evidence.file[:200], "quote": evidence.quote[:500]}
        )
    if not piece.paged:
        ok = quote_in_text(evidence.quote, piece.full_text())
        return evidence.model_copy(update={"file": piece.path, "page": None, "verified": ok})
    page = piece.page(evidence.page) if evidence.page is not None else None
    ok = page is not None and quote_in_text(evidence.quote, page.text)
    return evidence.model_copy(update={"file": piece.path, "verified": ok})
