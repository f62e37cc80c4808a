"""Text of a DCE piece, page by page, as every extractor produces it."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.kinds import PieceKind

# The shape of extracted text, the same from every format: one line per line of the document; a
# table row on one line with its cells separated by CELL_SEP; the lines inside one cell joined by
# CELL_BREAK (two spaces: invisible to a reader, safe in XML, kept apart from word spaces).
CELL_SEP = "\t"
CELL_BREAK = "  "


@dataclass(frozen=True, slots=True)
class PageText:
    """One page (PDF), one sheet (XLSX/ODS) or the whole body (DOCX/ODT: page 1..n by breaks)."""

    number: int  # 1-based
    text: str
    needs_ocr: bool = False


@dataclass(slots=True)
class PieceText:
    """A piece of the DCE and what could be read of it.

    `path` is the '/'-separated path inside the DCE (archives unpacked), e.g. "Pièces/RC.pdf".
    `unread_reason` is a French sentence when the piece is stored but not read ("non lu").
    """

    path: str
    kind: PieceKind
    sha256: str
    size: int
    pages: list[PageText] = field(default_factory=list)
    unread_reason: str | None = None
    error: str | None = None  # French message when extraction failed (piece kept, text empty)
    paged: bool = True  # False for formats without real pages (DOCX, XLSX): evidence page is None
    # Facts about the file kept with the piece, e.g. {"original_name_hex": …} for a name that was not
    # valid UTF-8 (the piece is then listed under a safe replacement name).
    meta: dict[str, str] | None = None

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def page_count(self) -> int | None:
        return len(self.pages) if self.pages else None

    @property
    def ocr_pages(self) -> int:
        return sum(1 for p in self.pages if p.needs_ocr)

    def page(self, number: int) -> PageText | None:
        if 1 <= number <= len(self.pages):
            return self.pages[number - 1]
        return None

    def full_text(self) -> str:
        return "\n\f".join(p.text for p in self.pages)
