"""python-docx helpers: fields (PAGE, NUMPAGES, TOC), highlighted markers, tables, templates."""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from app.domain.errors import InvalidInput
from app.drafting.markers import MARKER_RE
from app.export.typography import french_spacing

_TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def open_template(path: Path | None) -> DocumentObject:
    """A new document: python-docx's default, or the company's .docx/.dotx (its styles, its body emptied)."""
    if path is None:
        return Document()
    try:
        data = path.read_bytes()
        if path.suffix.lower() in (".dotx", ".dotm"):
            data = _dotx_as_docx(data)
        doc = Document(io.BytesIO(data))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise InvalidInput(f"modèle Word illisible ({path.name}) : {exc}", field="modèle") from exc
    body = doc.element.body
    for child in list(body.iterchildren()):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    ensure_styles(doc)
    return doc


def _dotx_as_docx(data: bytes) -> bytes:
    """A .dotx is a .docx whose main part has the template content type; python-docx wants the other."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(_TEMPLATE_TYPE, _DOCUMENT_TYPE)
            dst.writestr(item, content)
    return out.getvalue()


def use_a4(doc: DocumentObject) -> None:
    """python-docx's own template is US Letter: French buyers expect A4 with 2 cm margins."""
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)


def ensure_styles(doc: DocumentObject) -> None:
    """Templates made by hand may lack Title / Heading 1–3 / List Bullet: add plain ones."""
    names = {s.name for s in doc.styles}
    for level in (1, 2, 3):
        name = f"Heading {level}"
        if name not in names:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.font.bold = True
            style.font.size = Pt({1: 16, 2: 13, 3: 11.5}[level])
            pPr = style.element.get_or_add_pPr()
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), str(level - 1))
            pPr.append(outline)
    for name in ("Title", "List Bullet", "Caption"):
        if name not in names:
            doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A complex field (PAGE, NUMPAGES, TOC…) with a cached result Word/LibreOffice shows until updated."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _fld_char(paragraph: Paragraph, kind: str, dirty: bool = False) -> None:
    run = paragraph.add_run()
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    if dirty:
        el.set(qn("w:dirty"), "true")
    run._r.append(el)


def add_toc(doc: DocumentObject, entries: Sequence[tuple[int, str]]) -> None:
    """A TOC field whose cached result lists the headings (readable before any update); Word
    replaces the entries, page numbers included, when the field is updated."""
    first = doc.add_paragraph()
    _fld_char(first, "begin", dirty=True)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-3" \\h \\z \\u '
    first.add_run()._r.append(instr)
    _fld_char(first, "separate")
    last = first
    for i, (level, text) in enumerate(entries):
        para = first if i == 0 else doc.add_paragraph()
        para.add_run(text)
        para.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        para.paragraph_format.space_after = Pt(0)
        last = para
    _fld_char(last, "end")


def update_fields_on_open(doc: DocumentObject) -> None:
    """Ask Word to refresh the table of contents and page numbers when the file is opened."""
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        el = OxmlElement("w:updateFields")
        el.set(qn("w:val"), "true")
        settings.append(el)


def add_plain_run(paragraph: Paragraph, text: str) -> Run:
    """A run holding `text` as one w:t (python-docx's text setter walks it character by character)."""
    run = paragraph.add_run()
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run._r.append(t)
    return run


class StyledParagraphs:
    """Paragraphs in a named style, the style id looked up once (python-docx scans every style on
    each lookup by name, which dominated the export time of a long mémoire)."""

    def __init__(self, doc: DocumentObject) -> None:
        self._doc = doc
        self._ids: dict[str, str] = {}

    def add(self, style: str, text: str = "") -> Paragraph:
        if style not in self._ids:
            self._ids[style] = self._doc.styles[style].style_id
        para = self._doc.add_paragraph()
        para._p.style = self._ids[style]
        if text:
            add_plain_run(para, text)
        return para

    def heading(self, text: str, level: int) -> Paragraph:
        return self.add(f"Heading {level}", text)


def add_text_with_markers(paragraph: Paragraph, text: str) -> None:
    """Text whose `[à compléter : …]` markers stand out (yellow highlight, bold)."""
    pos = 0
    for m in MARKER_RE.finditer(text):
        if m.start() > pos:
            add_plain_run(paragraph, text[pos : m.start()])
        run = add_plain_run(paragraph, m.group(0))
        run.bold = True
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        run.font.color.rgb = RGBColor(0x9C, 0x00, 0x06)
        pos = m.end()
    if pos < len(text):
        add_plain_run(paragraph, text[pos:])


def _shade(cell: Any, fill: str) -> None:
    tcPr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcPr.append(shd)


