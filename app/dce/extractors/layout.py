"""Page layout from positions: text fragments and ruling lines → lines in reading order, table rows.

Every extractor gives the analysis the same shape of text (see ARCHITECTURE.md, "Import"):
- one line per visual line, top to bottom;
- a table row on ONE line, its cells separated by TAB; the lines inside one cell joined by
  CELL_BREAK (two spaces), so that a criterion, its explanation and its weight stay on one row;
- on a line without ruling, a wide horizontal gap (an unruled column) is a TAB as well.

This module is pure geometry (PDF user space: y grows upwards) so it is tested without a PDF.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.domain.document import CELL_BREAK, CELL_SEP

# A gap wider than this many times the line height is a column break, not a word space.
TAB_GAP = 2.0
# PDFium already ends a run with a space at a word break; a narrower gap is kerning ("202" "5").
_SPACE_GAP = 0.45
_TOL = 1.6  # points: rules closer than this touch or are the same line
_MAX_RULES = 2000  # a page of vector drawing (a plan) has no table to read


@dataclass(frozen=True, slots=True)
class Frag:
    """A run of text on one line, with its box (left, bottom, right, top)."""

    left: float
    bottom: float
    right: float
    top: float
    text: str

    @property
    def cy(self) -> float:
        return (self.bottom + self.top) / 2

    @property
    def cx(self) -> float:
        return (self.left + self.right) / 2

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 1.0)


@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling segment: horizontal (y0 == y1) or vertical (x0 == x1), within _TOL."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


def rules_from_box(left: float, bottom: float, right: float, top: float) -> list[Rule]:
    """A drawn path's bounding box → the rules it can stand for: a thin box is one rule, a larger
    one (a stroked cell rectangle) its four edges; dots and specks are nothing."""
    width, height = right - left, top - bottom
    if width < 0.5 and height < 0.5:
        return []
    if height <= 2.5 and width >= 6:
        y = (top + bottom) / 2
        return [Rule(left, y, right, y)]
    if width <= 2.5 and height >= 4:
        x = (left + right) / 2
        return [Rule(x, bottom, x, top)]
    if width >= 6 and height >= 4:
        return [
            Rule(left, bottom, right, bottom),
            Rule(left, top, right, top),
            Rule(left, bottom, left, top),
            Rule(right, bottom, right, top),
        ]
    return []


@dataclass(slots=True)
class _Grid:
    xs: list[float]
    ys: list[float]  # descending (top first)
    rows: dict[int, dict[int, list[Frag]]] = field(default_factory=dict)
    columns: int = 0

    def contains(self, frag: Frag) -> bool:
        return (
            self.xs[0] - _TOL <= frag.cx <= self.xs[-1] + _TOL
            and self.ys[-1] - _TOL <= frag.cy <= self.ys[0] + _TOL
        )

    def place(self, frag: Frag) -> None:
        row = next((i for i in range(len(self.ys) - 1) if frag.cy >= self.ys[i + 1]), len(self.ys) - 2)
        col = next((j for j in range(len(self.xs) - 1) if frag.cx <= self.xs[j + 1]), len(self.xs) - 2)
        self.rows.setdefault(row, {}).setdefault(col, []).append(frag)

    def squeeze(self) -> int:
        """Drop the columns no text fell in (edges of shading boxes make phantom ones); returns
        how many columns are left."""
        used = sorted({col for cells in self.rows.values() for col in cells})
        renumber = {col: n for n, col in enumerate(used)}
        self.rows = {row: {renumber[c]: f for c, f in cells.items()} for row, cells in self.rows.items()}
        self.columns = len(used)
        return self.columns

    def lines(self) -> list[tuple[float, str]]:
        out: list[tuple[float, str]] = []
        for row in sorted(self.rows):
            cells = self.rows[row]
            texts = [CELL_BREAK.join(_lines(cells.get(col, []))) for col in range(self.columns)]
            while texts and not texts[-1]:
                texts.pop()
            if any(t.strip() for t in texts):
                top = max(f.top for frags in cells.values() for f in frags)
                out.append((top, CELL_SEP.join(texts)))
        return out


def _cluster(values: Iterable[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= _TOL * 1.5:
            continue
        out.append(v)
    return out


def _grids(rules: Sequence[Rule]) -> list[_Grid]:
    """Connected groups of rules that form a grid of at least two columns."""
    if len(rules) > _MAX_RULES:
        return []
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[a] = b

    horizontal = sorted((i for i, r in enumerate(rules) if r.horizontal), key=lambda i: rules[i].y0)
    vertical = sorted((i for i, r in enumerate(rules) if not r.horizontal), key=lambda i: rules[i].x0)
    ys = [rules[i].y0 for i in horizontal]
    xs = [rules[i].x0 for i in vertical]
    # A vertical rule meets the horizontal ones whose y lies along it (bisect, not all pairs).
    for j in vertical:
        v = rules[j]
        lo, hi = min(v.y0, v.y1) - _TOL, max(v.y0, v.y1) + _TOL
        for k in range(bisect_left(ys, lo), bisect_right(ys, hi)):
            i = horizontal[k]
            h = rules[i]
            if min(h.x0, h.x1) - _TOL <= v.x0 <= max(h.x0, h.x1) + _TOL:
                union(i, j)
    # Collinear pieces of one line (a rule drawn cell by cell) join too.
    for order, pos, along in ((horizontal, ys, 0), (vertical, xs, 1)):
        for n in range(len(order) - 1):
            for m in range(n + 1, len(order)):
                if pos[m] - pos[n] > _TOL:
                    break
                a, b = rules[order[n]], rules[order[m]]
                a0, a1 = sorted((a.x0, a.x1) if along == 0 else (a.y0, a.y1))
                b0, b1 = sorted((b.x0, b.x1) if along == 0 else (b.y0, b.y1))
                if b0 <= a1 + _TOL and a0 <= b1 + _TOL:
                    union(order[n], order[m])
    groups: dict[int, list[Rule]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(find(i), []).append(rule)
    grids: list[_Grid] = []
    for members in groups.values():
        verticals = [r for r in members if not r.horizontal]
        horizontals = [r for r in members if r.horizontal]
        col_xs = _cluster(r.x0 for r in verticals)
        row_ys = sorted(_cluster(r.y0 for r in horizontals), reverse=True)
        if len(col_xs) >= 3 and len(row_ys) >= 2:
            grids.append(_Grid(col_xs, row_ys))
    return grids


def group_lines(frags: Sequence[Frag]) -> list[list[Frag]]:
    """Fragments → visual lines (top to bottom), each sorted left to right."""
    lines: list[list[Frag]] = []
    centres: list[float] = []
    heights: list[float] = []
    for frag in sorted(frags, key=lambda f: -f.cy):
        if lines and abs(centres[-1] - frag.cy) <= 0.45 * max(heights[-1], frag.height):
            lines[-1].append(frag)
            if frag.height > heights[-1]:  # the line's body text, not a superscript, sets its centre
                centres[-1], heights[-1] = frag.cy, frag.height
            continue
        lines.append([frag])
        centres.append(frag.cy)
        heights.append(frag.height)
    return [sorted(line, key=lambda f: f.left) for line in lines]


def _join(line: Sequence[Frag]) -> str:
    height = max(f.height for f in line)
    parts: list[str] = []
    previous: Frag | None = None
    for frag in line:
        text = frag.text
        if previous is not None:
            gap = frag.left - previous.right
            if gap > TAB_GAP * height:
                parts[-1] = parts[-1].rstrip()
                parts.append(CELL_SEP)
                text = text.lstrip()
            elif gap > _SPACE_GAP * height and not parts[-1].endswith(" ") and not text.startswith(" "):
                parts.append(" ")
        parts.append(text)
        previous = frag
    # One space between words (runs end or start with spaces of their own); tabs stay.
    return CELL_SEP.join(" ".join(seg.split()) for seg in "".join(parts).split(CELL_SEP)).strip()


def _lines(frags: Sequence[Frag]) -> list[str]:
    return [text for text in (_join(line) for line in group_lines(frags)) if text]


def layout_lines(frags: Sequence[Frag], rules: Sequence[Rule] = ()) -> list[str]:
    """The page's text as lines in reading order; ruled tables as one line per row."""
    clean = [f for f in frags if f.text.strip()]
    grids = _grids(rules) if len(rules) >= 5 else []  # a grid needs 3 verticals and 2 horizontals
    loose: list[Frag] = []
    for frag in clean:
        grid = next((g for g in grids if g.contains(frag)), None)
        if grid is None:
            loose.append(frag)
        else:
            grid.place(frag)
    placed: list[tuple[float, str]] = []
    for grid in grids:
        # A frame or a shaded box is no table: fewer than two columns hold text.
        if grid.squeeze() < 2:
            loose.extend(f for cells in grid.rows.values() for frags in cells.values() for f in frags)
        else:
            placed.extend(grid.lines())
    for line in group_lines(loose):
        text = _join(line)
        if text:
            placed.append((max(f.top for f in line), text))
    placed.sort(key=lambda item: -item[0])
    return [text for _, text in placed]
