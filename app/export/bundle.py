"""Export every file of an answer into one folder: mémoire, DC1, DC2, matrix, checklist."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.domain.subcontracting import Subcontractor
from app.drafting.answer import Answer
from app.drafting.checklist import ItemStatus, Part
from app.export.buyer_docs import BuyerDocsResult, BuyerFile, fill_buyer_documents, safe_name
from app.export.cadre_fill import CadreAnswer
from app.export.checklist_docx import write_checklist
from app.export.dc_fill import FillReport, fill_form
from app.export.dc_forms import FormInput, write_dc1, write_dc2, write_dc4
from app.export.matrix_xlsx import write_matrix
from app.export.memoire import MemoireInput, MemoireResult, write_memoire
from app.export.submission import Layout, Submission, SupportingFile, build_submission, layout_from_rc

log = logging.getLogger(__name__)

FILES = ("memoire.docx", "dc1.docx", "dc2.docx", "matrice.xlsx", "checklist.docx")


@dataclass
class ExportResult:
    folder: Path
    files: list[Path]
    memoire: MemoireResult
    warnings: list[str] = field(default_factory=list)
    forms: dict[str, FillReport] = field(default_factory=dict)
    buyer: BuyerDocsResult | None = None  # the buyer's documents filled (schedules, AE)
    submission: Submission | None = None  # the folder (and ZIP) to upload
    dc4: list[Path] = field(default_factory=list)  # one per sub-contractor


def _deadline(answer: Answer) -> date | None:
    try:
        return date.fromisoformat((answer.analysis.deadline or "")[:10])
    except ValueError:
        return None


def cadre_answers(answer: Answer) -> dict[str, list[CadreAnswer]]:
    """The mémoire's answer to each question of the cadre (file name → answers, in outline order):
    the sections without sub-sections, whose title came from the cadre."""
    from app.drafting.tables import expand_tables

    out: dict[str, list[CadreAnswer]] = {}
    for s in answer.outline.sections:
        if not s.source_file or answer.outline.children(s):
            continue
        body = expand_tables(answer.bodies.get(s.key, ""), answer.profile)
        # The buyer's own wording is what stands in the cadre (the title may be a statement of it).
        out.setdefault(safe_name(s.source_file), []).append(CadreAnswer(s.key, s.question or s.title, body))
    return out


def export_answer(
    answer: Answer,
    folder: Path,
    *,
    lot: int | None = None,
    template: Path | None = None,
    logo: Path | None = None,
    dc1_form: Path | None = None,
    dc2_form: Path | None = None,
    today: date | None = None,
    annex: bool = False,
    image: Callable[[str], bytes | None] | None = None,
    buyer_files: Sequence[BuyerFile] = (),
    prices: Mapping[str, Mapping[str, float]] | None = None,
    rc_text: str = "",
    subcontractors: Sequence[Subcontractor] = (),
    supporting: Sequence[SupportingFile] = (),
    lots: Sequence[int] = (),
) -> ExportResult:
    """Writes FILES into `folder` (and dc1_formulaire.docx / dc2_formulaire.docx from blank forms),
    and a filled copy of each buyer's document of `buyer_files` under its own name (`prices`: file
    name → line key → € HT for the price schedules)."""
    folder.mkdir(parents=True, exist_ok=True)
    today = today or date.today()
    memoire = write_memoire(
        MemoireInput(
            analysis=answer.analysis,
            profile=answer.profile,
            outline=answer.outline,
            bodies=answer.bodies,
            requirements=answer.requirements,
            lot=lot,
            logo=logo,
            template=template,
            similar_references=answer.similar_references,
            today=today,
            annex=annex,
            image=image,
        ),
        folder / "memoire.docx",
    )
    form = FormInput(
        analysis=answer.analysis,
        profile=answer.profile,
        lot=lot,
        works=answer.works,
        today=today,
        lots=tuple(lots),
    )
    write_dc1(form, folder / "dc1.docx")
    write_dc2(form, folder / "dc2.docx")
    dc4s: list[Path] = []
    for n, sub in enumerate(subcontractors, start=1):
        dc4 = folder / f"dc4_{n}_{safe_name(sub.raison_sociale).replace(' ', '_')[:40]}.docx"
        write_dc4(form, sub, dc4)
        dc4s.append(dc4)
    write_matrix(answer.requirements, folder / "matrice.xlsx", answer.gonogo)
    files = [folder / name for name in FILES] + dc4s
    result = ExportResult(
        folder=folder, files=files, memoire=memoire, warnings=list(memoire.warnings), dc4=dc4s
    )
    for kind, blank in (("DC1", dc1_form), ("DC2", dc2_form)):
        if blank is not None:
            out = folder / f"{kind.lower()}_formulaire.docx"
            result.forms[kind] = fill_form(blank, kind, form, out)
            result.warnings += result.forms[kind].warnings
            files.append(out)
    if buyer_files:
        result.buyer = fill_buyer_documents(
            buyer_files,
            prices or {},
            answer.profile,
            answer.analysis,
            folder,
            lot=lot,
            cadre_answers=cadre_answers(answer),
            lots=lots,
        )
        files += result.buyer.files
        result.warnings += result.buyer.warnings
    if answer.analysis.lots and lot is None and not lots:
        result.warnings.append(
            "Aucun lot choisi : le DC1 laisse la case du lot à cocher (utilisez --lot ou choisissez le lot "
            "dans la consultation)."
        )
    result.warnings += answer.checklist.warnings
    result.submission = _submission(answer, result, folder, layout_from_rc(rc_text), supporting, today)
    write_checklist(
        answer.checklist,
        answer.analysis,
        answer.profile,
        folder / "checklist.docx",
        today,
        submission=result.submission,
        cadres=result.buyer.cadres if result.buyer else (),
    )
    files += [result.submission.archive]
    log.info("answer exported: %d files", len(files))
    return result


def _submission(
    answer: Answer,
    result: ExportResult,
    folder: Path,
    layout: Layout,
    supporting: Sequence[SupportingFile] = (),
    today: date | None = None,
) -> Submission:
    """Candidature: DC1, DC2 (the official forms when filled); offre: the buyer's documents filled,
    and our mémoire when no cadre de réponse was filled (else it stays beside, for reference)."""
    dc1 = folder / "dc1_formulaire.docx" if "DC1" in result.forms else folder / "dc1.docx"
    dc2 = folder / "dc2_formulaire.docx" if "DC2" in result.forms else folder / "dc2.docx"
    candidature: list[tuple[Path, str]] = [(dc1, "à signer"), (dc2, "présent")]
    deadline = _deadline(answer)
    if supporting:
        pieces = folder / "pieces_administratives"
        pieces.mkdir(exist_ok=True)
        for f in supporting:
            (pieces / f.name).write_bytes(f.data)
            status = f.status(deadline, today or date.today())
            candidature.append((pieces / f.name, status))
            if status.startswith("expir"):
                result.warnings.append(f"{f.label} ({f.name}) : {status}.")
    offre: list[tuple[Path, str]] = []
    buyer = result.buyer
    if buyer is not None:
        for path in buyer.files:
            if path.name == "valeurs_acte_engagement.docx":
                continue  # a help to copy by hand, not a piece of the bid
            filled_ae = any(ae.file_name == path.name for ae in buyer.ae)
            to_complete = sum(r.to_complete for r in buyer.schedules if r.file_name == path.name)
            status = (
                "rempli, à signer"
                if filled_ae
                else "à signer"
                if path.name in buyer.to_sign
                else f"à compléter : {to_complete} case(s) vide(s)"
                if to_complete
                else "présent"
            )
            offre.append((path, status))
    if buyer is None or not buyer.cadres:
        offre.append((folder / "memoire.docx", "présent"))
    offre += [(p, "à signer") for p in result.dc4]  # annexed to the offer, signed by both companies
    missing: list[tuple[str, str]] = []
    for item in answer.checklist.items:
        if item.status is ItemStatus.A_FOURNIR:
            part = layout.candidature if item.part is Part.CANDIDATURE else layout.offre
            missing.append((part, item.label))
    if buyer is not None:
        for name in buyer.to_sign:
            if not (folder / name).is_file():
                missing.append((layout.offre, f"{name} (à remplir à la main et signer)"))
    return build_submission(folder, layout, candidature, offre, missing)
