"""The mémoire technique as DOCX: cover, table of contents, sections, profile tables, compliance annex."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, RGBColor

from app.domain.analysis import Analysis
from app.domain.kinds import PieceKind
from app.domain.profile import CompanyProfile
from app.drafting.body import to_blocks
from app.drafting.outline import Outline, OutlineSource
from app.drafting.requirements import Requirement
from app.drafting.tables import profile_table
from app.export.docx_util import (
    StyledParagraphs,
    add_field,
    add_table,
    add_text_with_markers,
    add_toc,
    open_template,
    save,
    update_fields_on_open,
    use_a4,
)

log = logging.getLogger(__name__)

ANNEX_TITLE = "Annexe — Matrice de conformité"
ANNEX_WIDTHS_CM = (1.5, 7.3, 2.4, 3.4, 2.4)
_SHORT_NAMES = {
    PieceKind.CCTP: "CCTP",
    PieceKind.CCP: "CCP",
    PieceKind.CADRE_REPONSE: "Cadre de réponse",
}

# Page estimate before any render: an A4 page with 2 cm margins in 11 pt holds about 48 lines of
# about 95 characters. LibreOffice gives the real count (app.export.render).
CHARS_PER_LINE = 95
LINES_PER_PAGE = 48


class _PageEstimate:
    def __init__(self) -> None:
        self.lines = 0.0

    def text(self, text: str, indent: int = 0, after: float = 0.6) -> None:
        self.lines += max(1, math.ceil(len(text) / (CHARS_PER_LINE - indent))) + after

    def heading(self, text: str, level: int) -> None:
        self.lines += math.ceil(len(text) / 70) * (1.4 if level == 1 else 1.2) + 1.2

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        width = CHARS_PER_LINE * 0.85 / len(header)
        for row in [header, *rows]:
            self.lines += max(math.ceil(len(c) / width) for c in row) + 0.3
        self.lines += 1

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.lines / LINES_PER_PAGE))


@dataclass
class MemoireInput:
    analysis: Analysis
    profile: CompanyProfile
    outline: Outline
    bodies: dict[str, str]  # section key → body (app.drafting.body format)
    requirements: list[Requirement] = field(default_factory=list)
    lot: int | None = None
    logo: Path | None = None
    template: Path | None = None
    similar_references: list[int] = field(default_factory=list)
    today: date = field(default_factory=date.today)


@dataclass
class MemoireResult:
    path: Path
    estimated_pages: int
    warnings: list[str]
    headings: list[str]


def section_heading(outline: Outline, key: str, title: str, weight: float | None) -> str:
    """Cadre headings keep their own wording and numbers; criteria get the outline key and weight."""
    if outline.source is OutlineSource.CADRE_REPONSE:
        return title
    suffix = f" ({weight:g} %)" if weight is not None else ""
    number = key if "." in key else f"{key}."  # "2." then "2.1", as French documents number
    return f"{number} {title}{suffix}"


def write_memoire(data: MemoireInput, path: Path) -> MemoireResult:
    doc = open_template(data.template)
    if data.template is None:
        use_a4(doc)
    a, p = data.analysis, data.profile
    body = _PageEstimate()
    _cover(doc, data)
    # Body section: header and footer with company, reference and "Page X / Y".
    body_section = doc.add_section(WD_SECTION.NEW_PAGE)
    body_section.header.is_linked_to_previous = False
    body_section.footer.is_linked_to_previous = False
    doc.sections[0].different_first_page_header_footer = True
    header = body_section.header.paragraphs[0]
    header.text = " — ".join(x for x in (p.display_name, a.reference or "", _lot_label(data.lot)) if x)
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = body_section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{p.display_name} — Mémoire technique — Page ")
    add_field(footer, "PAGE")
    footer.add_run(" / ")
    add_field(footer, "NUMPAGES")

    doc.add_paragraph("Sommaire", style="Title")
    headings = [
        section_heading(data.outline, s.key, s.title, s.weight_percent) for s in data.outline.sections
    ]
    entries = [(s.level, text) for s, text in zip(data.outline.sections, headings, strict=True)]
    if data.requirements:
        entries.append((1, ANNEX_TITLE))
    add_toc(doc, entries)
    update_fields_on_open(doc)

    styled = StyledParagraphs(doc)
    # New pages start on the heading itself: a separate page-break paragraph that falls at the top of
    # a page leaves a blank page behind it.
    for i, (s, text) in enumerate(zip(data.outline.sections, headings, strict=True)):
        heading = styled.heading(text, s.level)
        if i == 0:
            heading.paragraph_format.page_break_before = True
        body.heading(text, s.level)
        if s.prompts:
            for prompt in s.prompts:
                para = doc.add_paragraph()
                run = para.add_run(f"Question de l'acheteur : {prompt}")
                run.italic = True
                run.font.color.rgb = RGBColor(0x44, 0x54, 0x6A)
                body.text(prompt)
        for block in to_blocks(data.bodies.get(s.key, "")):
            if block.kind == "table":
                header_row, rows = profile_table(block.text, p, data.similar_references)
                if rows:
                    add_table(doc, header_row, rows)
                    doc.add_paragraph()
                    body.table(header_row, rows)
            elif block.kind == "heading":
                styled.heading(block.text, 3)
                body.heading(block.text, 3)
            elif block.kind == "bullet":
                add_text_with_markers(styled.add("List Bullet"), block.text)
                body.text(block.text, indent=6, after=0.2)
            else:
                add_text_with_markers(doc.add_paragraph(), block.text)
                body.text(block.text)

    annex = _PageEstimate()
    if data.requirements:
        styled.heading(ANNEX_TITLE, 1).paragraph_format.page_break_before = True
        origins = {r.origin for r in data.requirements}
        named = [f"le {_SHORT_NAMES[k]}" for k in (PieceKind.CCTP, PieceKind.CCP) if k in origins]
        if PieceKind.CADRE_REPONSE in origins:
            named.append("le cadre de réponse")
        doc.add_paragraph(
            f"Exigences relevées dans {' et '.join(named)}, section du mémoire qui y répond et couverture "
            "estimée (termes de l'exigence présents dans la section)."
        )
        sources = _sources(data.requirements)
        rows = [
            [r.ident, r.text, sources[r.ident], _shorten(r.section_label), r.coverage.value]
            for r in data.requirements
        ]
        annex_header = ["N°", "Exigence", "Source", "Section du mémoire", "Couverture"]
        # The requirement's text gets the room; the file name is in the XLSX.
        add_table(doc, annex_header, rows, widths_cm=ANNEX_WIDTHS_CM, font_pt=9)
        annex.heading(ANNEX_TITLE, 1)
        annex.text("x" * 180)
        annex.table(annex_header, rows)

    contents_pages = max(1, math.ceil((len(entries) + 3) / LINES_PER_PAGE))
    body_pages = body.pages
    estimated = 1 + contents_pages + body_pages + (annex.pages if data.requirements else 0)
    warnings: list[str] = []
    limit = a.memoire_page_limit
    if limit is not None:
        # Cover, contents and annexes are usually not counted by the RC.
        if body_pages > limit:
            warnings.append(
                f"Le règlement limite le mémoire à {limit} pages ; celui-ci en compte environ {body_pages} "
                "(hors couverture, sommaire et annexes) : à réduire."
            )
        elif body_pages > limit * 0.9:
            warnings.append(f"Le mémoire approche la limite de {limit} pages fixée par le règlement.")
    save(doc, path)
    log.info("memoire written: %d sections, ~%d pages", len(data.outline.sections), estimated)
    return MemoireResult(path=path, estimated_pages=estimated, warnings=warnings, headings=headings)


def _shorten(text: str, limit: int = 48) -> str:
    """The section's number and the start of its title: the full wording is in the sommaire."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return f"{cut}…"


