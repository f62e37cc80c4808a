"""Requirements matrix: what the CCTP and the cadre de réponse demand, where, and which section answers.

Coverage is computed without a model: the key terms of a requirement present in the text of the section
it is mapped to. It is a reading aid for the bid writer, not a verdict.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.document import PieceText
from app.domain.kinds import PieceKind
from app.drafting.outline import Outline, OutlineSection
from app.drafting.text import fold, key_terms, normalize_space, stems_of
from app.drafting.themes import Theme, theme_of

# Phrases that make a sentence a requirement (folded: no accents, lower case).
_TRIGGERS = re.compile(
    r"\b(?:devra|devront|doit|doivent|obligatoire(?:ment)?|imperativement|est tenue?|sont tenue?s|"
    r"exige|exigee?s?|a la charge du titulaire|il appartient au titulaire|"
    r"(?:le candidat|le soumissionnaire|le titulaire|l'entreprise|le prestataire)\s+"
    r"(?:precisera|decrira|indiquera|presentera|detaillera|fournira|justifiera|expliquera|proposera)|"
    r"decrivez|presentez|listez|precisez|indiquez|detaillez|justifiez|expliquez|fournissez|joignez|proposez)\b"
)
# A sentence ends at ". " before a capital, but not after a list number ("1. Exploitation").
_SENTENCE_END = re.compile(r"(?<=[.;!?])(?<!\b\d\.)(?<!\b\d\d\.)\s+(?=[A-ZÀ-Ö«\"•▪-])")
_BULLET = re.compile(r"^\s*(?:[-•▪➢*]|\d{1,2}(?:\.\d{1,2})*[.)]?|[a-z][.)])\s+")
# A title line stands alone ("1.2 Moyens matériels", "Article 3 - Objet"): never glued to its paragraph.
_TITLE = re.compile(r"^\s*(?:(?:article|chapitre|partie)\s+\S+|\d{1,2}(?:\.\d{1,2})*[.)]?\s)", re.IGNORECASE)
_MIN_LEN, _MAX_LEN = 25, 600
_CONTINUED_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\)?\s+[a-zà-ÿ]")
_LEADING_BULLET = re.compile(r"^[-•▪➢*]\s+")
# A glossary entry ("Heures de service : Désigne les heures…") defines a word, it asks nothing.
_DEFINITION = re.compile(r"^[^:]{2,80}:\s*(?:designe|definit|signifie)\b")
# Constraints on the mémoire itself (length, font, format) concern the whole document.
_ABOUT_MEMOIRE = re.compile(r"\bmemoire\b")
_FORM_CONSTRAINT = re.compile(r"\b\d+\s*pages?\b|\bpolice\b|\bformat a[34]\b|\bcaracteres\b")
WHOLE_MEMOIRE = "Ensemble du mémoire"


def _is_bare_heading(line: str, following: str) -> bool:
    """An unnumbered heading ("Services d'Infrastructure") above a paragraph: short, capitalised, no
    final punctuation, and the next line starts a new sentence."""
    if not (
        3 <= len(line) < 100
        and line[:1].isupper()
        and not line.endswith((",", ".", ";", ":", "!", "?"))
        and following[:1].isupper()
        and not _TRIGGERS.search(fold(line))
    ):
        return False
    # A longer line may be a wrapped sentence followed by a name ("… pour\nVSGP"): a heading only
    # when the next line opens a sentence ("Afin de…", "Le titulaire…").
    first = re.split(r"[\s’']", following, maxsplit=1)[0]
    return len(line) < 70 or first in _SENTENCE_STARTS


_SENTENCE_STARTS = frozenset(
    {
        "Le",
        "La",
        "Les",
        "L",
        "Afin",
        "Il",
        "Ils",
        "Elle",
        "Elles",
        "Ce",
        "Cet",
        "Cette",
        "Ces",
        "Pour",
        "Dans",
        "En",
        "Chaque",
        "Un",
        "Une",
        "Des",
        "Tout",
        "Toute",
        "Tous",
        "Toutes",
        "Au",
        "Aux",
        "Si",
        "Lorsque",
        "Sur",
        "Par",
        "De",
        "Du",
        "Son",
        "Sa",
        "Ses",
        "Leur",
        "Leurs",
        "Lors",
        "Cependant",
        "Ainsi",
    }
)


class Coverage(StrEnum):
    COUVERTE = "couverte"
    PARTIELLE = "partielle"
    NON_COUVERTE = "non couverte"


@dataclass
class Requirement:
    ident: str  # "EX-001"
    text: str
    file: str
    page: int | None
    origin: PieceKind  # CCTP, CADRE_REPONSE (CCP when it holds the technical clauses)
    terms: list[str] = field(default_factory=list)
    section_key: str | None = None
    section_title: str | None = None
    coverage: Coverage = Coverage.NON_COUVERTE
    matched_terms: list[str] = field(default_factory=list)
    article: str | None = None  # "4.2", "Article 3": the clause of the piece it is in
    lot: str | None = None  # "lot n° 1" when the piece speaks per lot
    moved: bool = False  # the user put it in this section (Exigences)

    @property
    def key(self) -> str:
        """Stable across readings of the same DCE: the hash of the folded text."""
        return requirement_key(self.text)

    @property
    def reference(self) -> str:
        """ "l'article 4.2 du CCTP (lot n° 1)", "le CCTP (p. 3)": how the mémoire cites it."""
        piece = {PieceKind.CCTP: "CCTP", PieceKind.CCP: "CCP"}.get(self.origin, "cadre de réponse")
        lot = f" ({self.lot})" if self.lot else ""
        if self.article:
            return f"l'article {self.article} du {piece}{lot}"
        page = f", p.\u00a0{self.page}" if self.page else ""
        return f"le {piece}{lot}{page}"

    @property
    def section_label(self) -> str:
        """ "2.1 Moyens humains"; a cadre question already numbered keeps its own number once."""
        if not self.section_key:
            return self.section_title or "—"
        title = self.section_title or ""
        return title if title.startswith(self.section_key) else f"{self.section_key} {title}".strip()


def requirement_key(text: str) -> str:
    return hashlib.sha256(re.sub(r"\W+", " ", fold(text)).strip().encode()).hexdigest()[:16]


_SOURCE_KINDS = (PieceKind.CADRE_REPONSE, PieceKind.CCTP, PieceKind.CCP)
# A clause's title: "Article 4.2 – Horaires", "4.2 Horaires", "ARTICLE 3 :" → its number.
_ARTICLE = re.compile(
    r"^\s*(?:article\s+)?(\d{1,2}(?:\.\d{1,2}){0,3})\s*[.)]?\s*(?:[-–—:]\s*)?\S", re.IGNORECASE
)
_LOT_TITLE = re.compile(r"^\s*lot\s*n?\s*[°o]?\s*(\d{1,2})\b", re.IGNORECASE)


def _sentences(text: str) -> list[str]:
    """Sentences of a page: wrapped lines joined, bullets kept apart."""
    blocks: list[str] = []
    current: list[str] = []
    lines = [line.strip() for line in text.splitlines()]
    for i, stripped in enumerate(lines):
        following = next((x for x in lines[i + 1 :] if x), "")
        is_title = (
            (bool(_TITLE.match(stripped)) or _is_bare_heading(stripped, following))
            and len(stripped) < 100
            and not stripped.endswith((".", ";", ":"))
            and not following[:1].islower()  # a wrapped line goes on: not a title
        )
        # "(art.\n4.2.1) les briques…": a number that goes on a sentence is not a list item.
        open_paren = bool(current) and current[-1].count("(") > current[-1].count(")")
        continues = (
            bool(current)
            and (open_paren or not current[-1].endswith((".", ";", ":", "!", "?")))
            and bool(_CONTINUED_NUMBER.match(stripped))
        )
        if not stripped or (_BULLET.match(stripped) and not continues) or (is_title and not continues):
            if current:
                blocks.append(" ".join(current))
            current = [stripped] if stripped else []
            if is_title:
                blocks.append(stripped)
                current = []
        else:
            current.append(stripped)
    if current:
        blocks.append(" ".join(current))
    out: list[str] = []
    for block in blocks:
        out.extend(s.strip() for s in _SENTENCE_END.split(block) if s.strip())
    return out


_LIST_ITEM = re.compile(r"^\s*(?:[-•▪➢*]|[a-z][.)]|\d{1,2}[.)])\s+")


def _with_their_lists(sentences: list[str]) -> list[str]:
    """A "Le titulaire devra :" followed by bullets is one requirement: its items are what is asked."""
    out: list[str] = []
    i = 0
    while i < len(sentences):
        sentence = sentences[i]
        i += 1
        if sentence.rstrip().endswith(":"):
            items: list[str] = []
            while (
                i < len(sentences)
                and _LIST_ITEM.match(sentences[i])
                and len(items) < 8
                and len(sentence) + sum(len(x) for x in items) < _MAX_LEN - 100
            ):
                items.append(_LIST_ITEM.sub("", sentences[i]).rstrip(" ;."))
                i += 1
            if items:
                sentence = f"{sentence.rstrip()} {' ; '.join(items)}."
        out.append(sentence)
    return out


def _is_question(sentence: str) -> bool:
    return sentence.rstrip().endswith("?")


def extract_requirements(pieces: list[PieceText]) -> list[Requirement]:
    """Requirements of the CCTP / CCP / cadre de réponse pages, in reading order, deduplicated."""
    found: list[Requirement] = []
    seen: set[str] = set()
    ordered = sorted(
        (p for p in pieces if p.kind in _SOURCE_KINDS), key=lambda p: _SOURCE_KINDS.index(p.kind)
    )
    for piece in ordered:
        article: str | None = None
        lot: str | None = None
        for page in piece.pages:
            for sentence in _with_their_lists(_sentences(page.text)):
                sentence = _LEADING_BULLET.sub("", normalize_space(sentence))
                if len(sentence) < 100 and (m := _LOT_TITLE.match(sentence)):
                    lot, article = f"lot n° {m.group(1)}", None
                    continue
                if (
                    len(sentence) < 100
                    and not sentence.endswith((".", ";"))
                    and (m := _ARTICLE.match(sentence))
                ):
                    article = m.group(1)
                    continue
                if not (_MIN_LEN <= len(sentence) <= _MAX_LEN):
                    continue
                folded = fold(sentence)
                if _DEFINITION.search(folded):
                    continue
                asked = _TRIGGERS.search(folded) or (
                    piece.kind is PieceKind.CADRE_REPONSE and _is_question(sentence)
                )
                if not asked:
                    continue
                dedup = re.sub(r"\W+", " ", folded).strip()
                if dedup in seen:
                    continue
                seen.add(dedup)
                terms = key_terms(sentence, limit=8 if len(sentence) < 250 else 12)
                if not terms:
                    continue
                found.append(
                    Requirement(
                        ident=f"EX-{len(found) + 1:03d}",
                        text=sentence,
                        file=piece.path,
                        page=page.number if piece.paged else None,
                        origin=piece.kind,
                        terms=terms,
                        article=article,
                        lot=lot,
                    )
                )
    return found


def _section_words(section: OutlineSection) -> set[str]:
    return stems_of(
        " ".join([section.question or "", section.title, *section.prompts, section.criterion or ""])
    )


def map_requirements(
    requirements: list[Requirement], outline: Outline, moves: dict[str, str] | None = None
) -> None:
    """Each requirement → the section that answers it (its own cadre question when it is one).

    `moves`: requirement key → section key the user chose (Exigences); kept when the section exists."""
    if not outline.sections:
        return
    words = {s.key: _section_words(s) for s in outline.sections}
    for req in requirements:
        moved = (moves or {}).get(req.key)
        target_section = outline.find(moved) if moved else None
        if target_section is not None:
            req.section_key, req.section_title, req.moved = target_section.key, target_section.title, True
            continue
        folded = fold(req.text)
        if _ABOUT_MEMOIRE.search(folded) and _FORM_CONSTRAINT.search(folded):
            req.section_key, req.section_title = None, WHOLE_MEMOIRE
            continue
        target = _own_section(req, outline) or _best_section(req, outline, words)
        req.section_key, req.section_title = target.key, target.title


def _own_section(req: Requirement, outline: Outline) -> OutlineSection | None:
    folded = fold(req.text)
    for s in outline.sections:
        if (
            any(fold(p) in folded or folded in fold(p) for p in s.prompts)
            or fold(s.title) in folded
            or (s.question and fold(s.question) in folded)
        ):
            return s
    return None


def _best_section(req: Requirement, outline: Outline, words: dict[str, set[str]]) -> OutlineSection:
    theme = theme_of(req.text)
    # Headings that only introduce their sub-sections answer nothing themselves.
    leaves = [s for s in outline.sections if s.prompts or not outline.children(s)] or outline.sections
    best, best_score = leaves[0], -1.0
    asked = _aspects(req.text)
    subjects = subjects_of(req.text)
    for s in leaves:
        score = float(len(set(req.terms) & words[s.key]))
        # Same theme; for "qualité, sécurité, environnement" the same side of it (an IT security
        # clause is not answered under "empreinte carbone").
        if s.theme is theme and (theme is not Theme.QSE or not asked or asked & _aspects(s.title)):
            score += 1.5
        # What the requirement is about, against what the section is about: a lighting level is a
        # prescription on the work delivered, not a staffing question.
        shared = subjects & section_subjects(s)
        if shared:
            score += 4.0 if shared - {TECHNIQUE} else 1.5
        elif subjects and section_subjects(s):
            score -= 1.0
        if s.level > 1:
            score += 0.1  # the precise sub-section over its parent
        if score > best_score:
            best, best_score = s, score
    return best


# Subjects of a requirement and of a section (folded word starts). A requirement with none of them is
# a prescription on the work itself (TECHNIQUE): answered where the quality of the work is.
TECHNIQUE = "technique"
_SUBJECTS: dict[str, tuple[str, ...]] = {
    "site": (
        "site occupe",
        "occupe",
        "usager",
        "horaire",
        "riverain",
        "circulation",
        "acces au site",
        "service des sports",
        "en accord avec",
        "organisation du chantier",
        "securite des",
    ),
    "equipe": (
        "chef de chantier",
        "conducteur de travaux",
        "equipe",
        "encadrement",
        "effectif",
        "compagnon",
        "cv ",
        "interlocuteur",
        "moyens humains",
        "personnel affecte",
        "present",
    ),
    "materiel": ("materiel", "engin", "grue", "outillage", "echafaudage", "provenance", "vehicule"),
    "dechets": ("dechet", "gravat", "tri ", "filiere", "benne", "bordereau", "valoris", "propre"),
    "environnement": ("carbone", "energ", "environnement", "durable", "emission", "eco-"),
    "nuisances": ("bruit", "poussiere", "nuisance", "sonore", "vibration"),
    "planning": ("planning", "delai", "phasage", "calendrier", "point d'arret", "duree", "jalon"),
    TECHNIQUE: (
        "qualite",
        "controle",
        "autocontrole",
        "conform",
        "dtu",
        "norme",
        "notes de calcul",
        "certifi",
        "classement",
        "dossier des ouvrages",
        "doe",
        "mise en service",
        "fiche",
    ),
}
_SUBJECT_PATTERNS = {name: [re.compile(r"\b" + re.escape(w)) for w in ws] for name, ws in _SUBJECTS.items()}


def subjects_of(text: str) -> set[str]:
    folded = f" {fold(text)} "
    found = {name for name, pats in _SUBJECT_PATTERNS.items() if any(p.search(folded) for p in pats)}
    return found or {TECHNIQUE}


def section_subjects(section: OutlineSection) -> set[str]:
    text = " ".join([section.question or section.title, section.title, *section.prompts])
    folded = f" {fold(text)} "
    return {name for name, pats in _SUBJECT_PATTERNS.items() if any(p.search(folded) for p in pats)}


_ASPECTS = {
    "environnement": (
        "environnement",
        "dechet",
        "carbone",
        "energ",
        "nuisance",
        "bruit",
        "durable",
        "recycl",
    ),
    "qualite": ("qualite", "controle", "conformite", "amelioration continue"),
    "securite": ("securite", "cyber", "vulnerab", "hygiene", "prevention", "sante", "protection"),
}


def _aspects(text: str) -> set[str]:
    folded = fold(text)
    return {name for name, words in _ASPECTS.items() if any(w in folded for w in words)}


def compute_coverage(requirements: list[Requirement], section_texts: dict[str, str]) -> None:
    """Key terms of the requirement found in its section's text: ≥ 60 % couverte, ≥ 30 % partielle."""
    stems_cache: dict[str, set[str]] = {}
    for req in requirements:
        key = req.section_key or ""
        if key not in stems_cache:
            # A constraint on the whole mémoire is looked for in all of it.
            text = section_texts.get(key, "") if key else " ".join(section_texts.values())
            stems_cache[key] = stems_of(text)
        present = stems_cache[key]
        req.matched_terms = [t for t in req.terms if t in present]
        ratio = len(req.matched_terms) / len(req.terms) if req.terms else 0.0
        if ratio >= 0.6:
            req.coverage = Coverage.COUVERTE
        elif ratio >= 0.3:
            req.coverage = Coverage.PARTIELLE
        else:
            req.coverage = Coverage.NON_COUVERTE


def coverage_summary(requirements: list[Requirement]) -> dict[Coverage, int]:
    counts = dict.fromkeys(Coverage, 0)
    for req in requirements:
        counts[req.coverage] += 1
    return counts
