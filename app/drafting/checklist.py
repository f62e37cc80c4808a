"""Checklist of the pieces to submit (candidature and offre), with what Maître AO generates, what the
company must still provide and what it already has, plus expiry warnings on its documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from app.analysis.fiche import french_datetime
from app.domain.analysis import Analysis, SiteVisit
from app.domain.kinds import REQUIRED_DOCUMENT_LABELS, RequiredDocument
from app.domain.profile import AdminDocKind, AdminDocument, CompanyProfile
from app.drafting.expiry import expiring_documents


class ItemStatus(StrEnum):
    GENEREE = "générée ici"
    A_FOURNIR = "à fournir"
    FOURNIE = "fournie"


class Part(StrEnum):
    CANDIDATURE = "Candidature"
    OFFRE = "Offre"


@dataclass
class ChecklistItem:
    part: Part
    document: RequiredDocument
    label: str
    status: ItemStatus
    note: str = ""


@dataclass
class Checklist:
    items: list[ChecklistItem]
    warnings: list[str] = field(default_factory=list)


_OFFRE = {
    RequiredDocument.AE,
    RequiredDocument.DPGF,
    RequiredDocument.BPU,
    RequiredDocument.DQE,
    RequiredDocument.MEMOIRE_TECHNIQUE,
    RequiredDocument.CADRE_REPONSE,
    RequiredDocument.PLANNING,
    RequiredDocument.ATTESTATION_VISITE,
}
_GENERATED = {
    RequiredDocument.DC1: "dc1.docx",
    RequiredDocument.DC2: "dc2.docx",
    RequiredDocument.MEMOIRE_TECHNIQUE: "memoire.docx",
    RequiredDocument.CADRE_REPONSE: "memoire.docx (suit le cadre de réponse)",
}
# Declared inside the DC2 Maître AO fills, when the profile has the data.
_IN_DC2 = {
    RequiredDocument.CHIFFRE_AFFAIRES,
    RequiredDocument.REFERENCES,
    RequiredDocument.EFFECTIFS,
    RequiredDocument.MOYENS_MATERIELS,
    RequiredDocument.CERTIFICATIONS,
}
_ADMIN = {
    RequiredDocument.KBIS: (AdminDocKind.KBIS,),
    RequiredDocument.ATTESTATIONS_FISCALES_SOCIALES: (AdminDocKind.URSSAF, AdminDocKind.FISCALE),
    RequiredDocument.RIB: (AdminDocKind.RIB,),
    RequiredDocument.ATTESTATION_ASSURANCE: (AdminDocKind.ASSURANCE,),
}
_DEFAULT = (
    RequiredDocument.DC1,
    RequiredDocument.DC2,
    RequiredDocument.ATTESTATION_ASSURANCE,
    RequiredDocument.AE,
    RequiredDocument.MEMOIRE_TECHNIQUE,
)


def _has(profile: CompanyProfile, doc: RequiredDocument) -> bool:
    return {
        RequiredDocument.CHIFFRE_AFFAIRES: bool(profile.chiffre_affaires),
        RequiredDocument.REFERENCES: bool(profile.references),
        RequiredDocument.EFFECTIFS: profile.effectif is not None or bool(profile.moyens_humains),
        RequiredDocument.MOYENS_MATERIELS: bool(profile.moyens_materiels),
        RequiredDocument.CERTIFICATIONS: bool(profile.certifications),
    }.get(doc, False)


def build_checklist(
    analysis: Analysis, profile: CompanyProfile, on: date, today: date | None = None
) -> Checklist:
    """`on`: the deadline's date (documents must be valid then); `today` for "expire bientôt"."""
    today = today or date.today()
    asked = list(dict.fromkeys(analysis.required_documents or _DEFAULT))
    if analysis.site_visit is SiteVisit.MANDATORY and RequiredDocument.ATTESTATION_VISITE not in asked:
        asked.append(RequiredDocument.ATTESTATION_VISITE)
    items: list[ChecklistItem] = []
    for doc in asked:
        part = Part.OFFRE if doc in _OFFRE else Part.CANDIDATURE
        label = REQUIRED_DOCUMENT_LABELS[doc]
        if doc in _GENERATED:
            items.append(ChecklistItem(part, doc, label, ItemStatus.GENEREE, _GENERATED[doc]))
        elif doc in _IN_DC2:
            if _has(profile, doc):
                items.append(ChecklistItem(part, doc, label, ItemStatus.GENEREE, "déclaré dans le DC2"))
            else:
                items.append(ChecklistItem(part, doc, label, ItemStatus.A_FOURNIR, "absent du profil"))
        elif doc in _ADMIN:
            items.append(_admin_item(part, doc, label, profile, on))
        else:
            note = (
                "à compléter avec vos prix"
                if doc in (RequiredDocument.DPGF, RequiredDocument.BPU, RequiredDocument.DQE)
                else _visit_note(analysis)
                if doc is RequiredDocument.ATTESTATION_VISITE
                else ""
            )
            items.append(ChecklistItem(part, doc, label, ItemStatus.A_FOURNIR, note))
    items.sort(key=lambda i: (i.part is Part.OFFRE,))
    return Checklist(items=items, warnings=expiry_warnings(profile, on, today))


def _visit_note(analysis: Analysis) -> str:
    """When and whether the visit must be made: the attestation is only given on the day."""
    if analysis.site_visit is not SiteVisit.MANDATORY:
        return "visite facultative" if analysis.site_visit is SiteVisit.OPTIONAL else ""
    when = french_datetime(analysis.site_visit_date) if analysis.site_visit_date else "date à confirmer"
    return f"visite obligatoire : {when}"


def _admin_item(
    part: Part, doc: RequiredDocument, label: str, profile: CompanyProfile, on: date
) -> ChecklistItem:
    kinds = _ADMIN[doc]
    held: list[AdminDocument] = [d for d in profile.documents_administratifs if d.kind in kinds]
    if doc is RequiredDocument.ATTESTATION_ASSURANCE and not held and profile.assurances:
        return ChecklistItem(part, doc, label, ItemStatus.A_FOURNIR, "attestation de l'assureur à joindre")
    missing = [k for k in kinds if not any(d.kind is k for d in held)]
    expired = [d for d in held if d.expires_on is not None and d.expires_on < on]
    if missing or not held:
        return ChecklistItem(part, doc, label, ItemStatus.A_FOURNIR, "absente du profil")
    if expired:
        names = ", ".join(f"{d.label} (expire le {d.expires_on:%d/%m/%Y})" for d in expired)
        return ChecklistItem(part, doc, label, ItemStatus.A_FOURNIR, f"à renouveler : {names}")
    files = ", ".join(d.file_name or d.label for d in held)
    return ChecklistItem(part, doc, label, ItemStatus.FOURNIE, files)


def expiry_warnings(profile: CompanyProfile, on: date, today: date) -> list[str]:
    """Administrative documents, insurance and certifications expired at the deadline or expiring soon
    (the same list as the go/no-go's, `app.drafting.expiry`)."""
    return [doc.warning for doc in expiring_documents(profile, on, today)]
