"""The French "fiche de synthèse" of an analysis, as plain text."""

from __future__ import annotations

from datetime import date, datetime

from app.domain.analysis import PROCEDURE_LABELS, Analysis, Criterion, Evidence, SiteVisit, lots_label
from app.domain.french import hour_h, long_date
from app.domain.kinds import PIECE_KIND_LABELS, REQUIRED_DOCUMENT_LABELS
from app.domain.numbers import number, percent

_VISIT = {
    SiteVisit.MANDATORY: "obligatoire",
    SiteVisit.OPTIONAL: "facultative",
    SiteVisit.NONE: "pas de visite",
}
_UNKNOWN = "non précisé"
TO_CHECK = "(à vérifier)"


def french_datetime(value: str | None) -> str:
    """'2025-04-19T15:00:00+02:00' -> 'samedi 19 avril 2025 à 15h00'; relative forms stay as written."""
    if not value:
        return _UNKNOWN
    try:
        if "T" in value:
            moment = datetime.fromisoformat(value)
            day: date = moment.date()
            at = f" à {hour_h(moment)}"
        else:
            day = date.fromisoformat(value)
            at = ""
    except ValueError:
        if value.startswith("J-"):
            return f"{value[2:]} jours avant la date limite ({value})"
        return value
    return f"{long_date(day)}{at}"


def _source(evidence: Evidence | None) -> str:
    if evidence is None:
        return ""
    where = evidence.file if evidence.page is None else f"{evidence.file}, p. {evidence.page}"
    return f"  [{where}]"


def _yes_no(value: bool | None, yes: str, no: str) -> str:
    return _UNKNOWN if value is None else (yes if value else no)


def _weight(value: float | None, unit: str = " %") -> str:
    if value is None:
        return "—"
    return percent(value) if unit == " %" else number(value) + unit


def _criteria_lines(lines: list[str], criteria: list[Criterion], indent: str) -> None:
    # Weights that do not add up to 100 are the buyer's figures (points), not percentages.
    total = sum(c.weight_percent or 0.0 for c in criteria)
    unit = " %" if abs(total - 100) <= 1 else " (tel qu'écrit)"
    for i, criterion in enumerate(criteria, start=1):
        lines.append(f"{indent}{i}. {criterion.name} — {_weight(criterion.weight_percent, unit)}")
        for j, sub in enumerate(criterion.subcriteria, start=1):
            lines.append(f"{indent}   {i}.{j} {sub.name} — {_weight(sub.weight_percent, unit)}")


def render_fiche(analysis: Analysis) -> str:
    ev = analysis.evidence
    lines: list[str] = ["FICHE DE SYNTHÈSE DE LA CONSULTATION", "=" * 36, ""]

    def doubt(field: str) -> str:
        return f" {TO_CHECK}" if analysis.doubtful(field) else ""

    def row(label: str, value: str, field: str | None = None) -> None:
        lines.append(
            f"{label:<28}: {value}{doubt(field) if field else ''}{_source(ev.get(field)) if field else ''}"
        )

    row("Acheteur", analysis.buyer or _UNKNOWN, "buyer")
    row("Objet", analysis.object or _UNKNOWN, "object")
    row("Référence", analysis.reference or _UNKNOWN, "reference")
    row("Procédure", PROCEDURE_LABELS[analysis.procedure] if analysis.procedure else _UNKNOWN, "procedure")
    row("Forme du marché", analysis.contract_form or _UNKNOWN, "contract_form")
    row("Date limite des offres", french_datetime(analysis.deadline), "deadline")
    row("Date limite des questions", french_datetime(analysis.questions_deadline), "questions_deadline")
    visit = _VISIT.get(analysis.site_visit, _UNKNOWN) if analysis.site_visit else _UNKNOWN
    if analysis.site_visit_date:
        visit += f" ({french_datetime(analysis.site_visit_date)})"
    row("Visite", visit, "site_visit")
    row("Variantes", _yes_no(analysis.variants_allowed, "autorisées", "non autorisées"), "variants_allowed")
    row("PSE", _yes_no(analysis.pse_allowed, "prévues", "aucune"), "pse_allowed")
    validity = f"{analysis.offer_validity_days} jours" if analysis.offer_validity_days else _UNKNOWN
    row("Validité des offres", validity, "offer_validity_days")
    limit = (
        f"{analysis.memoire_page_limit} pages" if analysis.memoire_page_limit else "pas de limite indiquée"
    )
    row("Mémoire technique", limit, "memoire_page_limit")

    lines.append("")
    if "lots" in ev and not analysis.lots:
        lines.append(f"Lots : marché non alloti{_source(ev.get('lots'))}")
    elif analysis.lots:
        lines.append(f"Lots ({len(analysis.lots)}){doubt('lots')}{_source(ev.get('lots'))}")
        lines.extend(f"  - Lot {lot.number} : {lot.title}" for lot in analysis.lots)
    else:
        lines.append(f"Lots : {_UNKNOWN}")

    lines.append("")
    lines.append(f"Critères de jugement des offres{doubt('criteria')}{_source(ev.get('criteria'))}")
    if not analysis.criteria:
        lines.append(f"  {_UNKNOWN}")
    for numbers, criteria in analysis.criteria_groups():
        if numbers:
            lines.append(f"  {lots_label(numbers)} :")
        _criteria_lines(lines, criteria, "    " if numbers else "  ")

    lines.append("")
    lines.append(f"Pièces à remettre{_source(ev.get('required_documents'))}")
    if not analysis.required_documents:
        lines.append(f"  {_UNKNOWN}")
    lines.extend(f"  - {REQUIRED_DOCUMENT_LABELS[doc]}" for doc in analysis.required_documents)

    lines.append("")
    lines.append(f"Pièces du DCE ({len(analysis.pieces)})")
    for piece in analysis.pieces:
        detail = [PIECE_KIND_LABELS[piece.kind]]
        if piece.pages:
            detail.append(f"{piece.pages} p.")
        if piece.unread_reason:
            detail.append(piece.unread_reason)  # "Plan (DWG) : stocké, non lu (…)"
        elif piece.needs_ocr:
            detail.append(f"{piece.ocr_pages} page(s) à passer en OCR")
        lines.append(f"  - {piece.file} ({', '.join(detail)})")

    if analysis.warnings:
        lines.append("")
        lines.append("Points d'attention")
        lines.extend(f"  ! {w}" for w in analysis.warnings)
    return "\n".join(lines) + "\n"
