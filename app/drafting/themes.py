"""The common themes of a mémoire technique and how a heading is recognised as one of them."""

from __future__ import annotations

import re
from enum import StrEnum

from app.drafting.text import fold


class Theme(StrEnum):
    PRESENTATION = "presentation"
    COMPREHENSION = "comprehension"
    METHODOLOGIE = "methodologie"
    ORGANISATION = "organisation"  # organisation et moyens humains
    MOYENS_MATERIELS = "moyens_materiels"
    PLANNING = "planning"
    QSE = "qse"  # qualité, sécurité, environnement
    REFERENCES = "references"
    SAV = "sav"  # SAV / maintenance
    RISQUES = "risques"
    GENERIQUE = "generique"


THEME_LABELS: dict[Theme, str] = {
    Theme.PRESENTATION: "Présentation de l'entreprise",
    Theme.COMPREHENSION: "Compréhension du besoin",
    Theme.METHODOLOGIE: "Méthodologie",
    Theme.ORGANISATION: "Organisation et moyens humains",
    Theme.MOYENS_MATERIELS: "Moyens matériels",
    Theme.PLANNING: "Planning",
    Theme.QSE: "Qualité, sécurité, environnement",
    Theme.REFERENCES: "Références",
    Theme.SAV: "SAV et maintenance",
    Theme.RISQUES: "Gestion des risques",
    Theme.GENERIQUE: "Réponse",
}

# First match wins: the more specific themes come first ("moyens matériels" before "moyens").
_KEYWORDS: tuple[tuple[Theme, tuple[str, ...]], ...] = (
    (Theme.REFERENCES, ("reference", "experience similaire", "realisations similaires")),
    (Theme.MOYENS_MATERIELS, ("materiel", "outillage", "engins", "equipement", "vehicule", "logiciel")),
    (Theme.RISQUES, ("risque", "aleas", "continuite", "reversibilite", "plan de secours")),
    (Theme.SAV, ("sav", "maintenance", "apres-vente", "apres vente", "garantie", "support", "assistance")),
    (Theme.PLANNING, ("planning", "delai", "calendrier", "phasage", "duree d'execution")),
    (
        Theme.METHODOLOGIE,
        (
            "methodolog",
            "methode",
            "mode operatoire",
            "deroulement",
            "organisation du chantier",
            "organisation des travaux",
        ),
    ),
    (
        Theme.ORGANISATION,
        ("moyens humains", "equipe", "personnel", "encadrement", "competence", "effectif", "organisation"),
    ),
    (
        Theme.QSE,
        (
            "environnement",
            "demarche qualite",
            "plan qualite",
            "assurance qualite",
            "controle qualite",
            "qse",
            "securite",
            "hygiene",
            "dechet",
            "carbone",
            "energ",
            "developpement durable",
            "nuisance",
            "social",
            "insertion",
            "rse",
        ),
    ),
    (Theme.COMPREHENSION, ("comprehension", "besoin", "contexte", "enjeux", "analyse du site")),
    (Theme.PRESENTATION, ("presentation du candidat", "presentation de l'entreprise", "candidat")),
)


# Keywords match at the start of a word ("energ" → "énergétique"); short ones only as whole words
# ("sav" must not match "savoir", nor "rse" "diverse").
_PATTERNS: dict[str, re.Pattern[str]] = {
    k: re.compile(rf"\b{re.escape(k)}\b" if len(k) <= 3 else rf"\b{re.escape(k)}")
    for _, keywords in _KEYWORDS
    for k in keywords
}


def themes_of(title: str, extra: str = "") -> list[Theme]:
    """Every theme a heading (and its questions) speaks of, the most specific first."""
    folded = fold(f"{title} {extra}")
    found = [theme for theme, keywords in _KEYWORDS if any(_PATTERNS[k].search(folded) for k in keywords)]
    if "moyens humains" in folded and Theme.ORGANISATION in found:
        found.remove(Theme.ORGANISATION)  # "moyens humains et matériels": people first
        found.insert(0, Theme.ORGANISATION)
    if not found and "technique" in folded:
        found = [Theme.METHODOLOGIE]
    return found or [Theme.GENERIQUE]


def theme_of(title: str, extra: str = "") -> Theme:
    """The main theme of a heading (and its questions)."""
    return themes_of(title, extra)[0]


# Sub-sections proposed under a criterion the RC does not break down ("Valeur technique 40 %").
DEFAULT_TECHNICAL_THEMES: tuple[Theme, ...] = (
    Theme.COMPREHENSION,
    Theme.METHODOLOGIE,
    Theme.ORGANISATION,
    Theme.MOYENS_MATERIELS,
    Theme.PLANNING,
    Theme.QSE,
    Theme.REFERENCES,
)
