"""Fill a blank official DC1 / DC2 (.docx) given by the user: values go right under the form's own
labels, its checkboxes are ticked, its turnover table is completed. The form's layout is kept.

Labels are recognised by their wording (accents and spacing ignored), so a buyer's copy of the official
form — often with the buyer and the object already typed in — is filled the same way.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from app.domain.errors import InvalidInput
from app.domain.profile import InsuranceKind
from app.drafting.text import fold, key_terms, stems_of
from app.export.dc_forms import FormInput
from app.export.docx_util import save, set_checkbox

log = logging.getLogger(__name__)

_FILL_COLOR = RGBColor(0x1F, 0x3A, 0x93)


@dataclass
class FillReport:
    filled: list[str] = field(default_factory=list)
    ticked: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already filled by the buyer: left as is
    missing: list[str] = field(default_factory=list)  # labels not found in this form
    warnings: list[str] = field(default_factory=list)  # what the bid writer must check (French)


def _clean(text: str) -> str:
    folded = fold(text).replace("\u00a0", " ").replace("’", "'")
    return folded.lstrip("\uf06e\uf020\uf0a0 -•").strip()


def _insert_after(paragraph: Paragraph, text: str) -> Paragraph:
    new_p = OxmlElement("w:p")
    ppr = paragraph._p.pPr
    if ppr is not None:
        new_p.append(copy.deepcopy(ppr))
    paragraph._p.addnext(new_p)
    para = Paragraph(new_p, paragraph._parent)
    run = para.add_run(text)
    run.bold = True
    run.font.color.rgb = _FILL_COLOR
    return para


def _next_elements_empty(paragraph: Paragraph) -> bool:
    """True when nothing is typed between this instruction and the next framed section."""
    el = paragraph._p.getnext()
    while el is not None and el.tag != qn("w:tbl"):
        if el.tag == qn("w:p") and Paragraph(el, paragraph._parent).text.strip():
            return False
        el = el.getnext()
    return True


def _typed_after(paragraph: Paragraph) -> str:
    """What is typed between an instruction and the next framed section (a table or a heading)."""
    texts: list[str] = []
    el = paragraph._p.getnext()
    while el is not None and el.tag != qn("w:tbl"):
        if el.tag == qn("w:p"):
            text = Paragraph(el, paragraph._parent).text.strip()
            if _SECTION_TITLE.match(text):
                break
            if text:
                texts.append(text)
        el = el.getnext()
    return " ".join(texts)


_SECTION_TITLE = re.compile(r"^[A-I]\s*-\s+\S")


def _same_subject(typed: str, value: str) -> bool:
    """Half of the consultation's key words found in what the form already says."""
    terms = key_terms(value, limit=8)
    if not terms:
        return True
    present = stems_of(typed)
    return sum(t in present for t in terms) >= len(terms) / 2


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fill_form(form: Path, kind: str, data: FormInput, out: Path) -> FillReport:
    """Fill `form` (the official DC1 or DC2 .docx) into `out`; `kind` is "DC1" or "DC2"."""
    try:
        doc = Document(str(form))
    except Exception as exc:  # python-docx raises several types for a non-Word file
        raise InvalidInput(
            f"formulaire illisible ({form.name}) : {type(exc).__name__}", field="--form"
        ) from exc
    a, p = data.analysis, data.profile
    report = FillReport()
    identity = [
        (
            "nom commercial et denomination sociale",
            p.raison_sociale + (f" ({p.nom_commercial})" if p.nom_commercial else ""),
        ),
        ("adresses postale et du siege social", p.adresse.one_line()),
        ("adresse electronique", p.email),
        ("numeros de telephone", p.telephone),
        ("numero siret", p.siret),
    ]
    labels = list(identity)
    if kind == "DC2":
        labels += [
            ("forme juridique du candidat", p.forme_juridique),
            (
                "e1 - renseignements sur l'inscription",
                f"Registre du commerce et des sociétés, SIRET {p.siret}"
                + (f", code NAF {p.code_naf}" if p.code_naf else ""),
            ),
            ("g1 - ", _capacities(data)),
        ]
    done: set[str] = set()
    instructions = 0
    paragraphs = list(doc.paragraphs)
    pme_seen = False
    for para in paragraphs:
        text = _clean(para.text)
        if not text:
            continue
        if text.startswith("(reprendre le contenu de la mention"):
            instructions += 1
            value, name = (a.buyer, "acheteur") if instructions == 1 else (a.object, "objet")
            if instructions > 2 or not value:
                continue
            if _next_elements_empty(para):
                _insert_after(
                    para, value if name == "acheteur" or not a.reference else f"{value} — {a.reference}"
                )
                report.filled.append(name)
            else:
                report.kept.append(name)
                typed = _typed_after(para)
                if not _same_subject(typed, value):
                    # A buyer's copy of the form from another consultation would name the wrong buyer.
                    report.warnings.append(
                        f"Formulaire {kind} : la rubrique {'A' if name == 'acheteur' else 'B'} porte déjà "
                        f"« {_shorten(typed)} », qui ne correspond pas à cette consultation "
                        f"(« {_shorten(value)} ») : vérifiez que ce formulaire est celui du DCE."
                    )
            continue
        for key, value in labels:
            if (
                key not in done
                and text.startswith(key)
                and (text.rstrip().endswith(":") or key.endswith(" "))
            ):
                done.add(key)
                if value:
                    _insert_after(para, value)
                    report.filled.append(key)
                break
        if "micro, une petite ou une moyenne entreprise" in text:
            pme_seen = True
        elif pme_seen and text in ("oui", "non") and (text == "oui") == p.pme and set_checkbox(para):
            report.ticked.append(f"PME : {text}")
        if kind == "DC1":
            _dc1_boxes(para, text, data, report)
        elif (
            text.startswith("en cochant cette case, le candidat declare qu'il aura souscrit")
            and data.works
            and any(i.kind is InsuranceKind.DECENNALE for i in p.assurances)
            and set_checkbox(para)
        ):
            report.ticked.append("assurance décennale")
    if kind == "DC2":
        _turnover_table(doc.tables, data, report)
    report.missing = [k for k, _ in labels if k not in done]
    save(doc, out, french=False)  # the buyer's form keeps its own text
    log.info("form %s filled: %d values, %d boxes", kind, len(report.filled), len(report.ticked))
    return report


