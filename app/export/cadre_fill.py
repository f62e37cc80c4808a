"""Write the mémoire's answers into a copy of the buyer's cadre de réponse (DOCX).

Each answered section of the outline came from one question of the cadre (its `source_file` and title).
The question is found again in the document (paragraph or table cell, accents and spacing ignored)
and the answer goes to its answer place:
- a table row "Question | Réponse du candidat": the empty cell to the right (or the empty cell below);
- a one-cell table (answer box) right after the question: that cell;
- otherwise the empty paragraphs after the question (after a "Réponse du candidat :" label when there is
  one), new paragraphs being inserted after that place when the zone is too small.
Inserted paragraphs take the answer place's paragraph style (never its list numbering); the buyer's
paragraphs, tables, headers, numbering and page setup are left as they are. A question that cannot be
found is never filled half-way: it is listed, and its answer goes to an annex file.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain.errors import InvalidInput
from app.export.ooxml import check_package
from app.export.schedule import norm

_LABEL = re.compile(r"^(reponse|proposition|reponse du (candidat|soumissionnaire))\b.{0,40}:?$")
_ANSWER_HEADER = re.compile(r"reponse|commentaire|proposition du candidat")


@dataclass(frozen=True)
class CadreAnswer:
    key: str  # outline key ("1.2")
    question: str  # the question as the outline read it
    text: str  # the answer (paragraphs separated by blank lines)


@dataclass
class CadreReport:
    file_name: str
    placed: list[str] = field(default_factory=list)  # keys written at their place
    unplaced: list[CadreAnswer] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _body_paragraphs(doc: Any) -> Iterator[Any]:
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    for p in doc.element.body.iter(qn("w:p")):
        yield Paragraph(p, doc)


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", norm(text)).strip()


def _matches(par_text: str, question: str) -> bool:
    a, b = _key(par_text), _key(question)
    if not a or not b:
        return False
    return a == b or (len(a) >= 25 and (b.startswith(a) or a.startswith(b[: max(25, len(b) - 5)])))


def _paragraphs_of(text: str) -> list[str]:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    out: list[str] = []
    for b in blocks:
        out.extend(line.strip() for line in b.splitlines() if line.strip())
    return out or [""]


def _empty(par: Any) -> bool:
    return not par.text.strip() and not par._p.xpath(".//w:drawing|.//w:object|.//w:fldChar")


def _write_into(par: Any, text: str) -> None:
    from app.export.docx_util import add_text_with_markers

    add_text_with_markers(par, text)


def _insert_after(anchor: Any, texts: Sequence[str], template: Any) -> Any:
    """Insert paragraphs after `anchor` styled like `template` (its list numbering removed)."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    last = anchor
    for text in texts:
        new_p = copy.deepcopy(template._p)
        for child in list(new_p):
            if child.tag != qn("w:pPr"):
                new_p.remove(child)
        ppr = new_p.find(qn("w:pPr"))
        if ppr is not None:
            for num in ppr.findall(qn("w:numPr")):
                ppr.remove(num)
        last._p.addnext(new_p)
        par = Paragraph(new_p, anchor._parent)
        _write_into(par, text)
        last = par
    return last


def _fill_cell(cell: Any, texts: Sequence[str]) -> None:
    first = next((p for p in cell.paragraphs if _empty(p)), None)
    if first is None:
        first = cell.paragraphs[-1]
        _insert_after(first, texts, first)
        return
    _write_into(first, texts[0])
    _insert_after(first, texts[1:], first)


def _cell_of(par: Any) -> Any | None:
    """The table cell holding `par`, when it is in one."""
    from docx.oxml.ns import qn
    from docx.table import _Cell

    tc = par._p.getparent()
    return _Cell(tc, par._parent) if tc is not None and tc.tag == qn("w:tc") else None


def _answer_cell(cell: Any) -> Any | None:
    """The empty cell to the right of the question's cell, else the empty cell below it."""
    from docx.oxml.ns import qn
    from docx.table import _Cell

    tc = cell._tc
    tr = tc.getparent()
    cells = [c for c in tr.iterchildren(qn("w:tc"))]
    idx = cells.index(tc)
    for other in cells[idx + 1 :]:
        candidate = _Cell(other, cell._parent)
        if not candidate.text.strip():
            return candidate
    table = tr.getparent()
    rows = [r for r in table.iterchildren(qn("w:tr"))]
    pos = rows.index(tr)
    if pos + 1 < len(rows):
        below = [c for c in rows[pos + 1].iterchildren(qn("w:tc"))]
        if idx < len(below):
            candidate = _Cell(below[idx], cell._parent)
            if not candidate.text.strip():
                return candidate
    return None


