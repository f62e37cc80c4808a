"""The analysis result shared by every engine; its JSON form is shared/contracts/analysis.schema.json.

The contract is stable: `to_contract()` prints exactly its fields (plus backward-compatible extras:
`fiche`, `warnings`, `engine`, and per-evidence `verified`/`engine`). Do not rename fields.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from app.domain.kinds import PieceKind, RequiredDocument


class Procedure(StrEnum):
    APPEL_OFFRES_OUVERT = "appel_offres_ouvert"
    APPEL_OFFRES_RESTREINT = "appel_offres_restreint"
    PROCEDURE_ADAPTEE = "procedure_adaptee"
    PROCEDURE_NEGOCIEE = "procedure_negociee"
    DIALOGUE_COMPETITIF = "dialogue_competitif"
    AUTRE = "autre"


PROCEDURE_LABELS: dict[Procedure, str] = {
    Procedure.APPEL_OFFRES_OUVERT: "Appel d'offres ouvert",
    Procedure.APPEL_OFFRES_RESTREINT: "Appel d'offres restreint",
    Procedure.PROCEDURE_ADAPTEE: "Procédure adaptée (MAPA)",
    Procedure.PROCEDURE_NEGOCIEE: "Procédure négociée",
    Procedure.DIALOGUE_COMPETITIF: "Dialogue compétitif",
    Procedure.AUTRE: "Autre procédure",
}


class SiteVisit(StrEnum):
    MANDATORY = "mandatory"
    OPTIONAL = "optional"
    NONE = "none"


class Engine(StrEnum):
    OFFLINE = "offline"
    CLAUDE = "claude"
    MANUAL = "manual"  # corrected by hand in the app


class Evidence(BaseModel):
    """Where a value was read: file path inside the DCE, 1-based page (None without pages), quote."""

    file: str
    page: int | None = None
    quote: str
    verified: bool = True  # False: the quote was not found on the cited page ("non vérifié")
    engine: Engine = Engine.OFFLINE


class SubCriterion(BaseModel):
    name: str
    weight_percent: float | None = None  # share of the TOTAL score


class Criterion(BaseModel):
    name: str
    weight_percent: float | None = None
    subcriteria: list[SubCriterion] = Field(default_factory=list)
    evidence: Evidence | None = None


class Lot(BaseModel):
    number: int
    title: str
    # This lot's own award criteria, where the RC weights lots (or groups of lots) differently;
    # the analysis' top-level criteria are then lot 1's.
    criteria: list[Criterion] | None = None


class PieceSummary(BaseModel):
    file: str
    kind: PieceKind
    pages: int | None = None
    needs_ocr: bool = False
    ocr_pages: int = 0
    unread_reason: str | None = None  # "non lu" and why


# Scalar/list fields that carry evidence under the same name in `evidence`.
EVIDENCED_FIELDS: tuple[str, ...] = (
    "buyer",
    "object",
    "reference",
    "procedure",
    "deadline",
    "questions_deadline",
    "site_visit",
    "lots",
    "variants_allowed",
    "offer_validity_days",
    "criteria",
    "required_documents",
    "memoire_page_limit",
)


def lots_label(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> 'Lots 1 à 3, 7'; [4] -> 'Lot 4'."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{r[0]} à {r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs]
    return ("Lots " if len(numbers) > 1 else "Lot ") + ", ".join(parts)


class Confidence(StrEnum):
    """How a field was found: under its own label or in its own section (high), or inferred, read
    out of its section, or not adding up (low: shown "à vérifier")."""

    HIGH = "high"
    LOW = "low"


class Analysis(BaseModel):
    buyer: str | None = None
    object: str | None = None
    reference: str | None = None
    procedure: Procedure | None = None
    deadline: str | None = None  # ISO 8601 with the Europe/Paris offset
    questions_deadline: str | None = None  # ISO date/datetime or relative ("J-8")
    site_visit: SiteVisit | None = None
    site_visit_date: str | None = None  # extension: ISO datetime of a (mandatory) visit when given
    lots: list[Lot] = Field(default_factory=list)
    variants_allowed: bool | None = None
    pse_allowed: bool | None = None  # extension: prestations supplémentaires éventuelles
    contract_form: str | None = None  # extension: "Accord-cadre à bons de commande", "Marché à tranches (…)"
    offer_validity_days: int | None = None
    criteria: list[Criterion] = Field(default_factory=list)
    required_documents: list[RequiredDocument] = Field(default_factory=list)
    memoire_page_limit: int | None = None
    pieces: list[PieceSummary] = Field(default_factory=list)
    evidence: dict[str, Evidence] = Field(default_factory=dict)
    # Extensions (backward compatible): notes for the user, engine that produced the result.
    warnings: list[str] = Field(default_factory=list)
    # Extension: how sure each found field is (absent = high, e.g. from older stored analyses).
    confidence: dict[str, Confidence] = Field(default_factory=dict)
    engine: str = Engine.OFFLINE.value
    fiche: str | None = None

    def criteria_groups(self) -> list[tuple[list[int], list[Criterion]]]:
        """The criteria tables with the lots each applies to, in lot order; one group of all the
        lots (or none: []) when the lots share the top-level criteria."""
        groups: list[tuple[list[int], list[Criterion]]] = []
        for lot in self.lots:
            table = lot.criteria if lot.criteria is not None else self.criteria
            for numbers, criteria in groups:
                if criteria == table:
                    numbers.append(lot.number)
                    break
            else:
                groups.append(([lot.number], table))
        return groups if len(groups) > 1 else [([], self.criteria)]

    def doubtful(self, name: str) -> bool:
        """True when the field was found but is to be checked ("à vérifier")."""
        return self.confidence.get(name) == Confidence.LOW

    def to_contract(self) -> dict[str, Any]:
        """The JSON printed by `analyze --format json` (see analysis.schema.json)."""
        data = self.model_dump(mode="json")
        for lot in data["lots"]:
            if lot.get("criteria") is None:
                lot.pop("criteria", None)  # optional in the contract: absent, never null
        data["pieces"] = [
            {
                "file": p.file,
                "kind": p.kind.value,
                "pages": p.pages,
                "needs_ocr": p.needs_ocr,
                "ocr_pages": p.ocr_pages,
                "unread_reason": p.unread_reason,
            }
            for p in self.pieces
        ]
        return data

    @classmethod
    def from_contract(cls, data: dict[str, Any]) -> Analysis:
        return cls.model_validate(data)
