"""Automatic numbering of DOCX paragraphs ("1.", "1.2", "a)"), which python-docx does not render.

Cadres de réponse number their questions with Word's list numbering; without it "1.2 Décrivez…"
would read "Décrivez…". Counters follow numbering.xml (per abstract list, deeper levels restart).
"""

from __future__ import annotations

import logging
from typing import Any

from app.dce.extractors.ooxml import qn

log = logging.getLogger(__name__)

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


def _val(el: Any, tag: str) -> str | None:
    child = el.find(qn(tag)) if el is not None else None
    return None if child is None else child.get(qn("w:val"))


class Numbering:
    """Renders the number of each numbered paragraph, in document order."""

    def __init__(self, doc: Any = None, *, numbering: Any = None, styles: Any = None) -> None:
        """From a python-docx Document, or from the numbering and styles parts' XML roots (the
        streaming reader parses them itself)."""
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstract → ilvl → fmt, text, start
        self._nums: dict[str, str] = {}  # numId → abstractNumId
        self._counters: dict[str, list[int]] = {}
        self._style_num: dict[str, tuple[str, int]] = {}
        if doc is not None:
            try:
                numbering = doc.part.numbering_part.element
            except (KeyError, NotImplementedError, AttributeError):
                return
            styles = doc.styles.element
        if numbering is None:
            return
        root = numbering
        for absnum in root.iterchildren(qn("w:abstractNum")):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in absnum.iterchildren(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                levels[ilvl] = (
                    _val(lvl, "w:numFmt") or "decimal",
                    _val(lvl, "w:lvlText") or "",
                    int(_val(lvl, "w:start") or "1"),
                )
            self._levels[absnum.get(qn("w:abstractNumId"), "")] = levels
        for num in root.iterchildren(qn("w:num")):
            abstract = _val(num, "w:abstractNumId")
            if abstract is not None:
                self._nums[num.get(qn("w:numId"), "")] = abstract
        for style in styles.iterchildren(qn("w:style")) if styles is not None else ():
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            num_id = _val(num_pr, "w:numId")
            if num_id:
                self._style_num[style.get(qn("w:styleId"), "")] = (num_id, int(_val(num_pr, "w:ilvl") or 0))

    def prefix(self, p: Any) -> str:
        """ "1.2 " for a numbered paragraph, "" otherwise (bullets give "- ")."""
        if not self._nums:
            return ""
        ppr = p.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = _val(num_pr, "w:numId")
        ilvl = int(_val(num_pr, "w:ilvl") or 0)
        if num_id is None and ppr is not None:
            style_num = self._style_num.get(_val(ppr, "w:pStyle") or "")
            if style_num is not None:
                num_id, ilvl = style_num
        if not num_id or num_id == "0" or num_id not in self._nums:
            return ""
        abstract = self._nums[num_id]
        levels = self._levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        fmt, text, _ = levels[ilvl]
        counters = self._counters.setdefault(abstract, [levels.get(i, ("", "", 1))[2] - 1 for i in range(9)])
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):  # deeper levels restart
            counters[deeper] = levels.get(deeper, ("", "", 1))[2] - 1
        if fmt == "bullet":
            return "- "
        if fmt == "none" or not text:
            return ""
        for i in range(9):
            if f"%{i + 1}" in text:
                level_fmt = levels.get(i, ("decimal", "", 1))[0]
                text = text.replace(f"%{i + 1}", _format(max(counters[i], 1), level_fmt))
        return text + " "