def _next_block(par: Any) -> Any:
    return par._p.getnext()


def fill_cadre(
    source: Path, target: Path, answers: Sequence[CadreAnswer], *, name: str | None = None
) -> CadreReport:
    """Write `answers` at their places in a copy of the cadre at `source`."""
    import docx
    from docx.oxml.ns import qn
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    check_package(source, "cadre de réponse")
    try:
        doc = docx.Document(str(source))
    except Exception as exc:
        raise InvalidInput(
            f"{source.name} : document Word illisible ({type(exc).__name__}).", field="cadre de réponse"
        ) from exc
    report = CadreReport(name or source.name)
    paragraphs = list(_body_paragraphs(doc))
    texts = [p.text for p in paragraphs]
    question_at: dict[int, CadreAnswer] = {}
    start = 0
    for answer in answers:
        found = next((i for i in range(start, len(paragraphs)) if _matches(texts[i], answer.question)), None)
        if found is None:  # out of order: look from the top
            found = next(
                (
                    i
                    for i in range(len(paragraphs))
                    if i not in question_at and _matches(texts[i], answer.question)
                ),
                None,
            )
        if found is None or found in question_at:
            report.unplaced.append(answer)
            continue
        question_at[found] = answer
        start = found + 1
    starts = sorted(question_at)
    for n, index in enumerate(starts):
        answer = question_at[index]
        end = starts[n + 1] if n + 1 < len(starts) else len(paragraphs)
        lines = _paragraphs_of(answer.text)
        par = paragraphs[index]
        cell = _cell_of(par)
        if cell is not None:
            target_cell = _answer_cell(cell)
            if target_cell is None:
                report.unplaced.append(answer)
                continue
            _fill_cell(target_cell, lines)
            report.placed.append(answer.key)
            continue
        # An answer box: a table right after the question (or after its "Réponse :" label).
        anchor = par
        nxt = _next_block(par)
        if nxt is not None and nxt.tag == qn("w:p") and _LABEL.match(norm(Paragraph(nxt, par._parent).text)):
            anchor = Paragraph(nxt, par._parent)
            nxt = nxt.getnext()
        if nxt is not None and nxt.tag == qn("w:tbl"):
            tcs = list(nxt.iter(qn("w:tc")))
            if len(tcs) == 1 and not "".join(t.text or "" for t in tcs[0].iter(qn("w:t"))).strip():
                _fill_cell(_Cell(tcs[0], par._parent), lines)
                report.placed.append(answer.key)
                continue
        # Paragraph zone: empty paragraphs after the question / label, before the next question.
        zone: list[Any] = []
        for j in range(index + 1, end):
            p = paragraphs[j]
            if _cell_of(p) is not None:
                break
            if p._p is anchor._p:
                continue
            if _empty(p) and p._p.getparent() is par._p.getparent():
                zone.append(p)
                continue
            break
        if zone:
            _write_into(zone[0], lines[0])
            if len(lines) > 1:
                _insert_after(zone[0], lines[1:], zone[0])
        else:
            _insert_after(anchor, lines, anchor)
            if anchor is par:  # the question's own style (a heading) must not carry the answer
                inserted = par._p.getnext()
                for _ in lines:
                    ppr = inserted.find(qn("w:pPr"))
                    if ppr is not None:
                        for child in ppr.findall(qn("w:pStyle")) + ppr.findall(qn("w:numPr")):
                            ppr.remove(child)
                    inserted = inserted.getnext()
        report.placed.append(answer.key)
    if report.unplaced:
        report.warnings.append(
            f"{report.file_name} : {len(report.unplaced)} question(s) non retrouvée(s) dans le cadre "
            f"({', '.join(a.key for a in report.unplaced[:8])}) : leurs réponses sont dans l'annexe "
            "« annexe_reponses_non_placees.docx », à reporter à la main."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))
    return report


def write_annex(report: CadreReport, path: Path) -> Path:
    from app.export.docx_util import add_text_with_markers, open_template, save, use_a4

    doc = open_template(None)
    use_a4(doc)
    doc.add_paragraph("Réponses non placées dans le cadre de réponse", style="Title")
    doc.add_paragraph(
        f"Ces questions n'ont pas été retrouvées dans « {report.file_name} » : reportez chaque réponse "
        "à sa place dans le cadre de l'acheteur."
    )
    for a in report.unplaced:
        doc.add_heading(f"{a.key} {a.question}", level=2)
        for line in _paragraphs_of(a.text):
            add_text_with_markers(doc.add_paragraph(), line)
    save(doc, path)
    return path
