"""The mémoire technique as DOCX: cover, table of contents, sections, profile tables, compliance annex."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, RGBColor

from app.domain.analysis import Analysis
from app.domain.kinds import PieceKind
from app.domain.numbers import percent
from app.domain.profile import CompanyProfile
from app.drafting.body import to_blocks
from app.drafting.outline import Outline, OutlineSource
from app.drafting.repetition import repeated_sentences
from app.drafting.requirements import WHOLE_MEMOIRE, Requirement
from app.drafting.tables import profile_table
from app.export import pagecount
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
ANNEX_WIDTHS_CM = (1.5, 9.0, 3.0, 3.5)
_SHORT_NAMES = {
    PieceKind.CCTP: "CCTP",
    PieceKind.CCP: "CCP",
    PieceKind.CADRE_REPONSE: "Cadre de réponse",
}


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
    annex: bool = False  # the compliance annex (where each requirement is answered): on request only
    image: Callable[[str], bytes | None] | None = None  # a library picture's content by its sha256


@dataclass
class MemoireResult:
    path: Path
    estimated_pages: int
    warnings: list[str]
    headings: list[str]
    pages: pagecount.PageCount | None = None
    repeated: list[tuple[str, list[str]]] = field(default_factory=list)  # sentence, sections where it is


def section_heading(outline: Outline, key: str, title: str, weight: float | None) -> str:
    """Cadre headings keep their own wording and numbers; criteria get the outline key and weight."""
    if outline.source is OutlineSource.CADRE_REPONSE:
        return title
    suffix = f" ({percent(weight)})" if weight is not None else ""
    number = key if "." in key else f"{key}."  # "2." then "2.1", as French documents number
    return f"{number} {title}{suffix}"


def write_memoire(data: MemoireInput, path: Path) -> MemoireResult:
    doc = open_template(data.template)
    if data.template is None:
        use_a4(doc)
    a, p = data.analysis, data.profile
    metrics = pagecount.metrics_of(doc)
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
    annex = data.annex and bool(data.requirements)
    if annex:
        entries.append((1, ANNEX_TITLE))
    add_toc(doc, entries)
    update_fields_on_open(doc)

    styled = StyledParagraphs(doc)
    # New pages start on the heading itself: a separate page-break paragraph that falls at the top of
    # a page leaves a blank page behind it.
    cadre = data.outline.source is OutlineSource.CADRE_REPONSE
    questions: list[str | None] = []
    for i, (s, text) in enumerate(zip(data.outline.sections, headings, strict=True)):
        heading = styled.heading(text, s.level)
        if i == 0:
            heading.paragraph_format.page_break_before = True
        # The buyer's own question under the statement title, when the cadre's numbering is followed.
        asked = [s.question] if cadre and s.question else []
        asked += s.prompts
        questions.append(" ".join(f"Question de l'acheteur : {q}" for q in asked) or None)
        for prompt in asked:
            para = doc.add_paragraph()
            run = para.add_run(f"Question de l'acheteur : {prompt}")
            run.italic = True
            run.font.color.rgb = RGBColor(0x44, 0x54, 0x6A)
        for block in to_blocks(data.bodies.get(s.key, "")):
            if block.kind == "table":
                header_row, rows = profile_table(block.text, p, data.similar_references)
                if rows:
                    add_table(doc, header_row, rows)
                    doc.add_paragraph()
            elif block.kind == "grid":
                grid = block.rows
                add_table(doc, grid[0], grid[1:] or [[""] * len(grid[0])])
                doc.add_paragraph()
            elif block.kind == "heading":
                styled.heading(block.text, 3)
            elif block.kind == "bullet":
                add_text_with_markers(styled.add("List Bullet"), block.text)
            elif block.kind == "paragraph":
                add_text_with_markers(doc.add_paragraph(), block.text)
            elif block.kind == "image":
                _picture(doc, data.image, block.text)
            # "reuse" marks say where a text comes from: for the bid writer, not the buyer.

    annex_pages = 0.0
    if annex:
        styled.heading(ANNEX_TITLE, 1).paragraph_format.page_break_before = True
        origins = {r.origin for r in data.requirements}
        named = [f"le {_SHORT_NAMES[k]}" for k in (PieceKind.CCTP, PieceKind.CCP) if k in origins]
        if PieceKind.CADRE_REPONSE in origins:
            named.append("le cadre de réponse")
        doc.add_paragraph(
            f"Exigences relevées dans {' et '.join(named)} et partie du mémoire où nous y répondons."
        )
        sources = _sources(data.requirements)
        rows = [[r.ident, r.text, sources[r.ident], _where(r)] for r in data.requirements]
        annex_header = ["N°", "Exigence", "Source", "Réponse"]
        add_table(doc, annex_header, rows, widths_cm=ANNEX_WIDTHS_CM, font_pt=9)
        layout = pagecount.Layout(metrics)
        layout.heading(ANNEX_TITLE, 1)
        layout.paragraph("x" * 120)
        layout.table(annex_header, rows, font_pt=9, widths_cm=ANNEX_WIDTHS_CM)
        annex_pages = layout.pages

    body_pages = pagecount.body_pages(
        [
            (s.level, text, data.bodies.get(s.key, ""))
            for s, text in zip(data.outline.sections, headings, strict=True)
        ],
        p,
        metrics,
        questions=questions,
        similar_references=data.similar_references,
    )
    count = pagecount.PageCount(
        cover=1, contents=pagecount.contents_pages(len(entries), metrics), body=body_pages, annex=annex_pages
    )
    warnings: list[str] = []
    limit = a.memoire_page_limit
    if limit is not None:
        # Cover, contents and annexes are usually not counted by the RC.
        if count.body > limit:
            warnings.append(
                f"Le règlement limite le mémoire à {limit} pages ; celui-ci en compte environ "
                f"{count.body_pages} (hors couverture, sommaire et annexes) : à réduire."
            )
        elif count.body > limit * 0.9:
            warnings.append(f"Le mémoire approche la limite de {limit} pages fixée par le règlement.")
    labels = {s.key: text for s, text in zip(data.outline.sections, headings, strict=True)}
    repeated = repeated_sentences((labels[s.key], data.bodies.get(s.key, "")) for s in data.outline.sections)
    for sentence, where in repeated:
        short = sentence if len(sentence) <= 90 else sentence[:87] + "…"
        warnings.append(f"Phrase répétée dans {len(where)} sections ({' ; '.join(where)}) : « {short} »")
    save(doc, path)
    log.info("memoire written: %d sections, ~%d pages", len(data.outline.sections), count.total)
    return MemoireResult(
        path=path,
        estimated_pages=count.total,
        warnings=warnings,
        headings=headings,
        pages=count,
        repeated=repeated,
    )


IMAGE_WIDTH_CM = 12.0


def _picture(doc: object, image: Callable[[str], bytes | None] | None, sha256: str) -> None:
    """A picture of a reused library block, 12 cm wide (left out when unknown or unreadable)."""
    from docx.document import Document as DocumentObject

    assert isinstance(doc, DocumentObject)
    content = image(sha256) if image is not None else None
    if not content:
        return
    try:
        doc.add_picture(io.BytesIO(content), width=Cm(IMAGE_WIDTH_CM))
    except Exception as exc:  # an unreadable picture must not stop the export
        log.warning("library picture not inserted: %s", type(exc).__name__)


def _where(r: Requirement) -> str:
    """ "§ 2.1": the section of the mémoire that answers it."""
    if not r.section_key:
        return WHOLE_MEMOIRE if r.section_title == WHOLE_MEMOIRE else "—"
    return f"§\u00a0{r.section_key}"


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
