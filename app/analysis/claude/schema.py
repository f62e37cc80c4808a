"""What Claude must return for an analysis (structured output), and its conversion to Analysis.

Every value carries its evidence (file, page, verbatim quote); the grounding check runs afterwards.
Kept separate from app.domain.analysis so that the wire schema can stay small and explicit.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.domain.analysis import (
    Analysis,
    Criterion,
    Engine,
    Evidence,
    Lot,
    Procedure,
    SiteVisit,
    SubCriterion,
)
from app.domain.french import PARIS
from app.domain.kinds import RequiredDocument


class Source(BaseModel):
    file: str = Field(description="chemin exact de la pièce, tel que dans l'attribut fichier")
    page: int | None = Field(description="numéro de page (attribut page), null si absent")
    quote: str = Field(description="citation VERBATIM, courte (une phrase), copiée du texte de la page")


class TextValue(BaseModel):
    value: str
    source: Source


class IntValue(BaseModel):
    value: int
    source: Source


class BoolValue(BaseModel):
    value: bool
    source: Source


class ProcedureValue(BaseModel):
    value: Procedure
    source: Source


class SiteVisitValue(BaseModel):
    value: SiteVisit
    date: str | None = Field(description="date et heure ISO 8601 de la visite si indiquées")
    source: Source


class SubCriterionOut(BaseModel):
    name: str
    weight_percent: float | None = Field(description="part de la note TOTALE, en %")


class CriterionOut(BaseModel):
    name: str
    weight_percent: float | None
    subcriteria: list[SubCriterionOut]
    source: Source


class LotsValue(BaseModel):
    lots: list[Lot]
    source: Source


class DocumentsValue(BaseModel):
    documents: list[RequiredDocument]
    source: Source


class ClaudeExtraction(BaseModel):
    """null for anything the documents do not state: never guess."""

    buyer: TextValue | None
    object: TextValue | None
    reference: TextValue | None
    procedure: ProcedureValue | None
    deadline: TextValue | None = Field(
        description="date limite de remise des offres, ISO 8601 avec décalage Europe/Paris"
    )
    questions_deadline: TextValue | None = Field(
        description="date limite des questions, ISO 8601, ou forme relative telle qu'écrite (J-6)"
    )
    site_visit: SiteVisitValue | None
    lots: LotsValue | None
    variants_allowed: BoolValue | None
    pse_allowed: BoolValue | None
    offer_validity_days: IntValue | None
    criteria: list[CriterionOut]
    required_documents: DocumentsValue | None
    memoire_page_limit: IntValue | None


def _evidence(source: Source) -> Evidence:
    return Evidence(file=source.file, page=source.page, quote=source.quote, engine=Engine.CLAUDE)


def normalize_datetime(value: str) -> str | None:
    """ISO 8601 with the Europe/Paris offset; None when it is not a date at all."""
    raw = value.strip()
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=PARIS)
    return parsed.isoformat()


def to_analysis(out: ClaudeExtraction) -> Analysis:
    """Convert (grounding not yet checked: every Evidence still says verified=True)."""
    result = Analysis(engine=Engine.CLAUDE.value)
    ev = result.evidence
    for name in ("buyer", "object", "reference"):
        item: TextValue | None = getattr(out, name)
        if item is not None and item.value.strip():
            setattr(result, name, item.value.strip())
            ev[name] = _evidence(item.source)
    if out.procedure is not None:
        result.procedure = out.procedure.value
        ev["procedure"] = _evidence(out.procedure.source)
    if out.deadline is not None:
        deadline = normalize_datetime(out.deadline.value)
        if deadline is not None:
            result.deadline = deadline
            ev["deadline"] = _evidence(out.deadline.source)
    if out.questions_deadline is not None and out.questions_deadline.value.strip():
        raw = out.questions_deadline.value.strip()
        result.questions_deadline = normalize_datetime(raw) if "T" in raw else raw
        ev["questions_deadline"] = _evidence(out.questions_deadline.source)
    if out.site_visit is not None:
        result.site_visit = out.site_visit.value
        if out.site_visit.date:
            result.site_visit_date = normalize_datetime(out.site_visit.date)
        ev["site_visit"] = _evidence(out.site_visit.source)
    if out.lots is not None and out.lots.lots:
        result.lots = list(out.lots.lots)
        ev["lots"] = _evidence(out.lots.source)
    if out.variants_allowed is not None:
        result.variants_allowed = out.variants_allowed.value
        ev["variants_allowed"] = _evidence(out.variants_allowed.source)
    if out.pse_allowed is not None:
        result.pse_allowed = out.pse_allowed.value
    if out.offer_validity_days is not None and out.offer_validity_days.value > 0:
        result.offer_validity_days = out.offer_validity_days.value
        ev["offer_validity_days"] = _evidence(out.offer_validity_days.source)
    if out.criteria:
        result.criteria = [
            Criterion(
                name=c.name,
                weight_percent=c.weight_percent,
                subcriteria=[
                    SubCriterion(name=s.name, weight_percent=s.weight_percent) for s in c.subcriteria
                ],
                evidence=_evidence(c.source),
            )
            for c in out.criteria
        ]
        ev["criteria"] = _evidence(out.criteria[0].source)
    if out.required_documents is not None and out.required_documents.documents:
        result.required_documents = list(dict.fromkeys(out.required_documents.documents))
        ev["required_documents"] = _evidence(out.required_documents.source)
    if out.memoire_page_limit is not None and out.memoire_page_limit.value > 0:
        result.memoire_page_limit = out.memoire_page_limit.value
        ev["memoire_page_limit"] = _evidence(out.memoire_page_limit.source)
    return result
