"""The company's past answers reused per section: found by what the section must answer, adapted to the
new consultation, and marked so the bid writer re-reads them.

Search is SQLite FTS5 with BM25 over words folded and lightly stemmed on both sides (local_store.text_norm):
accents, case and plurals do not matter. The query is the section's question, title, criterion,
sub-criteria and the requirements mapped to it. A block is proposed with its score and origin; the
offline draft takes the best ones above THRESHOLD, each block at most once per mémoire.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Protocol

from app.domain.analysis import Analysis
from app.drafting.body import REUSE_END, reuse_start
from app.drafting.markers import marker
from app.drafting.outline import OutlineSection
from app.drafting.text import fold, stems_of
from app.drafting.themes import Theme
from local_store import text_norm
from local_store.repo_library import WEIGHTS


class LibraryText(Protocol):
    """A reusable block of the company's library (local_store.repo_library.LibraryBlock fits)."""

    @property
    def title(self) -> str: ...
    @property
    def tags(self) -> list[str]: ...
    @property
    def body(self) -> str: ...


class LibraryIndex(Protocol):
    def search(self, match: str, limit: int) -> list[tuple[LibraryText, float]]:
        """Blocks for an FTS5 expression of normalised words, best first, with a BM25 score (> 0)."""
        ...


class ListIndex:
    """The drafting index over blocks held in memory (demo, tests, a library not in a store)."""

    def __init__(self, blocks: Sequence[LibraryText]) -> None:
        from local_store.text_rank import MemoryIndex

        self.blocks = list(blocks)
        self._index = MemoryIndex([(b.title, " ".join(b.tags), b.body) for b in self.blocks])

    def search(self, match: str, limit: int) -> list[tuple[LibraryText, float]]:
        return [(self.blocks[i], score) for i, score in self._index.search(match, limit, WEIGHTS)]


class StoreIndex:
    """The drafting index kept in the store (library_fts_norm), refreshed once when opened."""

    def __init__(self, store: object) -> None:
        from local_store import repo_library
        from local_store.store import Store

        assert isinstance(store, Store)
        self._store = store
        repo_library.refresh_index(store)

    def search(self, match: str, limit: int) -> list[tuple[LibraryText, float]]:
        from local_store import repo_library

        return list(repo_library.rank(self._store, match, limit))


# A block is used when its score, per query term, reaches this (BM25 grows with the number of terms
# of the query a block holds; per term it compares sections with short and long queries).
THRESHOLD = 1.0
MAX_BLOCKS = 2


@dataclass(frozen=True)
class Proposal:
    block: LibraryText
    score: float  # relevance per query term, higher is better; ≥ THRESHOLD: used by the offline draft
    origin: str  # "memoire_travaux.docx (01/2025), « Gestion des déchets »"

    @property
    def ident(self) -> str:
        return block_id(self.block)


def block_id(block: LibraryText) -> str:
    return str(getattr(block, "uuid", None) or f"{block.title}\n{block.body[:200]}")


def origin_of(block: LibraryText) -> str:
    source = getattr(block, "source_file", None)
    day = getattr(block, "source_date", None)
    where = source or "bibliothèque"
    if isinstance(day, date):
        where += f" ({day:%m/%Y})"
    return f"{where}, « {block.title} »"


# Tags of the library (app.library.tags) that answer each theme of the outline.
_THEME_TAGS: dict[Theme, set[str]] = {
    Theme.PRESENTATION: {"présentation"},
    Theme.COMPREHENSION: {"compréhension"},
    Theme.METHODOLOGIE: {"méthodologie", "sécurité", "qualité"},
    Theme.ORGANISATION: {"moyens humains", "formation"},
    Theme.MOYENS_MATERIELS: {"moyens matériels"},
    Theme.PLANNING: {"planning"},
    Theme.QSE: {"qualité", "sécurité", "environnement"},
    Theme.REFERENCES: {"présentation"},
    Theme.SAV: {"SAV", "réception", "réversibilité"},
    Theme.RISQUES: {"réversibilité", "sécurité", "SAV"},
    Theme.GENERIQUE: set(),
}
_WORKS_WORDS = re.compile(
    r"\b(?:chantiers?|travaux|gros oeuvre|maconneries?|ouvrages?|rehabilitation|construction)\b"
)
_SERVICE_WORDS = re.compile(
    r"\b(?:maintenance|entretien|prestation|exploitation|infogerance|nettoyage|assistance)\b"
)


def _is_works_block(block: LibraryText) -> bool:
    """From the old consultation's object when the import found it ("Maintenance et petits travaux
    d'entretien…" is services), else from the block's own words."""
    facts = getattr(block, "source_facts", None) or {}
    return _is_works_text(facts.get("object") or f"{block.title} {block.body[:800]}")


