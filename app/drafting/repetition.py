"""No sentence twice in one mémoire: found across sections (with the places), and dropped from drafts."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.drafting.body import strip_markers, strip_reuse_marks, to_blocks
from app.drafting.text import fold

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ«\"])")
MIN_WORDS = 5  # "Déchets :" and other labels are not sentences


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph (markers removed; labels and short lines left out)."""
    out = []
    for part in _SPLIT.split(strip_markers(text)):
        part = re.sub(r"\s+", " ", part).strip()
        if len(part.split()) >= MIN_WORDS:
            out.append(part)
    return out


def _key(sentence: str) -> str:
    return re.sub(r"\W+", " ", fold(sentence)).strip()


def body_sentences(body: str) -> list[str]:
    return [s for b in to_blocks(body) if b.kind in ("paragraph", "bullet") for s in sentences(b.text)]


def repeated_sentences(sections: Iterable[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(sentence, [labels of the sections where it is]) for each sentence found more than once."""
    places: dict[str, list[str]] = {}
    first: dict[str, str] = {}
    for label, body in sections:
        for s in body_sentences(body):
            k = _key(s)
            first.setdefault(k, s)
            places.setdefault(k, []).append(label)
    return [(first[k], where) for k, where in places.items() if len(where) > 1]


def drop_repeats(body: str, seen: set[str]) -> str:
    """The body without the sentences already in `seen` (updated with this body's): bullets and
    paragraphs emptied by it go; tables, headings and marks stay."""
    out: list[str] = []
    for paragraph in strip_reuse_marks_keep(body):
        lines = paragraph.split("\n")
        if any(line.startswith(("|", "[[", "### ")) for line in lines):
            out.append(paragraph)
            continue
        bullet = paragraph.startswith("- ")
        text = paragraph[2:] if bullet else paragraph
        kept = []
        for part in _SPLIT.split(text):
            k = _key(strip_markers(part))
            if len(strip_markers(part).split()) >= MIN_WORDS and k in seen:
                continue
            if len(strip_markers(part).split()) >= MIN_WORDS:
                seen.add(k)
            kept.append(part)
        if kept and any(strip_markers(p).strip() or "[à compléter" in p for p in kept):
            out.append(("- " if bullet else "") + " ".join(kept))
    return "\n\n".join(out)


def strip_reuse_marks_keep(body: str) -> list[str]:
    """The body's paragraphs (blank-line separated), marks included."""
    return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]


__all__ = ["body_sentences", "drop_repeats", "repeated_sentences", "sentences", "strip_reuse_marks"]
