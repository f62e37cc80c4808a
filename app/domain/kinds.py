"""The one place that knows the kinds of DCE pieces and of documents the candidate hands in."""

from __future__ import annotations

from enum import StrEnum


class PieceKind(StrEnum):
    RC = "RC"
    CCAP = "CCAP"
    CCTP = "CCTP"
    CCP = "CCP"
    AE = "AE"
    BPU = "BPU"
    DPGF = "DPGF"
    DQE = "DQE"
    CADRE_REPONSE = "CADRE_REPONSE"
    CRF = "CRF"
    DC1 = "DC1"
    DC2 = "DC2"
    QR_REGISTER = "QR_REGISTER"
    CONTRAT = "CONTRAT"
    ANNEXE = "ANNEXE"
    AUTRE = "AUTRE"


PIECE_KIND_LABELS: dict[PieceKind, str] = {
    PieceKind.RC: "Règlement de la consultation",
    PieceKind.CCAP: "Cahier des clauses administratives particulières",
    PieceKind.CCTP: "Cahier des clauses techniques particulières",
    PieceKind.CCP: "Cahier des clauses particulières",
    PieceKind.AE: "Acte d'engagement",
    PieceKind.BPU: "Bordereau des prix unitaires",
    PieceKind.DPGF: "Décomposition du prix global et forfaitaire",
    PieceKind.DQE: "Détail quantitatif estimatif",
    PieceKind.CADRE_REPONSE: "Cadre de réponse technique",
    PieceKind.CRF: "Cadre de réponse financière",
    PieceKind.DC1: "DC1 — Lettre de candidature",
    PieceKind.DC2: "DC2 — Déclaration du candidat",
    PieceKind.QR_REGISTER: "Questions / réponses",
    PieceKind.CONTRAT: "Contrat / marché",
    PieceKind.ANNEXE: "Annexe",
    PieceKind.AUTRE: "Autre",
}

# Order in which pieces are read: those that decide the analysis first.
READ_PRIORITY: dict[PieceKind, int] = {
    PieceKind.RC: 0,
    PieceKind.CADRE_REPONSE: 1,
    PieceKind.CCAP: 2,
    PieceKind.CCP: 2,
    PieceKind.AE: 3,
    PieceKind.QR_REGISTER: 3,
    PieceKind.CRF: 4,
    PieceKind.DC1: 5,
    PieceKind.DC2: 5,
    PieceKind.BPU: 6,
    PieceKind.DPGF: 6,
    PieceKind.DQE: 6,
    PieceKind.CONTRAT: 7,
    PieceKind.ANNEXE: 8,
    PieceKind.AUTRE: 8,
    PieceKind.CCTP: 9,
}


class RequiredDocument(StrEnum):
    """Pieces a candidate hands in (contract `required_documents`)."""

    DC1 = "DC1"
    DC2 = "DC2"
    DUME = "DUME"
    DC4 = "DC4"
    KBIS = "KBIS"
    ATTESTATION_ASSURANCE = "ATTESTATION_ASSURANCE"
    CHIFFRE_AFFAIRES = "CHIFFRE_AFFAIRES"
    REFERENCES = "REFERENCES"
    CERTIFICATIONS = "CERTIFICATIONS"
    EFFECTIFS = "EFFECTIFS"
    MOYENS_MATERIELS = "MOYENS_MATERIELS"
    ATTESTATIONS_FISCALES_SOCIALES = "ATTESTATIONS_FISCALES_SOCIALES"
    RIB = "RIB"
    AE = "AE"
    DPGF = "DPGF"
    BPU = "BPU"
    DQE = "DQE"
    MEMOIRE_TECHNIQUE = "MEMOIRE_TECHNIQUE"
    CADRE_REPONSE = "CADRE_REPONSE"
    PLANNING = "PLANNING"
    ATTESTATION_VISITE = "ATTESTATION_VISITE"
    DECLARATION_HONNEUR = "DECLARATION_HONNEUR"
    POUVOIR_SIGNATAIRE = "POUVOIR_SIGNATAIRE"
    SOUS_TRAITANCE = "SOUS_TRAITANCE"


REQUIRED_DOCUMENT_LABELS: dict[RequiredDocument, str] = {
    RequiredDocument.DC1: "DC1 — Lettre de candidature",
    RequiredDocument.DC2: "DC2 — Déclaration du candidat",
    RequiredDocument.DUME: "DUME",
    RequiredDocument.DC4: "DC4 — Déclaration de sous-traitance",
    RequiredDocument.KBIS: "Extrait K-bis",
    RequiredDocument.ATTESTATION_ASSURANCE: "Attestations d'assurance",
    RequiredDocument.CHIFFRE_AFFAIRES: "Chiffre d'affaires des trois derniers exercices",
    RequiredDocument.REFERENCES: "Références de prestations similaires",
    RequiredDocument.CERTIFICATIONS: "Certificats de qualification / certifications",
    RequiredDocument.EFFECTIFS: "Effectifs moyens annuels",
    RequiredDocument.MOYENS_MATERIELS: "Moyens matériels",
    RequiredDocument.ATTESTATIONS_FISCALES_SOCIALES: "Attestations fiscales et sociales",
    RequiredDocument.RIB: "RIB",
    RequiredDocument.AE: "Acte d'engagement",
    RequiredDocument.DPGF: "DPGF",
    RequiredDocument.BPU: "BPU",
    RequiredDocument.DQE: "DQE",
    RequiredDocument.MEMOIRE_TECHNIQUE: "Mémoire technique",
    RequiredDocument.CADRE_REPONSE: "Cadre de réponse technique complété",
    RequiredDocument.PLANNING: "Planning prévisionnel",
    RequiredDocument.ATTESTATION_VISITE: "Attestation de visite",
    RequiredDocument.DECLARATION_HONNEUR: "Déclaration sur l'honneur",
    RequiredDocument.POUVOIR_SIGNATAIRE: "Pouvoir du signataire",
    RequiredDocument.SOUS_TRAITANCE: "Documents de sous-traitance",
}
