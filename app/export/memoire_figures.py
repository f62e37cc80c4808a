"""What the buyer will read, measured on the exported memoire.docx itself (demo and tests).

Words of substantive text per section (placeholders not counted), CCTP requirements present as
commitments in the section they are mapped to, repeated sentences, `[à compléter]` markers and any
"non couverte" left in the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.numbers import percent
from app.drafting.commitments import COMMITTED_KINDS
from app.drafting.markers import MARKER_RE
from app.drafting.repetition import sentences
from app.drafting.requirements import Requirement
from app.drafting.text import fold, stems_of

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


@dataclass
class DocSection:
    level: int
    heading: str
    paragraphs: list[str] = field(default_factory=list)  # body text, table cells one per line

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def substantive_words(self) -> int:
        """Words of the section's own text: markers and the buyer's question left out."""
        body = "\n".join(p for p in self.paragraphs if not p.startswith("Question de l'acheteur"))
        return len(_WORD.findall(MARKER_RE.sub(" ", body)))


def read_sections(path: Path) -> list[DocSection]:
    """The mémoire's sections in order (from the first heading; the cover and contents left out)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    out: list[DocSection] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            style = para.style.name if para.style is not None else ""
            text = para.text.strip()
            if style.startswith("Heading ") and text:
                level = int(style.split()[-1]) if style.split()[-1].isdigit() else 1
                if level <= 2:
                    out.append(DocSection(level, text))
                    continue
            if out and text:
                out[-1].paragraphs.append(text)
        elif tag == "tbl" and out:
            for row in Table(child, document).rows:
                out[-1].paragraphs.append(" | ".join(c.text.strip() for c in row.cells))
    return out


@dataclass
class Figures:
    words: dict[str, int]  # heading → substantive words
    committed: int  # CCTP requirements mapped to a section that appear there as commitments
    mapped: int  # CCTP requirements mapped to a section
    repeated: list[str]  # sentences found twice or more
    markers: list[str]  # what the `[à compléter : …]` markers ask
    non_couverte: int

    @property
    def commitment_ratio(self) -> float:
        return self.committed / self.mapped if self.mapped else 1.0

    def lines(self) -> list[str]:
        least = min(self.words.values()) if self.words else 0
        out = [
            f"Mots par section (hors éléments à compléter) : au moins {least}",
            f"Exigences du CCTP reprises en engagements : {self.committed}/{self.mapped} "
            f"({percent(self.commitment_ratio * 100, 0)})",
            f"Phrases répétées : {len(self.repeated)}",
            f"« non couverte » dans le mémoire : {self.non_couverte}",
            f"Éléments [à compléter] : {len(self.markers)}",
        ]
        out += [f"  - {m}" for m in self.markers]
        return out


def is_commitment_of(req: Requirement, text: str) -> bool:
    """The requirement's reference and most of its key terms in one paragraph of the section."""
    wanted = f"conformement a {fold(req.reference)}"
    for paragraph in text.split("\n"):
        folded = fold(paragraph)
        if wanted in folded:
            present = stems_of(paragraph)
            if req.terms and sum(t in present for t in req.terms) / len(req.terms) >= 0.6:
                return True
    return False


def figures(path: Path, requirements: list[Requirement], section_keys: list[str]) -> Figures:
    """`section_keys`: the outline's keys in the order of the document's headings."""
    sections = read_sections(path)
    annex = [s for s in sections if s.heading.startswith("Annexe")]
    body = [s for s in sections if s not in annex]
    by_key = dict(zip(section_keys, body, strict=False))
    committed = mapped = 0
    for req in requirements:
        if req.origin not in COMMITTED_KINDS or not req.section_key or req.section_key not in by_key:
            continue
        mapped += 1
        committed += is_commitment_of(req, by_key[req.section_key].text)
    seen: dict[str, int] = {}
    for s in body:
        for sentence in (x for p in s.paragraphs if " | " not in p for x in sentences(p)):
            key = re.sub(r"\W+", " ", fold(sentence)).strip()
            seen[key] = seen.get(key, 0) + 1
    all_text = "\n".join(s.text for s in sections)
    import docx

    document = docx.Document(str(path))
    whole = "\n".join(p.text for p in document.paragraphs) + "\n" + all_text
    return Figures(
        words={s.heading: s.substantive_words() for s in body},
        committed=committed,
        mapped=mapped,
        repeated=[k for k, n in seen.items() if n > 1],
        markers=[m for s in body for m in MARKER_RE.findall(s.text)],
        non_couverte=fold(whole).count("non couverte"),
    )