@lru_cache(maxsize=4096)
def _is_works_text(text: str) -> bool:
    folded = fold(text)
    return len(_WORKS_WORDS.findall(folded)) > len(_SERVICE_WORDS.findall(folded))


def section_query(section: OutlineSection, requirement_texts: Sequence[str] = ()) -> str:
    """The section's words first (title, question, sub-criteria), then its requirements'."""
    own = [section.title, section.question or "", *section.prompts]
    return text_norm.query([*own, section.criterion or "", *requirement_texts], limit=40, boosted=own)


def propose(
    section: OutlineSection,
    index: LibraryIndex,
    requirement_texts: Sequence[str] = (),
    *,
    works: bool | None = None,
    exclude: set[str] | frozenset[str] = frozenset(),
    limit: int = 5,
) -> list[Proposal]:
    """The best blocks for a section, best first, with their score and origin."""
    match = section_query(section, requirement_texts)
    if not match:
        return []
    n_terms = len(set(match.split(" OR ")))
    heading = stems_of(f"{section.title} {section.question or ''} {' '.join(section.prompts)}")
    # The library's tags, and the theme's own name (tags typed by hand before the import existed).
    wanted_tags = {t.lower() for t in _THEME_TAGS.get(section.theme, set())} | {section.theme.value}
    out: list[Proposal] = []
    for block, bm25 in index.search(match, limit * 2 + 2):
        if block_id(block) in exclude:
            continue
        score = bm25 / max(4.0, n_terms**0.5 * 2)
        shared_title = len(heading & stems_of(block.title))
        score += 0.5 * min(shared_title, 3)
        tags = {t.lower() for t in block.tags}
        if wanted_tags & tags:
            score += 0.25
        elif wanted_tags:
            score -= 0.25 if tags else 0.1
        if works is not None and _is_works_block(block) != works:
            score *= 0.45  # a services answer read in a works mémoire (or the other way) fits less
        out.append(Proposal(block, round(score, 3), origin_of(block)))
    out.sort(key=lambda p: -p.score)
    return out[:limit]


# --- adapting a reused text to the new consultation -------------------------------------------------------
_SITE_WORDS = (
    "gymnase",
    "groupe scolaire",
    "école",
    "collège",
    "lycée",
    "bâtiment",
    "mairie",
    "salle",
    "piscine",
    "crèche",
    "médiathèque",
    "stade",
    "hôtel de ville",
    "logements",
    "résidence",
    "maison",
    "centre",
    "équipement",
    "bâtiments",
)
_SITE = re.compile(
    r"\b(?:du|de la|de l['’]|des)\s+((?:" + "|".join(_SITE_WORDS) + r")\b[^,;:()]*)", re.IGNORECASE
)
_DATES = re.compile(
    r"\b\d{1,2}(?:er)?\s+(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
    r"décembre)\s+\d{4}\b|\b\d{1,2}/\d{1,2}/\d{4}\b",
    re.IGNORECASE,
)


def site_of(analysis: Analysis) -> str | None:
    """The place of the new consultation when its object names it ("… du gymnase intercommunal de X")."""
    m = _SITE.search(analysis.object or "")
    return m.group(1).strip() if m else None


@dataclass
class Adaptation:
    text: str
    replaced: list[tuple[str, str]] = field(default_factory=list)  # (old, new)


def adapt(body: str, facts: dict[str, str] | None, analysis: Analysis) -> Adaptation:
    """The old consultation's buyer, object and site replaced by the new ones; its dates to be given."""
    out = Adaptation(body)
    facts = facts or {}
    new_site = site_of(analysis) or "site de l'opération"
    pairs = [
        (facts.get("object"), analysis.object),
        (facts.get("buyer"), analysis.buyer),
        (facts.get("site"), new_site),
    ]
    for old, new in pairs:
        if not old or not new or old == new:
            continue
        if old in out.text:
            out.text = out.text.replace(old, new)
            out.replaced.append((old, new))
    if _DATES.search(out.text):
        out.text = _DATES.sub(marker("date propre à cette consultation"), out.text)
        out.replaced.append(("dates", "à compléter"))
    return out


# --- the mark on reused text (shown in the editor, never exported): app.drafting.body ----------------------
def reused_text(proposal: Proposal, analysis: Analysis) -> str:
    """The block adapted, between the marks that say where it comes from (to re-read)."""
    adapted = adapt(proposal.block.body.strip(), getattr(proposal.block, "source_facts", None), analysis)
    return "\n\n".join([reuse_start(proposal.origin), adapted.text, REUSE_END])
