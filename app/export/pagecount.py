"""One page count for the mémoire: the editor, the CLI and the export's page-limit warning all use it.

It lays the text out in lines the way a word processor does (characters per line from the page width,
the margins and the body font; lines per page from the page height and the line spacing; the space
around paragraphs, headings and table rows from the template's styles), then counts pages. The
character width and the table overheads were calibrated against LibreOffice's rendering of exported
mémoires (`make render`, tests/export/test_pagecount.py): within ±15 % on the example and demo mémoires.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.profile import CompanyProfile
from app.drafting.body import to_blocks

# Average advance of a character of running French text, in em (Calibri/Carlito ≈ 0.47).
CHAR_EM = 0.47
PT_PER_CM = 72 / 2.54
# Lines are not all full and pages break between paragraphs: measured against LibreOffice, the text
# laid out line by line takes this share of the pages counted.
FILL = 0.93


@dataclass(frozen=True)
class PageMetrics:
    """The page and the styles a body is set in (python-docx's default template on A4, 2 cm margins)."""

    text_width_pt: float = (21 - 4) * PT_PER_CM
    text_height_pt: float = (29.7 - 4) * PT_PER_CM - 30  # header and footer lines
    font_pt: float = 11.0
    line_factor: float = 1.15  # "multiple" line spacing (w:line 276/240)
    para_after_pt: float = 10.0
    heading_pt: tuple[float, float, float] = (14.0, 13.0, 11.0)
    heading_before_pt: tuple[float, float, float] = (24.0, 10.0, 10.0)

    @property
    def line_pt(self) -> float:
        return self.font_pt * 1.22 * self.line_factor

    def chars_per_line(self, width_pt: float | None = None, font_pt: float | None = None) -> float:
        return (width_pt or self.text_width_pt) / ((font_pt or self.font_pt) * CHAR_EM)


DEFAULT = PageMetrics()


def metrics_of(document: Any) -> PageMetrics:
    """The metrics of a python-docx Document (a company template's page, margins, fonts, spacing)."""
    from docx.oxml.ns import qn

    try:
        section = document.sections[-1]
        width = (section.page_width - section.left_margin - section.right_margin) / 12700
        height = (section.page_height - section.top_margin - section.bottom_margin) / 12700 - 30
        styles = document.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        size = 11.0
        after, line = 10.0, 1.15
        if defaults is not None:
            sz = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
            if sz is not None:
                size = int(sz.get(qn("w:val"))) / 2
            spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
            if spacing is not None:
                after = int(spacing.get(qn("w:after"), "0")) / 20
                if spacing.get(qn("w:lineRule"), "auto") == "auto" and spacing.get(qn("w:line")):
                    line = int(spacing.get(qn("w:line"))) / 240
        normal = styles["Normal"]
        if normal.font.size is not None:
            size = normal.font.size.pt
        if normal.paragraph_format.space_after is not None:
            after = normal.paragraph_format.space_after.pt
        if isinstance(normal.paragraph_format.line_spacing, float):
            line = normal.paragraph_format.line_spacing
        heads = []
        befores = []
        for level in (1, 2, 3):
            try:
                style = styles[f"Heading {level}"]
            except KeyError:
                heads.append(size + 3 - level)
                befores.append(12.0)
                continue
            heads.append(style.font.size.pt if style.font.size else size)
            before = style.paragraph_format.space_before
            befores.append(before.pt if before is not None else 10.0)
        return PageMetrics(
            text_width_pt=width,
            text_height_pt=height,
            font_pt=size,
            line_factor=line,
            para_after_pt=after,
            heading_pt=(heads[0], heads[1], heads[2]),
            heading_before_pt=(befores[0], befores[1], befores[2]),
        )
    except Exception:  # a template we cannot read is estimated with the defaults
        return DEFAULT


class Layout:
    """Height in points taken by the body, block after block."""

    def __init__(self, metrics: PageMetrics = DEFAULT) -> None:
        self.m = metrics
        self.pt = 0.0

    def _lines(self, text: str, width_pt: float | None = None, font_pt: float | None = None) -> int:
        per_line = self.m.chars_per_line(width_pt, font_pt)
        return max(1, math.ceil(len(text) / per_line))

    def paragraph(self, text: str, *, bullet: bool = False) -> None:
        if bullet:
            # List Bullet: indented, no space between items of one list.
            self.pt += self._lines(text, self.m.text_width_pt - 18) * self.m.line_pt + 1.5
        else:
            self.pt += self._lines(text) * self.m.line_pt + self.m.para_after_pt

    def heading(self, text: str, level: int) -> None:
        i = max(1, min(level, 3)) - 1
        size = self.m.heading_pt[i]
        lines = self._lines(text, font_pt=size * 1.08)  # bold
        self.pt += lines * size * 1.22 * self.m.line_factor + self.m.heading_before_pt[i]

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        font_pt: float | None = None,
        widths_cm: Sequence[float] | None = None,
    ) -> None:
        """Columns as the export sizes them (app.export.docx_util.column_widths), rows as tall as
        their tallest cell."""
        from app.export.docx_util import column_widths

        font = font_pt or self.m.font_pt
        total_cm = self.m.text_width_pt / PT_PER_CM
        widths = widths_cm or column_widths(header, rows, total_cm)
        cols = [max(10.0, w * PT_PER_CM - 11) for w in widths]  # cell margins
        line = font * 1.22 * self.m.line_factor
        for row in [header, *rows]:
            tallest = max((self._lines(str(c), w, font) for c, w in zip(row, cols, strict=False)), default=1)
            self.pt += tallest * line + self.m.para_after_pt + 2
        self.pt += self.m.para_after_pt + line  # the empty paragraph after it

    def image(self, height_cm: float = 8.0) -> None:
        """A picture 12 cm wide (about 8 cm high for a usual 3:2 photo or diagram)."""
        self.pt += height_cm * PT_PER_CM + self.m.para_after_pt

    def page_break(self) -> None:
        """The next block starts on a new page: what is left of this one is used up."""
        page = self.m.text_height_pt
        used = self.pt % page
        if used:
            self.pt += page - used

    @property
    def pages(self) -> float:
        return self.pt * FILL / self.m.text_height_pt


