"""Lots: 'Lot n° 1 : …' lines and tables, or the statement that the consultation is not divided."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.analysis import Evidence, Lot
from app.domain.document import CELL_BREAK

from .criteria_rows import header_words, weight_header
from .source import Page, piece_groups
from .text import fold, has_leaders, has_word, strip_leaders

_NO_LOTS = re.compile(
    r"(?:ne\s+fait\s+pas\s+l'objet\s+d'(?:une\s+)?(?:decomposition|division|allotissement)\s+en\s+lots"
    r"|n'est\s+pas\s+(?:decompose|divise|allotie?)e?\s*(?:en\s+lots)?|pas\s+(?:de\s+)?(?:decomposition\s+en\s+)?lots\b"
    r"|lot\s+unique|marche\s+(?:global|unique)\b|non[- ]allotissement|sans\s+allotissement|ne\s+comporte\s+pas\s+de\s+lots?"
    r"|n'est\s+pas\s+alloti|pas\s+d'allotissement|pas\s+prevu\s+de\s+(?:decomposition|division)\s+en\s+lots"
    r"|(?:allotissement|lots?)\s*:\s*(?:non|sans\s+objet))"
)
_LOT_LINE = re.compile(
    r"^\s*(?:[-•–−*▪►]\s*)?lot\s*(?:n\s*°|no\.?|n°|numero|#)?\s*0?(\d{1,2})\b\s*(?:[:.\-–—)]\s*|\s+|$)(.*)$"
)
# Further lots printed on the same line ("LOT 1 – Courant faible LOT 2 – Courant fort").
_NEXT_LOT = re.compile(r"\s+lot\s*(?:n\s*°|no\.?|n°|numero)?\s*0?\d{1,2}\s*[:\-–—)]")


def _lots_on_line(page: Page, index: int) -> list[tuple[int, str]]:
    line = page.lines[index]
    out: list[tuple[int, str]] = []
    folded, text = line.folded, line.text
    first = _LOT_LINE.match(fold(line.cells[0])) if len(line.cells) >= 2 else None
    if first is not None:
        # A table row "Lot n° 1 | Terrassements | 120 000 €": the title is its own cell.
        text = line.cells[0] if first.group(2).strip() else f"{line.cells[0]} {line.cells[1]}"
        folded = fold(text)
    while True:
        m = _LOT_LINE.match(folded)
        if m is None:
            return out
        rest_start = m.start(2)
        nxt = _NEXT_LOT.search(folded, rest_start)
        stop = nxt.start() if nxt else len(folded)
        title = text[rest_start:stop].strip()
        if has_leaders(title):
            title = re.sub(r"\s*\d{1,3}\s*$", "", strip_leaders(title))
        if not title and not out and index + 1 < len(page.lines):
            following = page.lines[index + 1]
            if not _LOT_LINE.match(following.folded) and len(following.text) < 150:
                title = following.text.strip()
        out.append((int(m.group(1)), title.strip(' :-–«»";.,')))
        if nxt is None:
            return out
        folded, text = folded[nxt.start() :], text[nxt.start() :]


def find_lots(pages: Sequence[Page]) -> tuple[list[Lot], Evidence] | None:
    """Per piece (RC first): the lots it lists (two or more, numbered from 1), else [] when it says
    the consultation is not divided."""
    for piece_pages in piece_groups(pages):
        found = _lots_in_piece(piece_pages)
        if found is not None:
            return found
        for page in piece_pages:
            m = _NO_LOTS.search(page.folded)
            if m is not None:
                return [], page.evidence_at(m.start(), m.end())
    return None


# A lots table whose rows start with the bare number ("Lot(s) Désignation" / "1 Gros œuvre").
_TABLE_HEADER = re.compile(
    r"^(?:n°\s*(?:de\s+|du\s+)?lots?|numeros?(?:\s+(?:de\s+|du\s+)?lots?)?|lot\(?s?\)?)\s*(?:n°\s*)?"
    r"(?:designation|intitule|libelle|objet|denomination)\b"
)
# Lots named in running text ("alloti comme suit : lot 1 – mobilier scolaire ; lot 2 – …", "le lot
# n° 1 relatif au nettoyage et le lot n° 2 relatif à la vitrerie", "le lot 1 concerne le fauchage et
# le lot 2 l'élagage"): the lot marks cut the sentence, each title is the text up to the next mark.
_LOT_MARK = re.compile(r"\blot\s*(?:n\s*°|n°|no\.?)?\s*0?(\d{1,2})\b")
# Words that link a lot's mark to its title, never part of it.
_LINKS = frozenset(
    ["relatif", "relative", "relatifs", "relatives", "portant", "sur", "concernant", "concerne", "consiste",
     "comprend", "comprenant", "pour", "a", "au", "aux", "en", "est", "vise", "couvre", "intitule"]
)  # fmt: skip
_TAIL = frozenset(["et", "ou", "le", "la", "les", "l'", "puis", "enfin", "du", "de", "des"])


def _title_between(flat: str, folded: str, lo: int, hi: int) -> str:
    """The title written in [lo, hi): links, a trailing parenthesis and connectors removed."""
    stop = min((i for i in (folded.find(c, lo, hi) for c in ";(.") if i >= 0), default=hi)
    words = flat[lo:stop].strip(" :–—-),").split()
    while words and fold(words[0]) in _LINKS:
        words.pop(0)
    while words and (fold(words[-1]) in _TAIL or not has_word(words[-1])):
        words.pop()
    return " ".join(words).strip(" ,:–-")


def _inline_lots(page: Page) -> tuple[list[tuple[int, str]], int]:
    """Lots 1, 2, 3… marked in one run of text (no sentence end between two marks), with their
    titles, and where the run starts."""
    marks = list(_LOT_MARK.finditer(page.folded))
    for i, first in enumerate(marks):
        if int(first.group(1)) != 1:
            continue
        run = [first]
        for m in marks[i + 1 :]:
            between = page.folded[run[-1].end() : m.start()]
            if int(m.group(1)) != len(run) + 1 or len(between) > 200 or ". " in between:
                break
            run.append(m)
        if len(run) < 2:
            continue
        ends = [m.start() for m in run[1:]] + [min(len(page.folded), run[-1].end() + 160)]
        found = [
            (k, _title_between(page.flat, page.folded, m.end(), end))
            for k, (m, end) in enumerate(zip(run, ends, strict=True), start=1)
        ]
        if all(has_word(title) and len(title) <= 120 and not _VERB.match(fold(title)) for _, title in found):
            return found, first.start()
    return [], -1


# "le lot 1 et le lot 2 sont attribués…": a verb where the title should be is a sentence about lots.
_VERB = re.compile(r"^(?:sont|seront|sera|peut|peuvent|doit|doivent|ne|n'|fait|font|et|ou)\b")


_TABLE_ROW = re.compile(r"^0?(\d{1,2})\s*[-–.:)]?\s+(\D.*)$")
_TABLE_NUMBER = re.compile(r"^0?(\d{1,2})$")
# An estimate column printed after the title ("92 000 € HT").
_AMOUNT = re.compile(r"(?:^|\s+)\d[\d\s.,]*\s*(?:€|euros?|eur|k€)\s*(?:h\.?t\.?|t\.?t\.?c\.?)?$", re.I)


def _table_lots(page: Page, header: int) -> list[tuple[int, str]]:
    """Rows in order; a cell that wraps is printed by pypdf as its own lines ("01" / "Démolition –"
    / "Maçonnerie" / "185 000 € HT"), so a bare number opens a row and the lines after it fill it."""
    rows: list[tuple[int, str]] = []
    for line in page.lines[header + 1 : header + 120]:
        text = line.text.strip()
        if len(line.cells) >= 2 and _TABLE_NUMBER.match(line.cells[0]):
            text = f"{line.cells[0]} {line.cells[1]}"  # the designation cell, not the next columns
        m = _TABLE_ROW.match(text)
        bare = _TABLE_NUMBER.match(text)
        if m is not None and int(m.group(1)) == len(rows) + 1:
            rows.append((int(m.group(1)), _AMOUNT.sub("", m.group(2)).strip()))
        elif bare is not None and int(bare.group(1)) == len(rows) + 1:
            rows.append((len(rows) + 1, ""))
        elif rows and _AMOUNT.fullmatch(" " + text):
            continue
        elif rows and (not rows[-1][1] or rows[-1][1][-1] in "–-,/(" or text[:1].islower()):
            number, title = rows[-1]
            rows[-1] = (number, f"{title} {_AMOUNT.sub('', text)}".strip())
        else:
            break
    return [row for row in rows if row[1]]


_ROW_NUMBER = re.compile(r"^(?:lots?\s*(?:n\s*°|no\.?|n°|numero)?\s*)?0?(\d{1,3})\s*[.:)-]?$")
_TITLE_HEADER = re.compile(r"\b(?:intitule|designation|libelle|objet|denomination|nature)s?\b")
_MONEY = re.compile(r"\d\s*(?:€|euros?\b|eur\b|k€|m€)|^\s*\d[\d\s.,]*$", re.I)
_LOT_WORD = re.compile(r"\blots?\b|allotissement")


def _row_table_lots(pages: Sequence[Page]) -> tuple[list[tuple[int, str]], Evidence] | None:
    """A table whose rows are numbered 1, 2, 3… in its first cell, under a header (or a few lines)
    that speak of lots: the title is the cell of the column headed Intitulé/Désignation/Objet, else
    the second one. The table may go on over the next pages."""
    rows: list[tuple[int, str]] = []
    evidence: Evidence | None = None
    title_col = 1
    context: list[str] = []  # the lines just above the first row
    header: tuple[str, ...] = ()  # the row just above, when it is a table row
    gap = 0
    for page in pages:
        for line in page.lines:
            cells = [c.replace(CELL_BREAK, " ") for c in line.cells]
            m = _ROW_NUMBER.match(fold(cells[0])) if len(cells) >= 2 else None
            if m is not None and int(m.group(1)) == len(rows) + 1:
                if not rows and (not any(_LOT_WORD.search(x) for x in context[-10:]) or _weighs(header)):
                    # No lot spoken of above, or a header naming criteria and weights ("N° | Critère
                    # | Pondération"): numbered criteria, not lots.
                    context.append(line.folded)
                    header = line.cells
                    continue
                # The title runs from its column to the first amount (a wide title may be split).
                parts: list[str] = []
                for cell in cells[title_col if title_col < len(cells) else 1 :]:
                    if _MONEY.search(cell) and parts:
                        break
                    parts.append(cell)
                title = _AMOUNT.sub("", " ".join(parts)).strip(' :-–«»";,')
                if has_word(title) and len(title) <= 250:
                    rows.append((int(m.group(1)), title))
                    evidence = evidence or page.evidence(line.text[:240])
                    gap = 0
                    continue
            if rows:
                gap += 1
                if gap > 3 and len(rows) >= 2:
                    return rows, evidence  # type: ignore[return-value]
                if gap > 3:
                    rows, evidence, gap = [], None, 0
                continue
            if cells:
                heads = [i for i, c in enumerate(cells) if _TITLE_HEADER.search(fold(c))]
                if heads and heads[0] > 0 and any(_LOT_WORD.search(fold(c)) for c in cells):
                    title_col = heads[0]
            context.append(line.folded)
            header = line.cells
    if len(rows) >= 2 and evidence is not None:
        return rows, evidence
    return None


def _weighs(header: tuple[str, ...]) -> bool:
    """A table header that names criteria or weights (the criteria table's vocabulary)."""
    heads = [header_words(cell) for cell in header]
    return any(h is not None and (weight_header(h) or "critere" in h or "criteres" in h) for h in heads)


def _lots_in_piece(pages: Sequence[Page]) -> tuple[list[Lot], Evidence] | None:
    table = _row_table_lots(pages)
    if table is not None:
        return [Lot(number=n, title=t) for n, t in table[0]], table[1]
    lots: dict[int, str] = {}
    evidence: Evidence | None = None
    for page in pages:
        for i, line in enumerate(page.lines):
            if _TABLE_HEADER.match(line.folded):
                rows = _table_lots(page, i)
                if len(rows) >= 2:
                    for number, title in rows:
                        lots.setdefault(number, title)
                    evidence = evidence or page.evidence(page.lines[i + 1].text[:240])
                    continue
            for number, title in _lots_on_line(page, i):
                if not title or len(title) > 200 or number == 0 or number > 60:
                    continue
                if re.match(r"^(?:et|ou|a|au|aux|de|du|des|en|le|la|les|sera|est|sont|n°)\b", title.lower()):
                    continue  # "lot 2 et 3 sont…", a sentence mentioning a lot
                lots.setdefault(number, title)
                if evidence is None:
                    evidence = page.evidence(line.text[:240])
    if len(lots) < 2:
        for page in pages:
            inline, at = _inline_lots(page)
            if inline:
                lots = dict(inline)
                evidence = page.evidence_at(at, at + 5)
                break
    numbers = sorted(lots)
    if len(numbers) >= 2 and numbers == list(range(1, len(numbers) + 1)) and evidence:
        return [Lot(number=n, title=lots[n]) for n in numbers], evidence
    return None
