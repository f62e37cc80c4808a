"""Problems the screen walks find in screens other helpers are changing at the same time (issue 16),
with the exact text seen. The walks skip them so their own findings stay readable; each entry is
dropped once the branch named beside it is merged (and the walk then checks that screen again)."""

from __future__ import annotations

KNOWN_ELSEWHERE: tuple[str, ...] = (
    # Profil › Documents administratifs (branch b14): the column title, one line listing the label of
    # every kind ("Type (Extrait K-bis, Attestation URSSAF, …)"), is far wider than its column.
    "-profil-8-documents-administratifs] texte coupé : QTableWidget en-tête 1 'Type (",
    # Consultations (branch ui-b): buyer and deadline cut to two lines ("juillet 2027 à…"), the
    # column title "Remise des offres" cropped.
    "texte coupé : Liste des consultations ",
    # Go/No-Go (branch ui-a, its layout): rows ~100 px higher than their text (sized while the table
    # was narrow), e.g. "Date limite … 221 jours restants" in a 113 px row.
    "zone vide : Contrôles Go/No-Go ",
)


def unexpected(problems: list[str]) -> list[str]:
    """The problems not listed above."""
    return [p for p in problems if not any(known in p for known in KNOWN_ELSEWHERE)]
