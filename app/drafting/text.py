"""Word-level helpers shared by the matrix, the outline and the go/no-go (no model, no network)."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")

# French function words and tender boilerplate that say nothing about what is asked.
STOPWORDS: frozenset[str] = frozenset(
    """
    a au aux avec ce ces cet cette dans de des du elle en et etre il ils la le les leur leurs lui
    mais ne ni nos notre nous on ou par pas pour qu que qui sa se ses son sont sur ta te tes ton tous
    tout toute toutes tres un une vos votre vous y d l s n c j m t qu' est sera seront doit doivent
    devra devront peut peuvent pourra pourront chaque ainsi afin lors dont entre sans sous selon
    titulaire candidat candidats prestataire entreprise entreprises marche present presente presentes
    ensemble notamment egalement cas lieu faire fait etc soit autre autres meme plus moins non oui
    article obligatoire obligatoirement precisera preciser decrira decrire indiquera indiquer
    detaillera detailler fournira fournir exige exigee exiges necessaire necessaires ci dessous
    dessus cadre reponse memoire technique offre comment vers pendant durant objet chez toute
    quelle quelles quel quels lequel laquelle afin elles service services prestation prestations niveau
    niveaux cadre mise place lieu
    """.split()  # noqa: SIM905 - a readable block of words
)


def fold(text: str) -> str:
    """Lower case without accents: 'Élément' and 'element' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return (
        "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("œ", "oe").replace("’", "'")
    )


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    """Crude French stem (plural and common endings) so 'interventions' meets 'intervention'."""
    for suffix in ("ements", "ement", "ations", "ation", "ites", "ite", "euses", "euse", "eurs", "eur"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    if len(word) > 4 and word.endswith(("s", "x")):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def key_terms(text: str, limit: int = 8) -> list[str]:
    """The distinctive words of a sentence (stems, in order, no duplicates, no stopwords)."""
    seen: list[str] = []
    for token in words(text):
        for w in token.split("'")[-1].split("-"):
            if len(w) < 4 or w in STOPWORDS or w.isdigit():
                continue
            s = stem(w)
            if s not in seen:
                seen.append(s)
        if len(seen) >= limit:
            return seen[:limit]
    return seen


def stems_of(text: str) -> set[str]:
    return {stem(part) for w in words(text) for part in w.split("'")[-1].split("-") if len(part) >= 3}


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_RAW_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def surface_words(text: str, stems: list[str]) -> list[str]:
    """The words of `text` behind each stem ('mesur' → 'mesures'): what a reader can search for."""
    found: dict[str, str] = {}
    wanted = set(stems)
    for word in _RAW_WORD.findall(text):
        s = stem(fold(word))
        if s in wanted and s not in found:
            found[s] = word
    return [found.get(s, s) for s in stems]