def _sources(requirements: list[Requirement]) -> dict[str, str]:
    """ "CCTP, p. 7": the piece's short name, the file name only when two pieces share it."""
    files: dict[PieceKind, set[str]] = {}
    for r in requirements:
        files.setdefault(r.origin, set()).add(r.file)
    out: dict[str, str] = {}
    for r in requirements:
        name = _SHORT_NAMES.get(r.origin, r.file)
        if len(files[r.origin]) > 1:
            name = f"{name} ({Path(r.file).name})"
        out[r.ident] = f"{name}, p.\u00a0{r.page}" if r.page else name
    return out


def _lot_label(lot: int | None) -> str:
    return f"Lot {lot}" if lot is not None else ""


def _cover(doc: object, data: MemoireInput) -> None:
    from docx.document import Document as DocumentObject

    assert isinstance(doc, DocumentObject)
    a, p = data.analysis, data.profile
    if data.logo and data.logo.is_file():
        try:
            doc.add_picture(str(data.logo), width=Cm(5))
        except Exception as exc:  # an unreadable image must not stop the export
            log.warning("logo not inserted: %s", type(exc).__name__)
    for _ in range(3):
        doc.add_paragraph()
    title = doc.add_paragraph("MÉMOIRE TECHNIQUE", style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lines = [
        ("Acheteur", a.buyer or "[à compléter : acheteur]"),
        ("Objet", a.object or "[à compléter : objet de la consultation]"),
        ("Référence", a.reference or "[à compléter : référence de la consultation]"),
    ]
    if data.lot is not None:
        lot = next((lt for lt in a.lots if lt.number == data.lot), None)
        lines.append(("Lot", f"{data.lot}" + (f" — {lot.title}" if lot else "")))
    elif a.lots:
        lines.append(("Lots", ", ".join(str(lt.number) for lt in a.lots)))
    lines += [
        ("Candidat", f"{p.raison_sociale}" + (f" ({p.nom_commercial})" if p.nom_commercial else "")),
        ("SIRET", p.siret),
        ("Date", f"{data.today:%d/%m/%Y}"),
    ]
    for label, value in lines:
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(f"{label} : ")
        run.bold = True
        add_text_with_markers(para, value)
