"""A sub-contractor declared for one consultation (one DC4 each)."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from app.domain.siret import normalize, siret_error


class Subcontractor(BaseModel):
    uuid: str | None = None
    raison_sociale: str = Field(min_length=1)
    siret: str
    adresse: str = ""
    forme_juridique: str = ""
    representant: str = ""  # name and capacity of the person who signs for the sub-contractor
    email: str = ""
    telephone: str = ""
    pme: bool | None = None
    prestations: str = Field(min_length=1)  # nature of the sub-contracted services
    montant_ht: float | None = Field(default=None, ge=0)
    taux_tva: float = 0.20
    paiement_direct: bool = True
    duree_mois: int | None = Field(default=None, ge=1)

    @field_validator("siret")
    @classmethod
    def _check_siret(cls, value: str) -> str:
        err = siret_error(value)
        if err:
            raise ValueError(err)
        return normalize(value)
