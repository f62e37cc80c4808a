"""Tags guessed for a library block from its heading (strong) and its words (weak)."""

from __future__ import annotations

import re

from app.drafting.text import fold

# Tag → word starts (folded). A heading word counts 3, a body word 1; a tag needs 3.
TAG_WORDS: dict[str, tuple[str, ...]] = {
    "présentation": ("presentation de l'entreprise", "presentation du candidat", "qui sommes"),
    "compréhension": ("comprehension", "enjeux", "besoin", "contexte"),
    "méthodologie": (
        "methodolog",
        "methode",
        "mode operatoire",
        "organisation du chantier",
        "phasage",
        "deroulement",
        "demolition",
        "curage",
        "installation de chantier",
        "organisation de la prestation",
    ),
    "qualité": (
        "qualite",
        "autocontrole",
        "non-conformite",
        "iso 9001",
        "assurance qualite",
        "fiche de suivi",
        "point d'arret",
        "indicateur",
    ),
    "sécurité": (
        "securite",
        "ppsps",
        "prevention",
        "accident",
        "hygiene",
        "epi ",
        "protection collective",
        "plan de prevention",
    ),
    "environnement": (
        "environnement",
        "dechet",
        "tri ",
        "nuisance",
        "bruit",
        "poussiere",
        "valorisation",
        "carbone",
        "recycl",
    ),
    "planning": ("planning", "delai", "calendrier", "jalon", "phasage"),
    "moyens humains": (
        "equipe",
        "encadrement",
        "conducteur de travaux",
        "chef de chantier",
        "technicien",
        "personnel",
        "moyens humains",
        "effectif",
        "interlocuteur",
    ),
    "moyens matériels": (
        "materiel",
        "engin",
        "grue",
        "vehicule",
        "outillage",
        "equipements",
        "moyens materiels",
        "echafaudage",
    ),
    "SAV": (
        "sav",
        "maintenance",
        "garantie",
        "astreinte",
        "depannage",
        "parfait achevement",
        "delai d'intervention",
        "curative",
        "preventive",
    ),
    "formation": ("formation", "forme ", "formes ", "habilitation", "transfert de connaissances"),
    "pilotage": ("comite", "pilotage", "reporting", "rapport d'activite", "tableau de bord"),
    "réversibilité": ("reversibilite", "fin de contrat", "passation", "restitution"),
    "réception": ("reception", "dossier des ouvrages executes", "doe", "levee des reserves"),
}

_PATTERNS = {
    tag: [re.compile(r"\b" + re.escape(w) + (r"\b" if len(w) <= 3 else "")) for w in words]
    for tag, words in TAG_WORDS.items()
}


def guess_tags(title: str, body: str, limit: int = 3) -> list[str]:
    heading, text = f" {fold(title)} ", f" {fold(body)} "
    scores: dict[str, int] = {}
    for tag, patterns in _PATTERNS.items():
        score = sum(3 for p in patterns if p.search(heading)) + sum(
            min(3, len(p.findall(text))) for p in patterns
        )
        if score >= 3:
            scores[tag] = score
    ranked = sorted(scores, key=lambda t: -scores[t])
    return ranked[:limit]
