"""The one place that tells a piece's kind: from its file name, then from its first page's text.

Names are normalized (accents, case, separators) and stripped of what is not a kind: numeric prefixes,
consultation numbers, lot markers (LOT-01, Lot 2, L2_), revision markers (Indice-B, v2, VF).
"""

from __future__ import annotations

import re
import unicodedata

from app.domain.kinds import PieceKind

K = PieceKind


def normalize(text: str) -> str:
    """Lowercase ASCII words separated by single spaces ("Règlement_de-la.Consultation" → "reglement de la consultation")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("’", "'").replace("_", " ")
    # Dotted acronyms: "c.c.a.p." → "ccap", "R.C" → "rc"
    text = re.sub(r"\b(?:[a-z]\.)+[a-z]\b\.?", lambda m: m.group(0).replace(".", ""), text)
    text = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", text)  # 25TIC06 → 25 tic 06
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return f" {text.strip()} "


# Checked in this order: forms and price schedules often sit inside an "Annexe …" name, so they come
# before ANNEXE; ANNEXE comes before the documents it annexes ("Annexe 2 au CCTP" is an annexe).
_NAME_RULES: tuple[tuple[PieceKind, str], ...] = (
    (K.DC1, r" dc ?1 | lettre de candidature "),
    (K.DC2, r" dc ?2 | declaration du candidat "),
    (K.CRF, r" crf | cadre (de )?(reponse|memoire) financi| cadre financier | reponse financiere "),
    (
        K.CADRE_REPONSE,
        r" crt | cadre (de )?(reponse|memoire)| questionnaire technique | memoire technique | trame (de )?(reponse|memoire)",
    ),
    (
        K.QR_REGISTER,
        r" q ?r | questions? (et )?reponses? | registre (des )?questions | reponses? aux questions ",
    ),
    (K.BPU, r" bpu | bordereau (des |de )?prix"),
    (K.DPGF, r" dpgf | decomposition (du )?prix global"),
    (K.DQE, r" dqe | detail quantitatif"),
    (K.ANNEXE, r" annexe "),
    (
        K.RC,
        r" rc | rpc | rpao | reglement (particulier )?(de |de la |du )?(consultation|concours)"
        r"| reglement (particulier )?(de l |d )?appel d offres| reglement de (la )?mise en concurrence",
    ),
    (K.CCAP, r" ccap | clauses administratives particulieres "),
    (K.CCTP, r" cctp | clauses techniques particulieres | cahier des charges techniques"),
    (K.CCP, r" ccp | cahier des clauses particulieres | cahier des charges "),
    (K.AE, r" ae | attri ?1 | acte d ?engagement "),
    (K.CONTRAT, r" contrat | projet de marche | convention "),
)

# Title phrases looked for near the top of the first page; the earliest one wins.
_TEXT_RULES: tuple[tuple[PieceKind, str], ...] = (
    (K.RC, r" reglement (particulier )?(de |de la |du )?(consultation|concours) "),
    (K.CCAP, r" cahier des clauses administratives particulieres | ccap "),
    (K.CCTP, r" cahier des clauses techniques particulieres | cctp "),
    (K.CCP, r" cahier des clauses particulieres | ccp "),
    (K.AE, r" acte d ?engagement "),
    (K.BPU, r" bordereau des prix unitaires | bpu "),
    (K.DPGF, r" decomposition du prix global et forfaitaire | dpgf "),
    (K.DQE, r" detail quantitatif estimatif | dqe "),
    (K.CRF, r" cadre de reponse financi"),
    (
        K.CADRE_REPONSE,
        r" cadre de reponse( technique)? | cadre de memoire technique | questionnaire technique ",
    ),
    (K.DC1, r" lettre de candidature "),
    (K.DC2, r" declaration du candidat individuel "),
    (K.QR_REGISTER, r" registre des questions | questions reponses "),
)

_TOP_CHARS = 1500  # titles sit near the top; deeper hits are cross-references


def classify_name(path: str) -> PieceKind | None:
    name = path.rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    text = normalize(stem)
    for kind, pattern in _NAME_RULES:
        if re.search(pattern, text):
            return kind
    return None


def classify_text(first_page: str) -> PieceKind | None:
    text = normalize(first_page[: _TOP_CHARS * 2])[:_TOP_CHARS]
    best: tuple[int, PieceKind] | None = None
    for kind, pattern in _TEXT_RULES:
        match = re.search(pattern, text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), kind)
    return best[1] if best else None


def classify(path: str, first_page: str | None) -> PieceKind:
    return classify_name(path) or (classify_text(first_page) if first_page else None) or K.AUTRE
