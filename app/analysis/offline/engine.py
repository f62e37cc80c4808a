"""analyze_offline: every field of the analysis contract from the page texts, with evidence."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from app.domain.analysis import Analysis, Confidence, Engine, Evidence, PieceSummary
from app.domain.document import PieceText
from app.domain.kinds import PieceKind
from app.domain.progress import CancelToken

from . import (
    criteria,
    deadline,
    documents,
    form,
    identity,
    lots,
    options,
    page_limit,
    procedure,
    questions,
    validity,
    visit,
)
from .roles import with_rc_role
from .source import Dce, Pages, rule_pages

log = logging.getLogger(__name__)

# Pieces that carry the cover-page identity of the consultation, most reliable first.
_IDENTITY_KINDS = (
    PieceKind.RC,
    PieceKind.CCAP,
    PieceKind.CCP,
    PieceKind.CONTRAT,
    PieceKind.AE,
    PieceKind.CADRE_REPONSE,
)
# Pieces where the candidate's list of pieces to produce is written.
_DOCUMENT_KINDS = (PieceKind.RC, PieceKind.CCP, PieceKind.CADRE_REPONSE, PieceKind.AUTRE)
_CONSULTATION_KINDS = (
    PieceKind.RC,
    PieceKind.CADRE_REPONSE,
    PieceKind.CCP,
    PieceKind.QR_REGISTER,
    PieceKind.AUTRE,
)
# The mémoire's page limit is a rule of the consultation (RC, cadre de réponse), not of the contract.
_PAGE_LIMIT_KINDS = (
    PieceKind.RC,
    PieceKind.CADRE_REPONSE,
    PieceKind.CCP,
    PieceKind.QR_REGISTER,
    PieceKind.AUTRE,
)
# Offer validity and lots are often stated in the AE or the CCAP only.
_VALIDITY_KINDS = (PieceKind.RC, PieceKind.AE, PieceKind.CCAP, PieceKind.CCP, PieceKind.CADRE_REPONSE)


def _summary(piece: PieceText) -> PieceSummary:
    return PieceSummary(
        file=piece.path,
        kind=piece.kind,
        pages=piece.page_count,
        needs_ocr=piece.ocr_pages > 0,
        ocr_pages=piece.ocr_pages,
        unread_reason=piece.unread_reason or piece.error,
    )


def analyze_offline(pieces: list[PieceText], *, cancel: CancelToken | None = None) -> Analysis:
    """Deterministic French rules over the page texts; RC first, then cadre de réponse, CCAP/CCP, AE."""
    started = time.perf_counter()
    pieces = with_rc_role(pieces)
    dce = Dce.of(pieces)
    analysis = Analysis(engine=Engine.OFFLINE.value, pieces=[_summary(p) for p in pieces])
    rules = rule_pages(dce)
    # Visit, questions, variants and PSE are rules of the consultation: a CCAP's "visite obligatoire"
    # of the installations or an AE's PSE price line must not decide them while an RC exists.
    consultation = rule_pages(dce, *_CONSULTATION_KINDS) if dce.has(PieceKind.RC) else rules
    identity_pages = rule_pages(dce, *_IDENTITY_KINDS)

    def step(field: str, finder: Callable[[Pages], Any], pages: Pages) -> Any:
        if cancel is not None:
            cancel.raise_if_cancelled()
        found = finder(pages)
        if found is None:
            return None
        value, evidence = found[0], found[1]
        setattr(analysis, field, value)
        analysis.evidence[field] = evidence
        sure = not (len(found) > 2 and found[2] is False)
        analysis.confidence[field] = Confidence.HIGH if sure else Confidence.LOW
        return found

    step("buyer", identity.find_buyer, identity_pages)
    step("object", identity.find_object, identity_pages)
    step("reference", identity.find_reference, identity_pages)
    step("procedure", procedure.find_procedure, rules)
    # A postponed deadline is announced in the RC or the Q/R register; long CCAPs are not read for it.
    notices = rule_pages(dce, PieceKind.RC, PieceKind.QR_REGISTER, PieceKind.AUTRE)
    step("deadline", lambda pages: deadline.find_deadline(pages, notices), rules)
    step("questions_deadline", questions.find_questions_deadline, consultation)
    found_visit = step("site_visit", visit.find_site_visit, consultation)
    if found_visit is not None:
        analysis.site_visit_date = found_visit[2]
    step(
        "lots",
        lots.find_lots,
        rule_pages(dce, PieceKind.RC, PieceKind.CCAP, PieceKind.CCP, PieceKind.AE, PieceKind.CADRE_REPONSE),
    )
    step("variants_allowed", options.find_variants, consultation)
    pse = options.find_pse(consultation)
    if pse is not None:
        analysis.pse_allowed = pse[0]
        analysis.evidence["pse_allowed"] = pse[1]
    form_kinds = (PieceKind.RC, PieceKind.AE) if dce.has(PieceKind.RC) else _IDENTITY_KINDS
    form_found = form.find_contract_form(rule_pages(dce, *form_kinds))
    if form_found is not None:
        analysis.contract_form = form_found[0]
        analysis.evidence["contract_form"] = form_found[1]
    step("offer_validity_days", validity.find_validity, rule_pages(dce, *_VALIDITY_KINDS))
    found_criteria = step(
        "criteria",
        criteria.find_criteria,
        rule_pages(dce, PieceKind.RC, PieceKind.CCP, PieceKind.CADRE_REPONSE, PieceKind.CCAP),
    )
    if found_criteria is not None and found_criteria[2]:
        per_lot = found_criteria[2]
        for lot in analysis.lots:
            lot.criteria = per_lot.get(lot.number)
    step("required_documents", documents.find_required_documents, rule_pages(dce, *_DOCUMENT_KINDS))
    step("memoire_page_limit", page_limit.find_page_limit, rule_pages(dce, *_PAGE_LIMIT_KINDS))
    _doubt_weights(analysis)
    if analysis.deadline is not None and "T" not in analysis.deadline:
        analysis.confidence["deadline"] = Confidence.LOW  # the day without its hour
    analysis.warnings = _warnings(dce, analysis)
    from app.analysis.fiche import render_fiche  # fiche imports the domain only; no cycle at import time

    analysis.fiche = render_fiche(analysis)
    log.info("offline analysis: %d pieces in %.1f ms", len(pieces), (time.perf_counter() - started) * 1000)
    return analysis


def _doubt_weights(analysis: Analysis) -> None:
    """Criteria whose weights are not all read, or do not add up to 100 % (points kept as written
    when the scale is unknown), are shown à vérifier."""
    if not analysis.criteria:
        return
    weights = [c.weight_percent for c in analysis.criteria]
    if any(w is None for w in weights) or abs(sum(w or 0.0 for w in weights) - 100) > 1:
        analysis.confidence["criteria"] = Confidence.LOW


def _warnings(dce: Dce, analysis: Analysis) -> list[str]:
    out: list[str] = []
    if not dce.has(PieceKind.RC):
        out.append(
            "Aucun règlement de la consultation (RC) dans le DCE : l'analyse repose sur les autres pièces."
        )
    for piece in dce.pieces:
        if piece.unread_reason:
            out.append(f"{piece.path} : {piece.unread_reason}")  # the reason says "non lu" itself
        elif piece.error:
            out.append(f"{piece.path} : {piece.error}")
        elif piece.ocr_pages:
            out.append(f"{piece.path} : {piece.ocr_pages} page(s) sans texte (numérisées), non analysées.")
    if analysis.deadline is None:
        out.append(
            "Date limite de remise des offres non trouvée : à vérifier dans le RC ou l'avis de publicité."
        )
    elif "T" not in analysis.deadline:
        out.append("Heure limite de remise des offres non trouvée : seule la date est connue.")
    if not analysis.criteria:
        out.append("Critères de jugement des offres non trouvés.")
    else:
        weights = [c.weight_percent for c in analysis.criteria if c.weight_percent is not None]
        if weights and abs(sum(weights) - 100) > 1:
            out.append(f"La somme des pondérations lues est de {sum(weights):g} % : à vérifier.")
    return out


__all__ = ["Evidence", "analyze_offline"]
