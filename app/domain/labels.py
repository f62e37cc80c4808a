"""The French label of every enum value a user may see, declared once.

The UI, the CLI and every export show `label(value)`, never `value.value`. The dictionaries that
already lived next to their enum (PIECE_KIND_LABELS, REQUIRED_DOCUMENT_LABELS, PROCEDURE_LABELS) are
gathered here with the others; `ENUM_LABELS` maps each enum of `app.domain` to its labels, and a test
walks every enum of the package and fails on a value without one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from enum import Enum
from typing import Any

from app.domain.analysis import PROCEDURE_LABELS, Confidence, Engine, Procedure, SiteVisit
from app.domain.kinds import PIECE_KIND_LABELS, REQUIRED_DOCUMENT_LABELS, PieceKind, RequiredDocument
from app.domain.profile import AdminDocKind, InsuranceKind
from app.domain.rows import ConsultationStatus

# The status enum lives with the rows it qualifies (one home); its labels are listed here with the others.
CONSULTATION_STATUS_LABELS: dict[ConsultationStatus, str] = {
    status: status.label for status in ConsultationStatus
}

# Short forms for narrow columns (CLI piece list, matrice.xlsx).
PIECE_KIND_SHORT_LABELS: dict[PieceKind, str] = {
    PieceKind.RC: "RC",
    PieceKind.CCAP: "CCAP",
    PieceKind.CCTP: "CCTP",
    PieceKind.CCP: "CCP",
    PieceKind.AE: "AE",
    PieceKind.BPU: "BPU",
    PieceKind.DPGF: "DPGF",
    PieceKind.DQE: "DQE",
    PieceKind.CADRE_REPONSE: "Cadre de réponse",
    PieceKind.CRF: "Cadre financier",
    PieceKind.DC1: "DC1",
    PieceKind.DC2: "DC2",
    PieceKind.QR_REGISTER: "Questions/réponses",
    PieceKind.CONTRAT: "Contrat",
    PieceKind.ANNEXE: "Annexe",
    PieceKind.AUTRE: "Autre pièce",
}

INSURANCE_KIND_LABELS: dict[InsuranceKind, str] = {
    InsuranceKind.RC_PRO: "Responsabilité civile professionnelle",
    InsuranceKind.DECENNALE: "Décennale",
    InsuranceKind.AUTRE: "Autre assurance",
}

ADMIN_DOC_KIND_LABELS: dict[AdminDocKind, str] = {
    AdminDocKind.KBIS: "Extrait K-bis",
    AdminDocKind.URSSAF: "Attestation URSSAF",
    AdminDocKind.FISCALE: "Attestation de régularité fiscale",
    AdminDocKind.ASSURANCE: "Attestation d'assurance",
    AdminDocKind.RIB: "RIB",
    AdminDocKind.AUTRE: "Autre document",
}

SITE_VISIT_LABELS: dict[SiteVisit, str] = {
    SiteVisit.MANDATORY: "Obligatoire",
    SiteVisit.OPTIONAL: "Facultative",
    SiteVisit.NONE: "Pas de visite",
}

ENGINE_LABELS: dict[Engine, str] = {
    Engine.OFFLINE: "Analyse hors ligne",
    Engine.CLAUDE: "Claude",
    Engine.MANUAL: "Corrigé à la main",
}

CONFIDENCE_LABELS: dict[Confidence, str] = {
    Confidence.HIGH: "Sûr",
    Confidence.LOW: "À vérifier",
}

# app.drafting.outline.OutlineSource (a drafting enum: keyed by its stored code).
OUTLINE_SOURCE_LABELS: dict[str, str] = {
    "cadre_reponse": "d'après le cadre de réponse de l'acheteur",
    "criteria": "d'après les critères de jugement",
}

# Fields of an analysis (app.domain.analysis.Analysis), deadline first: the order differences between
# two versions of a DCE are shown in.
ANALYSIS_FIELD_LABELS: dict[str, str] = {
    "deadline": "Date limite des offres",
    "questions_deadline": "Date limite des questions",
    "site_visit": "Visite",
    "site_visit_date": "Date de la visite",
    "buyer": "Acheteur",
    "object": "Objet",
    "reference": "Référence",
    "procedure": "Procédure",
    "lots": "Lots",
    "variants_allowed": "Variantes",
    "pse_allowed": "PSE",
    "contract_form": "Forme du marché",
    "offer_validity_days": "Validité des offres (jours)",
    "criteria": "Critères de jugement",
    "required_documents": "Pièces à remettre",
    "memoire_page_limit": "Limite de pages du mémoire",
}

ENUM_LABELS: dict[type[Enum], Mapping[Any, str]] = {
    PieceKind: PIECE_KIND_LABELS,
    RequiredDocument: REQUIRED_DOCUMENT_LABELS,
    Procedure: PROCEDURE_LABELS,
    ConsultationStatus: CONSULTATION_STATUS_LABELS,
    InsuranceKind: INSURANCE_KIND_LABELS,
    AdminDocKind: ADMIN_DOC_KIND_LABELS,
    SiteVisit: SITE_VISIT_LABELS,
    Engine: ENGINE_LABELS,
    Confidence: CONFIDENCE_LABELS,
}


def label(value: Enum | str | None, default: str = "—") -> str:
    """The French label of an enum value (or of its stored code when the enum is given as text:
    'a_analyser' → 'À analyser', 'CADRE_REPONSE' → 'Cadre de réponse technique')."""
    if value is None or value == "":
        return default
    if isinstance(value, Enum):
        labels = ENUM_LABELS.get(type(value))
        if labels is not None and value in labels:
            return labels[value]
        # Enums outside app.domain whose values are already French words (Coverage, CheckStatus…).
        return str(value.value)
    for enum_type, labels in ENUM_LABELS.items():
        try:
            member = enum_type(value)
        except ValueError:
            continue
        return labels[member]
    return value


def short_piece_label(kind: PieceKind | str) -> str:
    try:
        return PIECE_KIND_SHORT_LABELS[PieceKind(kind)]
    except ValueError:
        return str(kind)


def status_label(status: ConsultationStatus | str) -> str:
    try:
        return CONSULTATION_STATUS_LABELS[ConsultationStatus(status)]
    except ValueError:
        return str(status)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace(" ", "_").replace("-", "_")


def parse_status(text: str) -> ConsultationStatus:
    """'Déposée', 'deposee', 'en cours', 'EN_COURS' → the status; ValueError on anything else."""
    folded = _fold(text)
    for status, name in CONSULTATION_STATUS_LABELS.items():
        if folded in (status.value, _fold(name)):
            return status
    raise ValueError(text)
