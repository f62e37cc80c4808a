"""The words a full-text index holds for drafting: folded (no accents, lower case) and lightly stemmed.

The same function normalises what is indexed and what is searched, so "Interventions sécurisées" and
"intervention securisee" meet. The stem only removes plural and feminine marks: it must not merge
words of different meaning ("équipe"/"équipement", "sécurité"/"secours" stay apart).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[a-z0-9]+")

# Function words and tender boilerplate: they say nothing about what a text answers.
STOPWORDS: frozenset[str] = frozenset(
    """
    a au aux avec ce ces cet cette dans de des du elle en et etre il ils la le les leur leurs lui
    mais ne ni nos notre nous on ou par pas pour qu que qui sa se ses son sont sur ta te tes ton tous
    tout toute toutes tres un une vos votre vous y d l s n c j m t est sera seront doit doivent devra
    devront peut peuvent pourra pourront chaque ainsi afin lors dont entre sans sous selon titulaire
    candidat prestataire entreprise marche present presente notamment egalement cas faire fait etc
    soit autre autres meme plus moins non oui article precisera preciser decrivez presentez listez
    precisez indiquez detaillez justifiez expliquez fournissez joignez proposez decrire indiquer
    detailler fournir cadre reponse memoire offre comment vers pendant durant objet quelle quelles
    quel quels leur ete cela ceci mise place avoir ont aussi tel telle tels telles alors cet
    """.split()  # noqa: SIM905 - a readable block of words
)


_ACCENTS = str.maketrans("àâäáãåçéèêëíìîïñóòôöõúùûüýÿ’", "aaaaaaceeeeiiiinooooouuuuyy'")


def fold(text: str) -> str:
    """Lower case without accents (a translation table for French letters; NFKD for the rest)."""
    out = text.lower().replace("œ", "oe").replace("æ", "ae").translate(_ACCENTS)
    if out.isascii():
        return out
    decomposed = unicodedata.normalize("NFKD", out)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """Light French stem: plural and feminine marks only ('interventions' → 'intervention',
    'dédiées' → 'dedie'); 'équipe' and 'équipement' stay apart."""
    if len(word) > 3 and word.endswith(("s", "x")):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    """Every word of `text` as the index holds it (stopwords and 1–2 letter words dropped)."""
    return [stem(w) for w in _WORD.findall(fold(text)) if len(w) > 2 and w not in STOPWORDS]


def normalize(text: str) -> str:
    """The text as indexed: its terms separated by spaces."""
    return " ".join(terms(text))


def query(texts: Iterable[str], limit: int = 40, boosted: Iterable[str] = ()) -> str:
    """An FTS5 MATCH expression: any of the distinct terms of `texts` (OR), quoted, at most `limit`.

    The terms of `boosted` texts are written twice: BM25 adds a score per phrase of the query, so they
    weigh double (a section's own title over the wording of its requirements)."""
    strong: list[str] = []
    for text in boosted:
        for t in terms(text):
            if t not in strong and not t.isdigit():
                strong.append(t)
    seen: list[str] = list(strong)
    for text in texts:
        for t in terms(text):
            if t not in seen and not t.isdigit():
                seen.append(t)
    chosen = seen[:limit]
    return " OR ".join([f'"{t}"' for t in chosen] + [f'"{t}"' for t in strong if t in chosen])