def body_pages(
    sections: Sequence[tuple[int, str, str]],
    profile: CompanyProfile | None = None,
    metrics: PageMetrics = DEFAULT,
    *,
    questions: Sequence[str | None] = (),
    similar_references: list[int] | None = None,
) -> float:
    """Pages of the mémoire's body: (level, heading, body) per section, in order. Tables from the profile
    are laid out with its rows (without a profile: 5 rows of middling length)."""
    from app.drafting.tables import profile_table

    layout = Layout(metrics)
    for i, (level, heading, body) in enumerate(sections):
        layout.heading(heading, level)
        question = questions[i] if i < len(questions) else None
        if question:
            layout.paragraph(question)
        for block in to_blocks(body):
            text = block.text
            if block.kind == "table":
                if profile is not None:
                    header, rows = profile_table(block.text, profile, similar_references)
                else:
                    header, rows = ["x" * 12] * 4, [["x" * 20] * 4] * 5
                if rows:
                    layout.table(header, rows)
            elif block.kind == "grid":
                grid = block.rows
                layout.table(grid[0], grid[1:])
            elif block.kind == "heading":
                layout.heading(text, 3)
            elif block.kind == "bullet":
                layout.paragraph(text, bullet=True)
            elif block.kind == "paragraph":
                layout.paragraph(text)
            elif block.kind == "image":
                layout.image()
    return layout.pages


@dataclass(frozen=True)
class PageCount:
    cover: int
    contents: int
    body: float  # what the RC's limit usually counts (no cover, contents or annexes)
    annex: float

    @property
    def total(self) -> int:
        return self.cover + self.contents + math.ceil(round(self.body, 3)) + math.ceil(round(self.annex, 3))

    @property
    def body_pages(self) -> int:
        return max(1, math.ceil(round(self.body, 3)))


def contents_pages(entries: int, metrics: PageMetrics = DEFAULT) -> int:
    lines = entries * metrics.line_pt * 1.05 + 60
    return max(1, math.ceil(lines / metrics.text_height_pt))


def describe(pages: float) -> str:
    """ "≈ 7,4 pages" (French decimal comma)."""
    return f"≈ {pages:.1f}".replace(".", ",") + " pages"
