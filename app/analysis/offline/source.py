"""The DCE as the rules see it: cleaned lines per page, a flat and a folded text, evidence helpers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import overload

from app.domain.analysis import Evidence
from app.domain.document import CELL_BREAK, CELL_SEP, PieceText
from app.domain.kinds import READ_PRIORITY, PieceKind

from .text import fold, heading_number, squash

_PAGE_NO = re.compile(r"^(?:page\s*)?\d{1,3}\s*(?:/|sur)\s*\d{1,3}$|^page\s*\d{1,3}$|^-?\s*\d{1,3}\s*-?$")
_DIGITS = re.compile(r"\d+")
# A sentence ends at . ; ! ? followed by a space and a capital, not after an initial ("R. 2124-2").
SENTENCE_BREAK = re.compile(r"(?<![\s(][A-Z])(?<!\bart)(?<!\bn°)[.;!?](?=\s+[A-ZÀ-Ý•\-–−(«\"])")
QUOTE_MAX = 260


@dataclass(slots=True)
class Line:
    """A logical line: consecutive physical lines joined when the text clearly continues."""

    text: str
    folded: str
    start: int  # offset of the line in the page's flat text
    cells: tuple[str, ...] = ()  # a DOCX/XLSX table row's cells (the extractor separates them by tabs)
    # The row's first cell is empty: it goes on the row above ("| | Composition de l'équipe | 25 %").
    under: bool = False


@dataclass(slots=True)
class Page:
    piece: PieceText
    number: int  # 1-based
    flat: str  # cleaned lines joined with one space
    folded: str
    lines: list[Line] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)  # running header/footer lines removed from `flat`

    @property
    def kind(self) -> PieceKind:
        return self.piece.kind

    def evidence(self, quote: str) -> Evidence:
        return Evidence(file=self.piece.path, page=self.number if self.piece.paged else None, quote=quote)

    def quote_around(self, start: int, end: int) -> str:
        """The sentence of `flat` that contains [start, end), within its logical line, kept short."""
        line = self.line_at(start)
        lo = line.start if line is not None else max(0, start - QUOTE_MAX // 2)
        last = self.line_at(max(start, end - 1))
        hi = last.start + len(last.text) if last is not None else min(len(self.flat), end + QUOTE_MAX)
        left = lo
        for brk in SENTENCE_BREAK.finditer(self.flat, lo, start):
            left = brk.end()
        if start - left > QUOTE_MAX // 2:
            left = self.flat.find(" ", start - QUOTE_MAX // 2, start) + 1 or start
        right = hi
        stop = SENTENCE_BREAK.search(self.flat, end, hi)
        if stop is not None:
            right = stop.start() + 1
        if right - left > QUOTE_MAX:
            cut = self.flat.rfind(" ", max(end, left + QUOTE_MAX // 2), left + QUOTE_MAX)
            right = cut if cut > end else max(end, left + QUOTE_MAX)
        return self.flat[left:right].strip()

    def evidence_at(self, start: int, end: int) -> Evidence:
        return self.evidence(self.quote_around(start, end))

    def line_at(self, offset: int) -> Line | None:
        for line in self.lines:
            if line.start <= offset < line.start + len(line.text) + 1:
                return line
        return None


def _repeated_lines(pages: list[list[str]]) -> set[str]:
    """Running headers and footers: lines seen at the top or bottom of most pages."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = set(lines[:4] + lines[-3:])
        counts.update(_DIGITS.sub("#", fold(x)) for x in edge)
    if len(pages) == 2:
        # A two-page RC: only a footer carrying a page number ("… – page 1/2") is surely running.
        return {key for key, n in counts.items() if n == 2 and re.search(r"\bpage\b|#\s*/\s*#", key)}
    threshold = max(3, int(0.6 * len(pages)))
    return {key for key, n in counts.items() if n >= threshold}


_CONTINUES = frozenset(
    [
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "l'",
        "d'",
        "et",
        "ou",
        "à",
        "a",
        "au",
        "aux",
        "en",
        "par",
        "pour",
        "sur",
        "un",
        "une",
    ]
)


_LIST_MARK = re.compile(r"^(?:[a-h]|[ivx]{1,4}|\d{1,2})[).°]\s|^o\s|^\(\w{1,3}\)\s")


