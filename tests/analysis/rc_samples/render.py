"""Render an RC sample (a small text markup) as real PDFs with fpdf2 (or DOCX with python-docx, ODT with
odfpy, when the piece's name ends in .docx / .odt).

Markup, one directive per line:
  @file NAME.pdf          name of the PDF inside the DCE (first line); a later @file starts another
                          piece of the same DCE (a CCAP next to the RC, …)
  @header TEXT            running header printed at the top of every page
  @footer TEXT            running footer; {page} and {pages} are replaced
  @font core              write with the latin-1 core font Helvetica instead of DejaVu Sans
  ===                     page break
  # TEXT                  heading (bold)
  | A | B                 table row (cells separated by " | "), drawn with fpdf2's table
  ~ A | B                 unruled columns (PDF: cells written side by side, no rules; DOCX/ODT: tabs)
  anything else           a paragraph; a blank line is a small vertical gap
Tokens {nbsp} and {nnbsp} are (narrow) non-breaking spaces, as buyers' word processors write them;
{br} is a line break inside a table cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

SAMPLES_DIR = Path(__file__).resolve().parent
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# Core PDF fonts only cover latin-1: typographic characters fall back to their plain form.
_LATIN1 = str.maketrans(
    {"’": "'", "–": "-", "—": "-", "…": "...", "œ": "oe", "Œ": "OE", "\u202f": "\u00a0", "€": "EUR", "•": "-"}
)


@dataclass
class Sample:
    name: str
    file: str
    header: str = ""
    footer: str = ""
    core_font: bool = False  # "@font core": latin-1 Helvetica, as older tools write PDFs
    pages: list[list[str]] = field(default_factory=list)


def parse(path: Path) -> list[Sample]:
    """The pieces written in one sample file, in order."""
    samples: list[Sample] = []
    sample = Sample(name=path.stem, file=f"{path.stem}.pdf")
    page: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.replace("{nbsp}", "\u00a0").replace("{nnbsp}", "\u202f").replace("{br}", "\n").rstrip()
        if line.startswith("@file "):
            if any(x for x in page) or sample.pages:
                sample.pages.append(page)
                samples.append(sample)
                sample = Sample(name=path.stem, file="")
                page = []
            sample.file = line[6:].strip()
        elif line.startswith("@header "):
            sample.header = line[8:].strip()
        elif line.startswith("@footer "):
            sample.footer = line[8:].strip()
        elif line == "@font core":
            sample.core_font = True
        elif line == "===":
            sample.pages.append(page)
            page = []
        else:
            page.append(line)
    sample.pages.append(page)
    samples.append(sample)
    return samples


class _Pdf(FPDF):
    def __init__(self, sample: Sample, unicode: bool) -> None:
        super().__init__(format="A4")
        self.sample = sample
        self.unicode = unicode
        if unicode:
            self.add_font("DejaVu", "", str(_FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("DejaVu", "B", str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.family = "DejaVu"
        else:
            self.family = "Helvetica"
        self.set_auto_page_break(True, margin=22)
        self.alias_nb_pages("{pages}")

    def text_of(self, text: str) -> str:
        if self.unicode:
            return text
        return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    def header(self) -> None:
        if self.sample.header:
            self.set_font(self.family, "", 8)
            self.cell(0, 5, self.text_of(self.sample.header), align="R")
            self.ln(9)

    def footer(self) -> None:
        if self.sample.footer:
            self.set_y(-15)
            self.set_font(self.family, "", 8)
            text = self.sample.footer.replace("{page}", str(self.page_no()))
            self.cell(0, 5, self.text_of(text), align="C")


def render(source: Path, out_dir: Path, *, core_font: bool = False) -> list[Path]:
    """Write the sample's pieces into out_dir and return their paths. `core_font` writes every PDF
    with Helvetica (other glyph widths: lines and table cells wrap elsewhere)."""
    samples = parse(source)
    for sample in samples:
        sample.core_font = sample.core_font or core_font
    return [
        _render_docx(sample, out_dir)
        if sample.file.lower().endswith(".docx")
        else _render_odt(sample, out_dir)
        if sample.file.lower().endswith(".odt")
        else _render_one(sample, out_dir)
        for sample in samples
    ]


def _render_docx(sample: Sample, out_dir: Path) -> Path:
    from docx import Document

    doc = Document()
    section = doc.sections[0]
    if sample.header:
        section.header.paragraphs[0].text = sample.header
    if sample.footer:
        section.footer.paragraphs[0].text = sample.footer.replace("{page}", "").replace("{pages}", "")
    for index, lines in enumerate(sample.pages):
        if index:
            doc.add_page_break()
        table: list[list[str]] = []
        for line in [*lines, ""]:
            if line.startswith("| "):
                table.append([c.strip() for c in line[2:].split(" | ")])
                continue
            if table:
                grid = doc.add_table(rows=len(table), cols=max(len(r) for r in table))
                grid.style = "Table Grid"
                for r, cells in enumerate(table):
                    for c, cell in enumerate(cells):
                        grid.cell(r, c).text = cell
                table = []
            if line.startswith("# "):
                doc.add_paragraph().add_run(line[2:]).bold = True
            elif line.startswith("~ "):
                doc.add_paragraph("\t".join(c.strip() for c in line[2:].split(" | ")))
            elif line:
                doc.add_paragraph(line)
    out = out_dir / sample.file
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def _render_odt(sample: Sample, out_dir: Path) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    doc = OpenDocumentText()
    bold = Style(name="Heading", family="paragraph")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.styles.addElement(bold)
    brk = Style(name="Break", family="paragraph")
    brk.addElement(ParagraphProperties(breakbefore="page"))
    doc.automaticstyles.addElement(brk)
    for index, lines in enumerate(sample.pages):
        if index:
            doc.text.addElement(P(stylename=brk, text=""))
        table: list[list[str]] = []
        for line in [*lines, ""]:
            if line.startswith("| "):
                table.append([c.strip() for c in line[2:].split(" | ")])
                continue
            if table:
                grid = Table(name=f"T{index}_{len(doc.text.childNodes)}")
                grid.addElement(TableColumn(numbercolumnsrepeated=max(len(r) for r in table)))
                for cells in table:
                    row = TableRow()
                    for cell in cells:
                        box = TableCell()
                        for part in cell.split("\n"):
                            box.addElement(P(text=part))
                        row.addElement(box)
                    grid.addElement(row)
                doc.text.addElement(grid)
                table = []
            if line.startswith("# "):
                doc.text.addElement(H(outlinelevel=1, stylename=bold, text=line[2:]))
            elif line.startswith("~ "):
                doc.text.addElement(P(text="\t".join(c.strip() for c in line[2:].split(" | "))))
            elif line:
                doc.text.addElement(P(text=line))
    out = out_dir / sample.file
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def _render_one(sample: Sample, out_dir: Path) -> Path:
    pdf = _Pdf(sample, unicode=not sample.core_font and (_FONT_DIR / "DejaVuSans.ttf").exists())
    for lines in sample.pages:
        pdf.add_page()
        table: list[list[str]] = []
        for line in [*lines, ""]:
            if line.startswith("| "):
                table.append([c.strip() for c in line[2:].split(" | ")])
                continue
            if table:
                pdf.set_font(pdf.family, "", 9)
                with pdf.table(first_row_as_headings=False) as grid:
                    for cells in table:
                        row = grid.row()
                        for cell in cells:
                            row.cell(pdf.text_of(cell))
                pdf.ln(3)
                table = []
            if not line:
                pdf.ln(2)
            elif line.startswith("~ "):
                cells = [c.strip() for c in line[2:].split(" | ")]
                pdf.set_font(pdf.family, "", 9.5)
                width = (pdf.w - pdf.l_margin - pdf.r_margin) / len(cells)
                for cell in cells:
                    pdf.cell(width, 5, pdf.text_of(cell))
                pdf.ln(5)
            elif line.startswith("# "):
                pdf.set_font(pdf.family, "B", 10.5)
                pdf.multi_cell(0, 6, pdf.text_of(line[2:]), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1)
            else:
                pdf.set_font(pdf.family, "", 9.5)
                pdf.multi_cell(0, 5, pdf.text_of(line), new_x="LMARGIN", new_y="NEXT")
    out = out_dir / sample.file
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


def sources() -> list[Path]:
    return sorted(SAMPLES_DIR.glob("*.txt"))
