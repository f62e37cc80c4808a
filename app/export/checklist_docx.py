"""The checklist of pieces to submit as DOCX."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.analysis.fiche import french_datetime
from app.domain.analysis import Analysis
from app.domain.profile import CompanyProfile
from app.drafting.checklist import Checklist, Part
from app.export.docx_util import add_table, open_template, save, use_a4

if TYPE_CHECKING:
    from app.export.cadre_fill import CadreReport
    from app.export.submission import Submission


def write_checklist(
    checklist: Checklist,
    analysis: Analysis,
    profile: CompanyProfile,
    path: Path,
    today: date | None = None,
    *,
    submission: Submission | None = None,
    cadres: Sequence[CadreReport] = (),
) -> None:
    doc = open_template(None)
    use_a4(doc)
    doc.add_paragraph("Liste des pièces à remettre", style="Title")
    doc.add_paragraph(f"Consultation : {analysis.object or '—'}")
    if analysis.reference:
        doc.add_paragraph(f"Référence : {analysis.reference}")
    if analysis.buyer:
        doc.add_paragraph(f"Acheteur : {analysis.buyer}")
    doc.add_paragraph(f"Candidat : {profile.display_name}")
    if analysis.deadline:
        line = f"Date limite de remise des offres : {french_datetime(analysis.deadline)}"
        with contextlib.suppress(ValueError):
            if date.fromisoformat(analysis.deadline[:10]) < (today or date.today()):
                line += " — date limite dépassée"
        doc.add_paragraph(line)
    for part in Part:
        items = [i for i in checklist.items if i.part is part]
        if not items:
            continue
        doc.add_heading(part.value, level=1)
        add_table(
            doc,
            ["", "Pièce", "Statut", "Remarque"],
            [["☐", i.label, i.status.value, i.note or "—"] for i in items],
            widths_cm=(0.9, 5.6, 2.6, 7.9),
        )
    if submission is not None:
        doc.add_heading("Dossier de remise", level=1)
        where = "comme le demande le RC" if submission.layout.from_rc else "candidature et offre séparées"
        doc.add_paragraph(
            f"Le dossier « {submission.folder.name} » et son archive « {submission.archive.name} » sont "
            f"rangés {where}. Les pièces « à signer » attendent la signature du représentant habilité : "
            "Maître AO ne signe jamais à sa place."
        )
        add_table(
            doc,
            ["", "Dossier", "Pièce", "Statut"],
            [["☐", e.part, e.name, e.status] for e in submission.entries],
            widths_cm=(0.9, 3.2, 9.6, 3.3),
        )
    for report in cadres:
        doc.add_heading(f"Cadre de réponse « {report.file_name} »", level=1)
        rows = [[key, "réponse écrite à sa place dans le cadre"] for key in report.placed]
        rows += [
            [a.key, f"non retrouvée dans le cadre : réponse dans l'annexe, à reporter ({a.question[:80]})"]
            for a in report.unplaced
        ]
        add_table(doc, ["Section du mémoire", "Où est la réponse"], rows, widths_cm=(3.5, 13.5))
    doc.add_heading("Alertes d'expiration", level=1)
    if checklist.warnings:
        for w in checklist.warnings:
            doc.add_paragraph(w, style="List Bullet")
    else:
        doc.add_paragraph("Aucun document expiré ou proche de l'expiration.")
    save(doc, path)
