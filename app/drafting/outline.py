"""The mémoire's outline: the cadre de réponse's own headings when the DCE has one, else the criteria.

The buyer scores what the cadre de réponse asks (in its order and wording) or, without one, the
criteria and sub-criteria: the outline follows exactly that, never a generic plan of our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.analysis import Analysis, Criterion
from app.domain.document import PieceText
from app.domain.kinds import PieceKind
from app.drafting.text import fold, key_terms, normalize_space, stems_of
from app.drafting.themes import DEFAULT_TECHNICAL_THEMES, THEME_LABELS, Theme, theme_of


class OutlineSource(StrEnum):
    CADRE_REPONSE = "cadre_reponse"
    CRITERIA = "criteria"


@dataclass
class OutlineSection:
    key: str  # "1", "1.2", "2.3.1": position in the outline
    title: str
    level: int  # 1..3 (Heading 1..3)
    theme: Theme = Theme.GENERIQUE
    criterion: str | None = None  # criterion / sub-criterion or cadre question it answers
    weight_percent: float | None = None
    prompts: list[str] = field(default_factory=list)  # the cadre's questions under this heading
    source_file: str | None = None
    source_page: int | None = None
    question: str | None = None  # the buyer's wording when the title was turned into a statement


@dataclass
class Outline:
    source: OutlineSource
    sections: list[OutlineSection]
    # Said to the user when the plan rests on criteria the analysis marked à vérifier.
    note: str | None = None

    def find(self, key: str) -> OutlineSection | None:
        return next((s for s in self.sections if s.key == key), None)

    def children(self, section: OutlineSection) -> list[OutlineSection]:
        """The direct sub-sections of `section` (keys "2.1", "2.2" under "2")."""
        prefix = f"{section.key}."
        return [s for s in self.sections if s.key.startswith(prefix) and s.level == section.level + 1]


# "1.", "1.2 ", "2.3.1 -", "Question 3 :", "Q4)", "PARTIE II –", "Chapitre 2 :"
_NUMBERED = re.compile(
    r"^\s*(?:(?P<q>question|q)\s*n?[°o]?\s*)?(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\s*[.)]?\s*(?:[-–—:]\s*)?"
    r"(?P<text>[A-ZÀ-ÖØ-Þa-zà-öø-ÿ«\"(].*)$",
    re.IGNORECASE,
)
_PART = re.compile(
    r"^\s*(?:partie|chapitre|titre|section)\s+(?P<num>[IVX]{1,4}|\d{1,2})\s*[.)]?\s*(?:[-–—:]\s*)?(?P<text>.*)$",
    re.IGNORECASE,
)
_TOC_LINE = re.compile(r"(\.{4,}|…{2,})\s*\d*\s*$")
_ASKS = re.compile(
    r"^\s*(?:[-•▪➢*]\s*)?(?:le candidat|le soumissionnaire|le titulaire|l['’]entreprise|vous|il est demandé|"
    r"préciser|décrire|indiquer|présenter|détailler|justifier|fournir|expliquer)",
    re.IGNORECASE,
)
_WEIGHT = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*(?:%|points?\b|pts\b)", re.IGNORECASE)
_PRICE_WORDS = ("prix", "cout", "montant", "tarif", "financ")


_IMPERATIVE = re.compile(
    r"\b(?:decrivez|presentez|listez|precisez|indiquez|detaillez|justifiez|expliquez|fournissez|joignez|proposez)\b"
)


def is_question(title: str) -> bool:
    """A heading that is itself a question of the cadre ("1.2 Présentez le planning…")."""
    return title.rstrip().endswith("?") or _IMPERATIVE.search(fold(title)) is not None


# "Décrivez l'…", "Le candidat présentera les …", "Merci de préciser le …": the asking words, then an article.
_ASKING = re.compile(
    r"^(?:(?:le candidat|le soumissionnaire|vous)\s+)?(?:merci de\s+|veuillez\s+)?"
    r"(?:d[ée]cri(?:vez|re|ra)|pr[ée]sente(?:z|r|ra)|liste(?:z|r|ra)|pr[ée]cise(?:z|r|ra)|indique(?:z|r|ra)|"
    r"d[ée]taille(?:z|r|ra)|justifie(?:z|r|ra)|explique(?:z|r|ra)|fourni(?:ssez|r|ra)|joigne(?:z)?|propose(?:z|r|ra)|"
    r"d[ée]montre(?:z|r|ra)|exposez?)\s+",
    re.IGNORECASE,
)
_ARTICLE_START = re.compile(
    r"^(?:l['’]|le\s+|la\s+|les\s+|un\s+|une\s+|des\s+|vos\s+|votre\s+)", re.IGNORECASE
)
_AND_ARTICLE = re.compile(r"\b(et|ainsi que)\s+(?:(?:les|le|la|vos|votre)\s+|l['’])", re.IGNORECASE)
_NUMBER_PREFIX = re.compile(
    r"^\s*(?:(?:question|q)\s*n?[°o]?\s*)?\d{1,2}(?:\.\d{1,2}){0,3}\s*[.)]?\s*(?:[-–—:]\s*)?", re.IGNORECASE
)


def statement_title(title: str) -> str:
    """The buyer's question as a heading that states what the section holds:
    "1.1 Décrivez l'organisation du chantier en site occupé et les mesures de sécurité des usagers."
    → "1.1 Organisation du chantier en site occupé et mesures de sécurité des usagers".
    A title that is not a question, or not one of the usual forms, is returned unchanged."""
    prefix_match = _NUMBER_PREFIX.match(title)
    prefix = prefix_match.group(0) if prefix_match else ""
    text = title[len(prefix) :].strip()
    asked = _ASKING.match(text)
    if not asked:
        return title
    rest = _ARTICLE_START.sub("", text[asked.end() :].strip())
    rest = _AND_ARTICLE.sub(lambda m: f"{m.group(1)} ", rest).rstrip(" .?;:")
    # A detail in brackets at the end ("(CV du conducteur…)") stays in the question under the title.
    shorter = re.sub(r"\s*\([^()]*\)$", "", rest)
    if shorter != rest and len(shorter.split()) >= 3 and "," not in rest[len(shorter) :]:
        rest = shorter
    if len(rest.split()) < 2:
        return title
    return f"{prefix}{rest[:1].upper()}{rest[1:]}"


def is_price_criterion(name: str) -> bool:
    """Price is answered in the DPGF/BPU, not in the mémoire."""
    folded = fold(name)
    return any(folded.startswith(w) or f" {w}" in folded for w in _PRICE_WORDS) and "technique" not in folded


def _weight_in(text: str) -> float | None:
    m = _WEIGHT.search(text)
    if not m:
        return None
    value = float(m.group(1).replace(",", "."))
    return value if 0 < value <= 100 else None


def _join_wrapped(lines: list[str]) -> list[str]:
    """PDF text wraps long headings; a line starting in lower case continues the previous one."""
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            out.append("")
            continue
        if out and out[-1] and line[0].islower() and not out[-1].endswith((".", "?", ":", ";")):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def cadre_outline(pieces: list[PieceText], analysis: Analysis | None = None) -> list[OutlineSection]:
    """Headings and questions of the cadre de réponse pieces, in order, with their page."""
    sections: list[OutlineSection] = []
    criteria = _flat_criteria(analysis) if analysis else []
    for piece in pieces:
        if piece.kind is not PieceKind.CADRE_REPONSE:
            continue
        found = _numbered_headings(piece)
        if not found:  # a cadre without numbers: short lines followed by what is asked
            found = _plain_headings(piece, analysis)
        sections.extend(found)
    _number(sections)
    parents: dict[int, OutlineSection] = {}
    for s in sections:
        statement = statement_title(s.title)
        if statement != s.title:
            s.question, s.title = s.title, statement
        s.theme = theme_of(s.question or s.title, " ".join(s.prompts))
        s.weight_percent = _weight_in(s.title)
        parent = parents.get(s.level - 1)
        # A question under a scored heading answers that heading's criterion.
        s.criterion = (parent.criterion if parent else None) or _best_criterion(s.title, criteria)
        parents[s.level] = s
    return sections


def _lines(piece: PieceText) -> list[tuple[int | None, str]]:
    out: list[tuple[int | None, str]] = []
    for page in piece.pages:
        page_no = page.number if piece.paged else None
        for line in _join_wrapped(page.text.splitlines()):
            if line and not _TOC_LINE.search(line) and len(line) <= 400:
                out.append((page_no, line))
    return out


def _numbered_headings(piece: PieceText) -> list[OutlineSection]:
    sections: list[OutlineSection] = []
    for page_no, line in _lines(piece):
        part = _PART.match(line)
        num = _NUMBERED.match(line) if not part else None
        if part:
            sections.append(
                OutlineSection(
                    key="", title=normalize_space(line), level=1, source_file=piece.path, source_page=page_no
                )
            )
        elif num and not re.match(r"^\d+[.,]\d+\s*(?:€|%|m)", line):
            depth = num.group("num").count(".") + 1
            if num.group("q") and sections and sections[-1].level == 1 and _PART.match(sections[-1].title):
                depth = 2
            sections.append(
                OutlineSection(
                    key="",
                    title=normalize_space(line),
                    level=min(depth, 3),
                    source_file=piece.path,
                    source_page=page_no,
                )
            )
        elif sections and (_ASKS.match(line) or line.endswith("?")):
            sections[-1].prompts.append(normalize_space(line))
    return sections


_NOT_A_HEADING = ("cadre de reponse", "memoire technique", "consultation n", "reponse du candidat")


def _plain_headings(piece: PieceText, analysis: Analysis | None) -> list[OutlineSection]:
    """Unnumbered cadre: a short line without final punctuation, followed by a question or a
    "le candidat précisera…", is a heading; the questions under it are its prompts."""
    lines = _lines(piece)
    skip = {fold(x) for x in (analysis.object, analysis.buyer) if x} if analysis else set()
    sections: list[OutlineSection] = []
    for i, (page_no, line) in enumerate(lines):
        asks = bool(_ASKS.match(line)) or line.endswith("?")
        following = lines[i + 1][1] if i + 1 < len(lines) else ""
        folded = fold(line)
        heading = (
            not asks
            and len(line) <= 90
            and line[:1].isupper()
            and not line.endswith((".", ":", ";", ","))
            and (bool(_ASKS.match(following)) or following.endswith("?"))
            and not any(w in folded for w in _NOT_A_HEADING)
            and folded not in skip
        )
        if heading:
            sections.append(
                OutlineSection(
                    key="", title=normalize_space(line), level=1, source_file=piece.path, source_page=page_no
                )
            )
        elif sections and asks:
            sections[-1].prompts.append(normalize_space(line))
    return sections


def _flat_criteria(analysis: Analysis) -> list[tuple[str, float | None]]:
    out: list[tuple[str, float | None]] = []
    for c in analysis.criteria:
        out.append((c.name, c.weight_percent))
        out.extend((s.name, s.weight_percent) for s in c.subcriteria)
    return out


def _best_criterion(title: str, criteria: list[tuple[str, float | None]]) -> str | None:
    stems = stems_of(title)
    best, best_score = None, 0
    for name, _ in criteria:
        score = len(stems & set(key_terms(name, 12)))
        if score > best_score:
            best, best_score = name, score
    return best


def _number(sections: list[OutlineSection]) -> None:
    """Keys "1", "1.1", "1.1.1" from the levels (the cadre's own numbers stay in the titles)."""
    counters = [0, 0, 0]
    for s in sections:
        level = max(1, min(s.level, 3))
        if level > 1 and counters[level - 2] == 0:
            level = 1 if level == 2 or counters[0] == 0 else 2  # no parent: promote
        s.level = level
        counters[level - 1] += 1
        for i in range(level, 3):
            counters[i] = 0
        s.key = ".".join(str(c) for c in counters[:level])


def criteria_outline(analysis: Analysis) -> list[OutlineSection]:
    """Technical criteria (price is answered elsewhere) and their sub-criteria, with weights."""
    sections: list[OutlineSection] = []
    technical = [c for c in analysis.criteria if not is_price_criterion(c.name)]
    for c in technical:
        sections.append(_criterion_section(c))
        subs = [s for s in c.subcriteria if not is_price_criterion(s.name)]
        for sub in subs:
            sections.append(
                OutlineSection(
                    key="",
                    title=sub.name,
                    level=2,
                    theme=theme_of(sub.name),
                    criterion=sub.name,
                    weight_percent=sub.weight_percent,
                    source_file=c.evidence.file if c.evidence else None,
                    source_page=c.evidence.page if c.evidence else None,
                )
            )
        if not subs and theme_of(c.name) in (Theme.METHODOLOGIE, Theme.GENERIQUE):
            # A single "Valeur technique" criterion: the usual parts of a technical answer under it.
            for theme in DEFAULT_TECHNICAL_THEMES:
                sections.append(
                    OutlineSection(key="", title=THEME_LABELS[theme], level=2, theme=theme, criterion=c.name)
                )
    if not sections:
        for theme in (Theme.PRESENTATION, *DEFAULT_TECHNICAL_THEMES):
            sections.append(OutlineSection(key="", title=THEME_LABELS[theme], level=1, theme=theme))
    elif not any(s.theme is Theme.REFERENCES for s in sections):
        # Where the company's references and moyens are shown, before what is scored.
        sections.insert(
            0,
            OutlineSection(key="", title=THEME_LABELS[Theme.PRESENTATION], level=1, theme=Theme.PRESENTATION),
        )
    _number(sections)
    return sections


def _criterion_section(c: Criterion) -> OutlineSection:
    return OutlineSection(
        key="",
        title=c.name,
        level=1,
        theme=theme_of(c.name, " ".join(s.name for s in c.subcriteria)),
        criterion=c.name,
        weight_percent=c.weight_percent,
        source_file=c.evidence.file if c.evidence else None,
        source_page=c.evidence.page if c.evidence else None,
    )


def build_outline(analysis: Analysis, pieces: list[PieceText]) -> Outline:
    cadre = cadre_outline(pieces, analysis)
    if len(cadre) >= 2:
        return Outline(OutlineSource.CADRE_REPONSE, cadre)
    note = (
        "Plan construit sur des critères de jugement à vérifier dans le RC (pondérations incertaines)."
        if analysis.doubtful("criteria")
        else None
    )
    return Outline(OutlineSource.CRITERIA, criteria_outline(analysis), note=note)
