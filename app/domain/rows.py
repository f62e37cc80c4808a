"""Rows the store gives back and the screens show, defined once (local_store fills them, the UI reads
them through app.services)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.kinds import PieceKind


class ConsultationStatus(StrEnum):
    """Where a consultation stands; the value is what the store and the sync keep."""

    A_ANALYSER = "a_analyser"
    EN_COURS = "en_cours"
    DEPOSEE = "deposee"
    GAGNEE = "gagnee"
    PERDUE = "perdue"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @classmethod
    def parse(cls, value: str | None) -> ConsultationStatus:
        """A stored value; an unknown one (newer version on another device) reads as "à analyser"."""
        try:
            return cls(value or cls.A_ANALYSER)
        except ValueError:
            return cls.A_ANALYSER


_STATUS_LABELS = {
    ConsultationStatus.A_ANALYSER: "À analyser",
    ConsultationStatus.EN_COURS: "En cours",
    ConsultationStatus.DEPOSEE: "Déposée",
    ConsultationStatus.GAGNEE: "Gagnée",
    ConsultationStatus.PERDUE: "Perdue",
}


@dataclass(frozen=True, slots=True)
class ConsultationRow:
    uuid: str
    title: str
    buyer: str | None
    reference: str | None
    deadline: str | None
    questions_deadline: str | None
    site_visit_date: str | None
    status: ConsultationStatus
    source_name: str | None
    created_at: str
    analyzed_at: str | None
    pieces: int
    import_state: str = "done"  # "importing" until the import committed
    import_pid: int | None = None
    import_owner: str | None = None
    claude_consent: str | None = None  # None (never asked), "granted" or "refused"


@dataclass(frozen=True, slots=True)
class PieceRow:
    consultation_uuid: str
    path: str
    kind: PieceKind
    kind_manual: bool
    sha256: str | None  # None once the retention rule removed the file
    size: int
    pages: int | None
    ocr_pages: int
    unread_reason: str | None
    error: str | None
    format: str | None

    @property
    def needs_ocr(self) -> bool:
        return self.ocr_pages > 0
