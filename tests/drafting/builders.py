"""Synthetic DCE pieces, analyses and profiles for the drafting and export tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.domain.analysis import Analysis, Criterion, Evidence, SiteVisit, SubCriterion
from app.domain.document import PageText, PieceText
from app.domain.kinds import PieceKind, RequiredDocument
from app.domain.profile import CompanyProfile

EXAMPLE_PROFILE = Path(__file__).resolve().parents[2] / "app" / "resources" / "example" / "profile.json"


def example_profile(**changes: Any) -> CompanyProfile:
    data = json.loads(EXAMPLE_PROFILE.read_text(encoding="utf-8"))
    data.update(changes)
    return CompanyProfile.model_validate(data)


def piece(path: str, kind: PieceKind, *pages: str, paged: bool = True) -> PieceText:
    return PieceText(
        path=path,
        kind=kind,
        sha256=f"sha-{path}",
        size=100,
        pages=[PageText(i, text) for i, text in enumerate(pages, start=1)],
        paged=paged,
    )


RC_PAGES = (
    "RÈGLEMENT DE LA CONSULTATION\nCommune d'Essai – Réhabilitation de l'école des Tilleuls",
    "Article 5 – Conditions de participation\n"
    "Les candidats justifieront d'une qualification Qualibat 2112 ou équivalente.\n"
    "Le candidat doit disposer d'un chiffre d'affaires annuel minimum de 2 000 000 € HT.\n"
    "Article 6 – Visite\nUne visite du site est obligatoire.",
)

CCTP_PAGES = (
    "Article 1 – Objet\nLe titulaire devra assurer l'évacuation des déchets de chantier vers une filière agréée "
    "et fournir les bordereaux de suivi.\nLes travaux se déroulent en site occupé.",
    "Article 2 – Encadrement\nLe titulaire devra désigner un conducteur de travaux présent chaque semaine aux "
    "réunions de chantier.\nLe port des équipements de protection individuelle est obligatoire.",
)

CADRE_TEXT = (
    "CADRE DE RÉPONSE TECHNIQUE\n"
    "Le candidat répond à chaque question dans l'ordre.\n"
    "1. Organisation du chantier (30 %)\n"
    "1.1 Présentez l'équipe affectée au chantier et le nom du conducteur de travaux.\n"
    "1.2 Listez les moyens matériels mobilisés.\n"
    "2. Gestion des déchets et des nuisances (10 %)\n"
    "Comment le candidat assure-t-il la traçabilité des déchets ?\n"
    "3. Références de travaux similaires\n"
)


def rc() -> PieceText:
    return piece("RC.pdf", PieceKind.RC, *RC_PAGES)


def cctp() -> PieceText:
    return piece("CCTP.pdf", PieceKind.CCTP, *CCTP_PAGES)


def cadre() -> PieceText:
    return piece("Cadre de réponse.docx", PieceKind.CADRE_REPONSE, CADRE_TEXT, paged=False)


def analysis(**changes: Any) -> Analysis:
    base: dict[str, Any] = dict(
        buyer="Commune d'Essai",
        object="Travaux de réhabilitation de l'école des Tilleuls",
        reference="2026-ESS-07",
        deadline="2026-12-18T12:00:00+01:00",
        site_visit=SiteVisit.OPTIONAL,
        criteria=[
            Criterion(name="Prix des prestations", weight_percent=40),
            Criterion(
                name="Valeur technique",
                weight_percent=60,
                subcriteria=[
                    SubCriterion(name="Méthodologie et organisation du chantier", weight_percent=30),
                    SubCriterion(name="Moyens humains et matériels affectés", weight_percent=20),
                    SubCriterion(name="Démarche environnementale et gestion des déchets", weight_percent=10),
                ],
                evidence=Evidence(file="RC.pdf", page=2, quote="Valeur technique 60 %"),
            ),
        ],
        required_documents=[
            RequiredDocument.DC1,
            RequiredDocument.DC2,
            RequiredDocument.KBIS,
            RequiredDocument.ATTESTATIONS_FISCALES_SOCIALES,
            RequiredDocument.ATTESTATION_ASSURANCE,
            RequiredDocument.REFERENCES,
            RequiredDocument.AE,
            RequiredDocument.DPGF,
            RequiredDocument.MEMOIRE_TECHNIQUE,
        ],
        evidence={
            "deadline": Evidence(file="RC.pdf", page=1, quote="18 décembre 2026 à 12h00"),
            "site_visit": Evidence(file="RC.pdf", page=2, quote="Une visite du site est obligatoire."),
        },
    )
    base.update(changes)
    return Analysis(**base)