# Usable width of an A4 page with 2 cm margins, and the width of one character of 10–11 pt text.
TEXT_WIDTH_CM = 17.0
_CHAR_CM = 0.22
_SPACES = re.compile(r"[ \t\n]+")
_MIN_COLUMN_CM = 0.9
_BOLD_CHAR_CM = 0.28  # a header word in bold, in a substituted font, is wider
_CELL_PADDING_CM = 0.45


def column_widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], total_cm: float = TEXT_WIDTH_CM
) -> list[float]:
    """Column widths that follow the content: a "N°" or a year stays narrow, a requirement's text
    gets the room, and no column is narrower than its longest word (no "Restructuratio-n")."""
    floors: list[float] = []
    ideals: list[float] = []
    for i, title in enumerate(header):
        # Measured as typeset: "1 240 000 €" and "40 %" will not break (app.export.typography).
        texts = [title, *(french_spacing(str(r[i])) for r in rows)]
        # Words split at plain spaces only: "1 240 000 €" (non-breaking spaces) is one word.
        header_word = max((len(w) for w in _SPACES.split(title)), default=1)
        body_word = max((len(w) for t in texts[1:] for w in _SPACES.split(t)), default=1)
        average = sum(len(t) for t in texts) / len(texts)
        longest = max(len(t) for t in texts)
        widest = max(min(header_word, 16) * _BOLD_CHAR_CM, min(body_word, 16) * _CHAR_CM)
        floor = max(_MIN_COLUMN_CM, widest + _CELL_PADDING_CM)
        ideal = max(floor, min(longest + 2, average * 1.5 + 2, 70) * _CHAR_CM)
        floors.append(floor)
        ideals.append(ideal)
    if sum(ideals) <= total_cm:  # everything fits on one line: share the spare room
        return [w * total_cm / sum(ideals) for w in ideals]
    if sum(floors) >= total_cm:
        return [w * total_cm / sum(floors) for w in floors]
    spare = total_cm - sum(floors)
    wants = [i - f for i, f in zip(ideals, floors, strict=True)]
    return [f + spare * w / sum(wants) for f, w in zip(floors, wants, strict=True)]


def add_table(
    doc: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    style: str = "Table Grid",
    widths_cm: Sequence[float] | None = None,
    font_pt: float | None = None,
) -> Table:
    """A table with a shaded, repeated header row, its columns sized to their content (or to
    `widths_cm`). `doc` is a Document or a cell."""
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    with contextlib.suppress(KeyError, ValueError):
        table.style = style  # a company template without "Table Grid" keeps Word's default look
    widths = [Cm(w) for w in (widths_cm or column_widths(header, rows))]
    table.autofit = False
    # LibreOffice reads the grid, Word the cell widths: both are set.
    for gc, width in zip(table._tbl.tblGrid.iterchildren(qn("w:gridCol")), widths, strict=True):
        gc.set(qn("w:w"), str(width.twips))
    grid = table.rows
    head = grid[0]
    trPr = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trPr.append(repeat)
    for cell, text, width in zip(head.cells, header, widths, strict=True):
        cell.text = ""
        cell.width = width
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        if font_pt:
            run.font.size = Pt(font_pt)
        _shade(cell, "D9E2F3")
    for row, values in zip(list(grid)[1:], rows, strict=True):
        # A row is read whole: never half on one page and half on the next.
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, text, width in zip(row.cells, values, widths, strict=True):
            cell.width = width
            add_text_with_markers(cell.paragraphs[0], str(text))
            if font_pt:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(font_pt)
    return table


def set_checkbox(paragraph: Paragraph, checked: bool = True) -> bool:
    """Tick the first legacy form checkbox (FORMCHECKBOX) of a paragraph; False when it has none."""
    for cb in paragraph._p.iter(qn("w:checkBox")):
        default = cb.find(qn("w:default"))
        if default is None:
            default = OxmlElement("w:default")
            cb.append(default)
        default.set(qn("w:val"), "1" if checked else "0")
        existing = cb.find(qn("w:checked"))
        if checked and existing is None:
            cb.append(OxmlElement("w:checked"))
        return True
    return False


def save(doc: DocumentObject, path: Path, *, french: bool = True) -> None:
    """Saved through a buffer and an atomic rename: a crash never leaves half a file. `french`: the
    document is Maître AO's own (French spacing and language); a buyer's form is saved as it is."""
    from app.domain.fsutil import atomic_write_bytes
    from app.export.typography import apply_french_typography, set_french_language

    if french:
        apply_french_typography(doc)
        set_french_language(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    atomic_write_bytes(path, buffer.getvalue(), mode=0o644)
