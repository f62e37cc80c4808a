"""One answer to "which of the company's documents expire?", for the go/no-go and the export.

Administrative documents, insurance certificates and certifications of the profile are listed when
they expire before the tender's deadline (to renew before submitting) or within EXPIRY_NOTICE_DAYS of
today; the go/no-go (on screen and in the matrix) and the export warnings both read this list, so they
name the same documents with the same dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.french import short_date
from app.domain.profile import CompanyProfile, InsuranceKind

# One notice window for every screen and export: an URSSAF attestation is valid six months and a new one
# takes days to obtain, so two months ahead leaves time to renew before a deadline.
EXPIRY_NOTICE_DAYS = 60

INSURANCE_LABELS = {
    InsuranceKind.RC_PRO: "Assurance responsabilité civile professionnelle",
    InsuranceKind.DECENNALE: "Assurance décennale",
    InsuranceKind.AUTRE: "Assurance",
}


@dataclass(frozen=True)
class ExpiringDocument:
    label: str  # as a reader names it: "Extrait K-bis", "Assurance décennale (SMABTP)"…
    expires_on: date
    deadline: date
    before_deadline: bool  # expires before the deadline: to renew before submitting

    @property
    def detail(self) -> str:
        """'expire le 10/12/2026, avant la date limite du 18/12/2026 : à renouveler' (no agreement:
        "Extrait K-bis" and "Attestation" read the same)."""
        if self.before_deadline:
            return (
                f"expire le {short_date(self.expires_on)}, avant la date limite du "
                f"{short_date(self.deadline)} : à renouveler"
            )
        return f"expire bientôt (le {short_date(self.expires_on)})"

    @property
    def warning(self) -> str:
        return f"{self.label} : {self.detail}."


def expiring_documents(
    profile: CompanyProfile, on: date, today: date, *, within_days: int = EXPIRY_NOTICE_DAYS
) -> list[ExpiringDocument]:
    """Documents expired at the deadline `on`, or expiring within `within_days` of `today`."""
    soon = today + timedelta(days=within_days)
    dated: list[tuple[str, date | None]] = [(d.label, d.expires_on) for d in profile.documents_administratifs]
    dated += [(f"{INSURANCE_LABELS[a.kind]} ({a.assureur})", a.valid_until) for a in profile.assurances]
    dated += [(f"Certification {c.name}", c.valid_to) for c in profile.certifications]
    out: list[ExpiringDocument] = []
    for label, until in dated:
        if until is None:
            continue
        if until < on:
            out.append(ExpiringDocument(label, until, on, True))
        elif until <= soon:
            out.append(ExpiringDocument(label, until, on, False))
    return out