def _dc1_boxes(para: Paragraph, text: str, data: FormInput, report: FillReport) -> None:
    lots = data.analysis.lots
    answered = data.answered_lots
    every = bool(lots) and data.every_lot
    wanted = (
        ("pour le marche public (en cas de non allotissement)", not lots),
        ("pour tous les lots de la procedure", every),
        ("pour le lot n", bool(answered) and not every),
        ("le candidat se presente seul", True),
        ("le formulaire dc2", True),
    )
    if lots and not answered and not data.all_lots and text.startswith("pour tous les lots de la procedure"):
        report.warnings.append("DC1 : lot(s) auquel(s) la candidature répond à cocher (aucun lot choisi).")
    for start, tick in wanted:
        if tick and text.startswith(start) and set_checkbox(para):
            report.ticked.append(start)
            if start == "pour le lot n" and answered:
                label = "Lot" if len(answered) == 1 else "Lots"
                _insert_after(para, f"{label} n° {', '.join(str(n) for n in answered)}")


def _capacities(data: FormInput) -> str:
    p = data.profile
    parts = []
    if p.effectif is not None:
        parts.append(f"Effectif moyen annuel : {p.effectif} salariés.")
    if p.moyens_humains:
        parts.append("Encadrement : " + "; ".join(f"{m.count} × {m.role}" for m in p.moyens_humains) + ".")
    if p.moyens_materiels:
        parts.append(
            "Matériel : " + "; ".join(f"{e.quantity} × {e.designation}" for e in p.moyens_materiels) + "."
        )
    if p.certifications:
        parts.append("Certifications : " + "; ".join(c.name for c in p.certifications) + ".")
    if p.references:
        parts.append(
            "Références : " + "; ".join(f"{r.client} — {r.object} ({r.year})" for r in p.references) + "."
        )
    return " ".join(parts)


def _turnover_table(tables: list[Table], data: FormInput, report: FillReport) -> None:
    turnovers = data.profile.last_turnovers(3)
    for table in tables:
        rows = table.rows
        if len(rows) < 2 or not any("exercice" in fold(c.text) for c in rows[0].cells):
            continue
        head = rows[0].cells
        for i, t in enumerate(turnovers, start=1):
            if i >= len(head):
                break
            _set_cell(head[i], f"Exercice {t.annee}")
            _set_cell(rows[1].cells[i], f"{t.montant_ht:,.0f} €".replace(",", "\u202f"), right=True)
            if len(rows) > 2 and t.part_objet_marche_ht is not None and t.montant_ht:
                share = f"{100 * t.part_objet_marche_ht / t.montant_ht:.0f}\u00a0%"
                _set_cell(rows[2].cells[i], share, right=True)
        report.filled.append("chiffres d'affaires")
        return
    report.missing.append("tableau des chiffres d'affaires")


def _set_cell(cell: object, text: str, right: bool = False) -> None:
    from docx.table import _Cell

    assert isinstance(cell, _Cell)
    first = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for run in list(first.runs):
        run._r.getparent().remove(run._r)
    if right:  # amounts line up on their units, whatever each cell of the form said
        first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = first.add_run(text)
    run.bold = True
    run.font.color.rgb = _FILL_COLOR