def logical_lines(raw: list[str], rows: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Physical lines → logical ones: a line that clearly continues the previous one is joined to
    it; a table row (in `rows`) is whole and never joined to a neighbour."""
    out: list[str] = []
    previous_row = False
    for line in raw:
        is_row = line in rows
        if out and not is_row and not previous_row:
            prev = out[-1]
            first = line[0]
            open_end = prev[-1] not in ".;:!?"
            word_before = prev[prev.rfind(" ") + 1 :].lower() in _CONTINUES
            # "… au plus tard le 8 avril 2026 à / 12h00.", "… la valeur technique / (40 %).": a
            # sentence cut after a word that cannot end it, or before its parenthesis, goes on.
            joins = (
                (first.islower() and open_end)
                or (
                    (prev[-1] in ",(-'’" or word_before)
                    and (not first.isdigit() or (word_before and heading_number(line) is None))
                    and first not in "•-−–*▪"
                )
                or (first == "(" and open_end and len(prev) > 40)
                # "… la mission (10" / "%).": a sign that closes or follows a figure never opens a line.
                or first in "%)]}€»,;"
            )
            joins = (joins and not _LIST_MARK.match(line)) or prev.endswith(
                (" R.", " L.", " D.", " art.")
            )  # "articles L. / 2123-1"
            if joins:
                out[-1] = f"{prev} {line}"
                continue
        out.append(line)
        previous_row = is_row
    return out


_BARE_NO = re.compile(r"^-?\s*(\d{1,3})\s*-?$")


def _paging_offsets(numbers: list[int], pages: list[list[str]]) -> set[int]:
    """How a bare number at a page edge relates to the page's number when it is the page number
    ("3" on page 3, or "2" on page 3 under an unnumbered cover). A bare "1" ending a weights table
    on page 2 is not page 2's number, so it stays."""
    if len(pages) < 3:
        return {0}
    counts: Counter[int] = Counter()
    for number, lines in zip(numbers, pages, strict=True):
        counts.update(
            {int(m.group(1)) - number for x in lines[:4] + lines[-3:] if (m := _BARE_NO.match(x)) is not None}
        )
    threshold = max(2, int(0.6 * len(pages)))
    return {offset for offset, n in counts.items() if n >= threshold} or {0}


_TOC_TITLE = re.compile(r"^(?:sommaire|table\s+des\s+matieres|plan\s+du\s+document)\b")
# "Article 2 – Visite obligatoire 3", "2.1 Variantes ........ 4": a title, then the page it starts on.
_TOC_ENTRY = re.compile(r"^(?=.*[a-z]).{3,200}?[^\d/.,:%-]\s*(?:\.{2,}|…+|_{2,})?\s*(\d{1,3})$")
_TOC_HEADING = re.compile(
    r"^(?:article|chapitre|titre|partie|annexe|section)\b|^\d{1,2}(?:\.\d{1,2})*\s*[.)\-–:]?\s+\D|^[ivx]{1,4}\s*[.)\-–]"
)


def _without_toc(texts: list[str]) -> list[str]:
    """A table of contents names the clauses ("Visite obligatoire 3") without stating them: its
    entries are left out, with or without dotted leaders (Word's tab leaders come out as spaces)."""
    folded = [fold(t) for t in texts]
    entries: list[tuple[int, int]] = []
    for i, text in enumerate(folded):
        m = _TOC_ENTRY.match(text)
        if m is not None:
            entries.append((i, int(m.group(1))))
    if len(entries) < 3:
        return texts
    numbers = [n for _, n in entries]
    ordered = all(a <= b for a, b in pairwise(numbers))
    titled = any(_TOC_TITLE.match(text) for text in folded[:5])
    headings = sum(1 for i, _ in entries if _TOC_HEADING.match(folded[i]))
    listed = len(entries) >= 5 and headings >= 0.8 * len(entries) and len(entries) >= 0.6 * len(texts)
    if not ordered or not (titled or listed):
        return texts
    drop = {i for i, _ in entries}
    return [text for i, text in enumerate(texts) if i not in drop]


def _cells(row: str) -> tuple[str, ...]:
    """A table row's cells, each with its inner line breaks (CELL_BREAK) kept."""
    return tuple(
        CELL_BREAK.join(squash(part) for part in cell.split(CELL_BREAK) if part.strip())
        for cell in row.split(CELL_SEP)
        if cell.strip()
    )


def build_pages(piece: PieceText) -> list[Page]:
    physical = [[x for x in (squash(y) for y in page.text.splitlines()) if x] for page in piece.pages]
    skip = _repeated_lines(physical)
    offsets = _paging_offsets([page.number for page in piece.pages], physical)
    pages: list[Page] = []
    for page, page_lines in zip(piece.pages, physical, strict=True):
        raw: list[str] = []
        headers: list[str] = []
        last = len(page_lines) - 1
        for index, line in enumerate(page_lines):
            key = fold(line)
            # Running headers and page numbers live at the top or bottom of a page; the same text in
            # the middle of the page (a bare "40" in a weights table) is content.
            edge = index < 4 or index > last - 3
            bare = _BARE_NO.match(key)
            if bare is not None:
                if edge and int(bare.group(1)) - page.number in offsets:
                    headers.append(line)
                    continue
            elif edge and (_PAGE_NO.match(key) or _DIGITS.sub("#", key) in skip):
                headers.append(line)
                continue
            raw.append(line)
        rows = {
            squash(x): _cells(x) for x in page.text.splitlines() if CELL_SEP in x or CELL_BREAK in x.strip()
        }
        under = {squash(x) for x in page.text.splitlines() if x.startswith(CELL_SEP) and x.strip()}
        texts = _without_toc(logical_lines(raw, set(rows)))
        lines: list[Line] = []
        offset = 0
        for text in texts:
            cells = rows.get(text, ())
            lines.append(Line(text, fold(text), offset, cells, under=bool(cells) and text in under))
            offset += len(text) + 1
        flat = " ".join(texts)
        folded_flat = " ".join(line.folded for line in lines)
        pages.append(
            Page(piece=piece, number=page.number, flat=flat, folded=folded_flat, lines=lines, headers=headers)
        )
    return pages


@dataclass(slots=True)
class Dce:
    """All readable pages, pieces ordered by how much they decide the analysis (RC first)."""

    pieces: list[PieceText]
    _built: dict[int, list[Page]] = field(default_factory=dict)

    @classmethod
    def of(cls, pieces: list[PieceText]) -> Dce:
        return cls(pieces=sorted(pieces, key=lambda p: (READ_PRIORITY.get(p.kind, 8), p.path)))

    def piece_pages(self, piece: PieceText) -> list[Page]:
        """Cleaned pages of one piece, built on first use (long CCTPs are often never read)."""
        key = id(piece)
        if key not in self._built:
            self._built[key] = build_pages(piece) if piece.pages else []
        return self._built[key]

    def pages(self, *kinds: PieceKind) -> list[Page]:
        """Pages of the pieces of these kinds (in priority order), or of every piece when none given."""
        out: list[Page] = []
        for piece in self.pieces:
            if kinds and piece.kind not in kinds:
                continue
            out.extend(self.piece_pages(piece))
        return out

    def has(self, kind: PieceKind) -> bool:
        return any(p.kind is kind for p in self.pieces)


# Pieces that state the rules of the consultation, most authoritative first; CCTPs and price
# schedules never decide a deadline or a criterion.
RULE_KINDS: tuple[PieceKind, ...] = (
    PieceKind.RC,
    PieceKind.CADRE_REPONSE,
    PieceKind.CCAP,
    PieceKind.CCP,
    PieceKind.AE,
    PieceKind.QR_REGISTER,
    PieceKind.CONTRAT,
    PieceKind.AUTRE,
)


class Pages(Sequence[Page]):
    """Pages of several pieces, cleaned only when a rule reaches them: most answers are in the RC,
    so a long CCAP is usually never prepared."""

    def __init__(self, dce: Dce, pieces: list[PieceText]) -> None:
        self._dce = dce
        self._todo = list(pieces)
        self._pages: list[Page] = []

    def _grow(self) -> bool:
        while self._todo:
            pages = self._dce.piece_pages(self._todo.pop(0))
            if pages:
                self._pages.extend(pages)
                return True
        return False

    def __iter__(self) -> Iterator[Page]:
        i = 0
        while i < len(self._pages) or self._grow():
            yield self._pages[i]
            i += 1

    @overload
    def __getitem__(self, index: int) -> Page: ...
    @overload
    def __getitem__(self, index: slice) -> list[Page]: ...
    def __getitem__(self, index: int | slice) -> Page | list[Page]:
        if isinstance(index, slice) or index < 0:
            while self._grow():
                pass
            return self._pages[index]
        while index >= len(self._pages) and self._grow():
            pass
        return self._pages[index]

    def all_pieces(self) -> list[PieceText]:
        """Every piece of the DCE (their names), not only the kinds these pages were taken from."""
        return list(self._dce.pieces)

    def by_piece(self) -> Iterator[list[Page]]:
        """Pages grouped by piece; a piece is prepared only when its group is reached."""
        for piece in [*self._seen_pieces(), *self._todo]:
            pages = self._dce.piece_pages(piece)
            if pages:
                yield pages

    def _seen_pieces(self) -> list[PieceText]:
        seen: list[PieceText] = []
        for page in self._pages:
            if not seen or seen[-1] is not page.piece:
                seen.append(page.piece)
        return seen

    def __len__(self) -> int:
        while self._grow():
            pass
        return len(self._pages)


def rule_pages(dce: Dce, *kinds: PieceKind) -> Pages:
    wanted = kinds or RULE_KINDS
    pieces = [piece for kind in wanted for piece in dce.pieces if piece.kind is kind and piece.pages]
    return Pages(dce, pieces)


def piece_groups(pages: Sequence[Page]) -> Iterator[list[Page]]:
    """Pages grouped by piece, lazily when `pages` is a Pages."""
    if isinstance(pages, Pages):
        yield from pages.by_piece()
        return
    group: list[Page] = []
    for page in pages:
        if group and group[0].piece is not page.piece:
            yield group
            group = []
        group.append(page)
    if group:
        yield group
