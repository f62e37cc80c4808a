"""Company profile: what the candidate declares (DC1/DC2), proves (references) and commits (moyens)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

from app.domain.siret import normalize, siret_error


class Address(BaseModel):
    ligne1: str = ""
    ligne2: str = ""
    code_postal: str = ""
    ville: str = ""
    pays: str = "France"

    def one_line(self) -> str:
        parts = [self.ligne1, self.ligne2, f"{self.code_postal} {self.ville}".strip()]
        return ", ".join(p for p in parts if p)


class Turnover(BaseModel):
    """Chiffre d'affaires HT of one financial year (exercice)."""

    annee: int
    montant_ht: float
    part_objet_marche_ht: float | None = None  # CA relating to the contract's object (DC2)


class InsuranceKind(StrEnum):
    RC_PRO = "rc_pro"
    DECENNALE = "decennale"
    AUTRE = "autre"


class Insurance(BaseModel):
    kind: InsuranceKind
    assureur: str
    numero_police: str = ""
    montant_garanti: float | None = None
    valid_until: date | None = None


class Certification(BaseModel):
    uuid: str | None = None
    name: str  # "ISO 9001", "Qualibat 2111", "MASE"…
    body: str = ""  # organisme certificateur
    number: str = ""
    valid_from: date | None = None
    valid_to: date | None = None


class Reference(BaseModel):
    uuid: str | None = None
    client: str
    object: str
    year: int
    amount: float | None = None  # € HT
    description: str = ""
    contact: str = ""
    cpv: list[str] = Field(default_factory=list)


class StaffMember(BaseModel):
    """Moyens humains: a named person or a role with a head count."""

    uuid: str | None = None
    role: str
    name: str = ""
    count: int = 1
    qualification: str = ""
    years_experience: int | None = None


class Equipment(BaseModel):
    """Moyens matériels."""

    uuid: str | None = None
    designation: str
    quantity: int = 1
    description: str = ""


class AdminDocKind(StrEnum):
    KBIS = "kbis"
    URSSAF = "attestation_urssaf"
    FISCALE = "attestation_fiscale"
    ASSURANCE = "attestation_assurance"
    RIB = "rib"
    AUTRE = "autre"


class AdminDocument(BaseModel):
    """Documents administratifs (K-bis, attestations…) with their expiry date."""

    uuid: str | None = None
    kind: AdminDocKind
    label: str
    issued_on: date | None = None
    expires_on: date | None = None
    file_name: str = ""


class BankDetails(BaseModel):
    """Relevé d'identité bancaire, written into the acte d'engagement when given."""

    titulaire: str = ""
    iban: str
    bic: str = ""


class Signatory(BaseModel):
    name: str
    role: str


class CompanyProfile(BaseModel):
    raison_sociale: str
    nom_commercial: str = ""
    siret: str
    forme_juridique: str = ""
    capital: float | None = None
    adresse: Address = Field(default_factory=Address)
    email: str = ""
    telephone: str = ""
    site_web: str = ""
    code_naf: str = ""
    effectif: int | None = None
    pme: bool | None = None
    chiffre_affaires: list[Turnover] = Field(default_factory=list)
    assurances: list[Insurance] = Field(default_factory=list)
    certifications: list[Certification] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    moyens_humains: list[StaffMember] = Field(default_factory=list)
    moyens_materiels: list[Equipment] = Field(default_factory=list)
    documents_administratifs: list[AdminDocument] = Field(default_factory=list)
    signataire: Signatory | None = None
    banque: BankDetails | None = None
    presentation: str = ""  # a few lines on the company, reused in the mémoire

    @field_validator("siret")
    @classmethod
    def _check_siret(cls, value: str) -> str:
        err = siret_error(value)
        if err:
            raise ValueError(err)
        return normalize(value)

    @field_validator("chiffre_affaires")
    @classmethod
    def _sorted_years(cls, value: list[Turnover]) -> list[Turnover]:
        return sorted(value, key=lambda t: t.annee, reverse=True)

    def last_turnovers(self, n: int = 3) -> list[Turnover]:
        return self.chiffre_affaires[:n]

    @property
    def display_name(self) -> str:
        return self.nom_commercial or self.raison_sociale
