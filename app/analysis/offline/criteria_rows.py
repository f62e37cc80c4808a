"""Award criteria read row by row, with the lots each table applies to.

The layout reader gives a table row as one line (cells separated by tabs, the lines inside a cell
by two spaces). So a criterion, the explanation under its name and its weight arrive together, in
any of these layouts:
- "Prix | 40 %", "CRITERE N° 2 : Valeur technique  Le critère est apprécié… | 35 points";
- a criterion whose weight is in a further column, printed on its first sub-criterion's row:
  "• Sous-critère 1 – Délais | 10 points | 60 points";
- a name on one line and its weight alone on the next ("Critère 1 – Prix" / "40 points");
- a weight written at the end of the name ("• DQE 1 : 10 points").

Tables are split where a heading names the lots they apply to ("Lot n°1 à 14 :", "Critères de
jugement des offres du LOT 2"), so two lots' tables are never added together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.domain.document import CELL_BREAK

from .source import Line, Page
from .text import BULLET, fold, has_word, strip_leaders

# One reader for every way a weight is written: "40 %", "40%", "40 points", "40 pts", "40/100",
# "40" (only in a column headed Pondération/Points/Note).
_WEIGHT = r"(\d{1,3}(?:[.,]\d{1,2})?)\s*(%|pour\s*cent|points?|pts?\.?|/\s*100)?"
_WEIGHT_CELL = re.compile(rf"^\(?\s*{_WEIGHT}\s*\)?\s*(dont|:)?\s*:?$")
_LEADING_WEIGHT = re.compile(r"^(\d{1,3}(?:[.,]\d{1,2})?)\s*(%|points?\b|pts?\b\.?)\s*[:=–-]?\s*(?=[a-z])")
_TRAILING_WEIGHT = re.compile(rf"^(.*?[^\d\s.,/°])\s*[:=(–-]?\s*{_WEIGHT}\s*\)?\s*[.,;]?\s*(dont|:)?\s*$")
_INNER_WEIGHT = re.compile(r"\d{1,3}(?:[.,]\d{1,2})?\s*(?:%|points?\b|pts\b)")
_LOTS = re.compile(
    r"\blots?\s*(?:n\s*°\s*|no\.?\s*|numeros?\s*)?(\d{1,3}(?:\s*(?:a|au|-|,|et|&)\s*(?:n\s*°\s*)?\d{1,3})*)\b"
)
_NUMBER = re.compile(r"\d{1,3}")
_RANGE = re.compile(r"(\d{1,3})\s*(?:a|au|-)\s*(?:n\s*°\s*)?(\d{1,3})")
_TOTAL = re.compile(r"^(?:total|note\s+(?:totale|finale|globale|maximale)|somme)\b")
# Numbering of a criterion and of a sub-criterion (the level is what matters, not the wording).
_SUB = re.compile(
    r"^(?:[•\-−–*▪►■□o\uf0b7\uf0a7]\s*)?(?:sous[- ]?criteres?\s*(?:n\s*°|no|n°)?\s*[\d.,]*\s*[-:.)–°\d\s]*"
    r"|\d{1,2}[.,]\d{1,2}\.?\s*[-:)–]?\s+|[a-h][).]\s+|[ivx]{1,4}\)\s*)"
)
_TOP = re.compile(
    r"^(?:(?:[•\-−–*▪►■□\uf0b7\uf0a7]\s*)?criteres?\s*(?:n\s*°|no|n°)?\s*\d{1,2}\s*[-:.)–°\s]*|\d{1,2}\s*(?:[.)°]\s*[-:–]?|[-–])\s*(?=\D))"
)
# How a cell goes on to explain a criterion rather than name it: a participle of assessment
# ("analysé", "apprécié", "noté"…) or a sentence about the criterion or the candidate.
_EXPLAINS = re.compile(
    r"^(?:\(|le\s+critere|ce\s+(?:sous[- ]?)?critere|la\s+note|les?\s+candidats?|l'offre|les\s+offres|"
    r"definition|il\s+sera|elle\s+sera|pour\s+ce|sur\s+la\s+base|au\s+regard|"
    r"(?:analys|appreci|evalu|not|jug|examin|mesur|calcul)(?:e|ee|es|ees)\b)"
)
# Read on the accented text: a participle ends in "é" ("mesurée"), a noun does not ("mesures").
_CUT = re.compile(
    r"\s*(?:\(|,\s+|:\s+|\s-\s|\s–\s)?\b(?:analys|appr[eé]ci|[eé]valu|not|jug|examin|mesur|calcul|pond[eé]r)(?:é|ée|és|ées)(?!\w)"
    r"|\s+\((?=[^)]*$)"
)
_SENTENCE = re.compile(r"\s*[.:]\s+(?=[A-ZÀ-Ý][a-zà-ÿ])")
# A header cell is a few words of the criteria table's own vocabulary, in any order and wording:
# "Critères", "Sous-critères", "Pondération (en %)", "Notée sur", "Note maximale", "Coefficient",
# "Poids", "Barème", "N°", "Critères de jugement des offres".
_WEIGHT_WORDS = frozenset(
    [
        "ponderation",
        "ponderations",
        "note",
        "notes",
        "notee",
        "notees",
        "points",
        "point",
        "pts",
        "coefficient",
        "coefficients",
        "coef",
        "coeff",
        "poids",
        "bareme",
        "%",
        "valeur",
    ]
)
# Weights that are relative by nature: coefficients (and poids written as bare numbers) share the
# score in proportion to their sum.
_RELATIVE_WORDS = frozenset(["coefficient", "coefficients", "coef", "coeff", "poids"])
_HEADER_WORDS = _WEIGHT_WORDS | frozenset(
    [
        "critere",
        "criteres",
        "sous-critere",
        "sous-criteres",
        "sous",
        "n°",
        "no",
        "numero",
        "libelle",
        "intitule",
        "designation",
        "dont",
        "maximale",
        "maximum",
        "max",
        "sur",
        "en",
        "de",
        "du",
        "des",
        "d",
        "la",
        "le",
        "les",
        "et",
        "jugement",
        "choix",
        "selection",
        "notation",
        "attribution",
        "offres",
        "offre",
        "ponderee",
        "ponderes",
        "attribuee",
        "attribues",
        "lot",
        "lots",
    ]
)
_KEY_WORDS = _WEIGHT_WORDS | frozenset(
    ["critere", "criteres", "sous-critere", "sous-criteres", "n°", "no", "numero"]
)


_HEADER_PUNCTUATION = str.maketrans({c: " " for c in "()':/.,"})


def header_words(text: str, most: int = 7) -> frozenset[str] | None:
    """The words of a table header cell (or of a whole header row, `most` words), or None when the
    text is not one: every word must belong to the criteria table's vocabulary."""
    words = fold(text).translate(_HEADER_PUNCTUATION).split()
    # "Note sur 20", "Points (sur 100)": a figure in a header states the scale.
    scaled = "sur" in words
    if (
        not words
        or len(words) > most
        or not all(w in _HEADER_WORDS or (scaled and _is_scale(w)) for w in words)
    ):
        return None
    found = frozenset(words)
    return found if found & _KEY_WORDS and found != {"valeur"} else None


def _is_scale(word: str) -> bool:
    return word.isdigit() and len(word) <= 3


def header_scale(words: frozenset[str]) -> float | None:
    """The total a header states ("Note sur 20" → 20)."""
    figures = [int(w) for w in words if _is_scale(w)]
    return float(figures[0]) if "sur" in words and len(figures) == 1 and figures[0] > 0 else None


def weight_header(words: frozenset[str]) -> bool:
    return bool(words & _WEIGHT_WORDS - {"valeur"})


def relative_header(words: frozenset[str]) -> bool:
    return bool(words & _RELATIVE_WORDS)


# "Les offres sont notées sur 100 points :" states the scale of the whole notation, not a weight.
TOTAL_SCALE = re.compile(
    r"(?:\b(?:les|des|chaque)\s+(?:offres?|propositions?|candidats?)|\bl'offre|\bnotation|"
    r"\bnote\s+(?:globale|finale|totale|maximale|sur))\b[^\d]{0,80}?\bsur\s+(?:un\s+total\s+de\s+)?$"
    r"|\bsur\s+un\s+total\s+de\s+$"
)


def lot_numbers(text: str) -> set[int]:
    """'Lot n°1 à 14' → {1..14}; 'lots 2, 3 et 5' → {2, 3, 5}; a heading's lots, folded text."""
    out: set[int] = set()
    for m in _LOTS.finditer(text):
        group = m.group(1)
        for r in _RANGE.finditer(group):
            lo, hi = int(r.group(1)), int(r.group(2))
            if lo < hi <= lo + 200:
                out.update(range(lo, hi + 1))
        out.update(int(n) for n in _NUMBER.findall(group))
    return out


def lot_heading(line: Line) -> set[int]:
    """The lots a short heading line introduces ("Lot n°1 à 14 :", "Critères … du LOT 2")."""
    folded = fold(line.cells[0] if line.cells else line.text).strip()  # a row: its first cell
    if len(folded) > 90 or _SUB.match(folded) or _TOP.match(folded):
        return set()
    if not (folded.endswith(":") or "critere" in folded or (folded.startswith("lot") and len(folded) < 30)):
        return set()
    return lot_numbers(folded)


@dataclass(slots=True)
class Block:
    lots: set[int]
    lines: list[tuple[Page, Line]] = field(default_factory=list)


def split_by_lot(lines: Sequence[tuple[Page, Line]]) -> list[Block]:
    """The criteria section cut where a heading names the lots the following table applies to."""
    blocks = [Block(set())]
    for page, line in lines:
        lots = lot_heading(line)
        if lots:
            blocks.append(Block(lots))
        blocks[-1].lines.append((page, line))
    return [
        b
        for b in blocks
        if b.lines and (b.lots or len(blocks) == 1 or any(_has_weight(ln) for _, ln in b.lines))
    ]


def lot_columns(lines: Sequence[tuple[Page, Line]]) -> list[Block] | None:
    """A table weighing each lot in its own column ("Critère | Lot 1 | Lot 2" / "Prix | 60 % |
    40 %"): one block per column, each row reduced to its name and that column's weight (the row's
    text stays whole, for the evidence)."""
    for i, (_page, head) in enumerate(lines):
        if len(head.cells) < 3 or not fold(head.cells[1]).startswith("lot"):
            continue
        lots = [lot_numbers(fold(cell)) for cell in head.cells[1:]]
        if not all(lots):
            continue
        blocks = [Block(numbers, []) for numbers in lots]
        for page, line in lines[i + 1 :]:
            if len(line.cells) != len(head.cells):
                break
            for k, block in enumerate(blocks, start=1):
                cells = (line.cells[0], line.cells[k])
                block.lines.append((page, Line(line.text, line.folded, line.start, cells)))
        return blocks if blocks[0].lines else None
    return _lot_rows(lines)


def _lot_rows(lines: Sequence[tuple[Page, Line]]) -> list[Block] | None:
    """The same table transposed ("Lot | Prix | Valeur technique" / "Lot 1 | 60 % | 40 %"): one
    block per row, each column's header the criterion's name and the row's cell its weight."""
    for i, (_page, head) in enumerate(lines):
        if len(head.cells) < 3 or not fold(head.cells[0]).strip().startswith("lot"):
            continue
        names = list(head.cells[1:])
        blocks: list[Block] = []
        for page, line in lines[i + 1 :]:
            numbers = lot_numbers(fold(line.cells[0])) if len(line.cells) == len(head.cells) else set()
            if not numbers:
                break
            block = Block(numbers, [])
            for name, cell in zip(names, line.cells[1:], strict=True):
                block.lines.append((page, Line(line.text, line.folded, line.start, (name, cell))))
            blocks.append(block)
        return blocks or None
    return None


def _has_weight(line: Line) -> bool:
    return any(_WEIGHT_CELL.match(fold(c).strip()) for c in line.cells[1:]) or bool(
        _TRAILING_WEIGHT.match(fold(line.text))
    )


@dataclass(slots=True)
class Row:
    """One criterion-like row: its name, level, weights and where it is."""

    page: Page
    line: Line
    name: str
    level: str  # "top" | "sub" | ""
    weight: float | None = None
    unit: str = ""
    parent_weight: float | None = None  # a further column's weight: the enclosing criterion's
    opens: bool = False  # "60 % dont": sub-criteria follow
    summed: bool = False  # its weight is its sub-criteria's sum (none written for it)
    index: int = 0  # the line it was last read from (a name continues only on the next line)
    children: list[Row] = field(default_factory=list)


def _unit(raw: str | None) -> str:
    if raw is None:
        return ""
    return "%" if raw.startswith(("%", "pour", "/")) else "pts"


def _weight(cell: str, bare_ok: bool) -> tuple[float, str, bool] | None:
    m = _WEIGHT_CELL.match(fold(cell).strip())
    if m is None or (m.group(2) is None and not bare_ok):
        return None
    value = float(m.group(1).replace(",", "."))
    return (value, _unit(m.group(2)), m.group(3) == "dont") if 0 < value <= 1000 else None


def _name_of(cell: str) -> tuple[str, str]:
    """(name, level) of a name cell: its first line(s), numbering removed, explanation cut."""
    parts = [p.strip() for p in cell.split(CELL_BREAK) if p.strip()]
    if not parts:
        return "", ""
    text = parts[0]
    for part in parts[1:]:
        if part[:1].islower() and not _EXPLAINS.match(fold(part)):
            text = f"{text} {part}"  # the name wraps onto the cell's next line
        else:
            break
    folded = fold(text)
    level = ""
    m = _SUB.match(folded)
    if m is not None and m.end() > 0:
        level, text = "sub", text[m.end() :]
    else:
        m = _TOP.match(folded)
        if m is not None and m.end() > 0:
            level, text = "top", text[m.end() :]
        elif (bullet := BULLET.match(folded)) is not None:
            level, text = "sub", text[bullet.end() :]
    return clean_name(text), level


def clean_name(text: str) -> str:
    text = strip_leaders(text).strip(" \t:;,.-–—=«»\"'…")  # "Prix ………… | 60 points"
    while text.startswith(("–", "-", ":")):
        text = text[1:].strip()
    if fold(text[:5]) == "dont ":
        text = text[5:]  # "dont méthodologie | 35 %": a sub-criterion's name
    cut = _CUT.search(text.lower().replace("’", "'"))
    if cut is not None and cut.start() >= 3:
        text = text[: cut.start()]
    sentence = _SENTENCE.search(text)
    if sentence is not None and sentence.start() >= 3:
        text = text[: sentence.start()]  # "Méthodologie. Ce sous-critère…", "Délais : Le candidat…"
    text = text.strip(" \t:;,.-–—=«»\"'(")
    if text.count("(") > text.count(")"):
        text = text[: text.rfind("(")].strip()
    return text


@dataclass(slots=True)
class Read:
    rows: list[Row]
    total: float | None  # the table's stated total ("TOTAL | 100 points"), when it has one
    ambiguous: bool = False  # a line the rows cannot split: the line reader must read the section
    relative: bool = False  # bare weights under a "Coefficient" / "Poids" header: shares of their sum


def read_rows(lines: Sequence[tuple[Page, Line]]) -> Read:
    """Rows of a criteria table (or of a list of weighted lines), in the document's order."""
    rows: list[Row] = []
    total: float | None = None
    ambiguous = False
    bare_ok = False
    relative = False
    sub_column = False  # the table has a column of sub-criteria between the criterion and its weight
    for index, (page, line) in enumerate(lines):
        cells = [c for c in (line.cells or (line.text,)) if c.strip()]
        folded_cells = [fold(c).strip() for c in cells]
        heads = [header_words(c) for c in folded_cells]
        if folded_cells and all(heads):
            bare_ok = bare_ok or any(weight_header(h) for h in heads if h)
            relative = relative or any(relative_header(h) for h in heads if h)
            scales = [scale for h in heads if h and (scale := header_scale(h)) is not None]
            total = total if total is not None or not scales else scales[0]
            sub_column = sub_column or (
                len(folded_cells) >= 3 and any(c.startswith("sous") for c in folded_cells)
            )
            continue
        if lot_heading(line):
            continue
        weights: list[tuple[float, str, bool]] = []
        names: list[str] = []
        for i, cell in enumerate(cells):
            w = _weight(cell, bare_ok) if i > 0 or len(cells) == 1 else None
            if w is not None:
                weights.append(w)
            elif not weights:
                names.append(cell)
        first_weight = _weight(cells[0], False) if len(cells) >= 2 and not weights else None
        if first_weight is not None and len(names) >= 2:
            # "40 % | Prix": the weight's column comes first, the name after it.
            weights, names = [first_weight], names[1:]
        lead = _LEADING_WEIGHT.match(folded_cells[0]) if len(cells) == 1 and not weights else None
        if lead is not None:
            # "60 % Valeur technique": the weight written before the name.
            weights = [(float(lead.group(1).replace(",", ".")), _unit(lead.group(2)), False)]
            names = [cells[0].strip()[lead.end() :]]
        names = [n for n in names if has_word(n)]  # a numbering column ("1 | Valeur technique | …")
        if sub_column and names and weights and (line.under or len(names) >= 2):
            # "Critère | Sous-critère | Pondération": a row names its criterion (unless it goes on
            # the row above) and one of its sub-criteria, which the weight is for.
            if not line.under:
                rows.append(Row(page, line, _name_of(names[0])[0], "", index=index))
            sub = Row(page, line, _name_of(names[-1])[0], "sub", index=index)
            sub.weight, sub.unit, sub.opens = weights[0]
            rows.append(sub)
            continue
        name, level, first = "", "", ""
        if names:
            first = names[0]
            trailing = _TRAILING_WEIGHT.match(fold(first.split(CELL_BREAK)[0]))
            if trailing is not None and trailing.group(3):
                # "• DQE 1 : 10 points | 30 points": the name's own weight, then its parent's.
                value = float(trailing.group(2).replace(",", "."))
                weights.insert(0, (value, _unit(trailing.group(3)), trailing.group(4) == "dont"))
                first = first[: len(trailing.group(1))]
            if _EXPLAINS.match(fold(first)) and weights:
                name = ""  # "Définition : ce critère…  | 40 %": the weight is all this row says
            elif not _EXPLAINS.match(fold(first)):
                name, level = _name_of(first)
        folded_name = fold(name)
        if weights and first and not level and TOTAL_SCALE.search(f"{fold(first)} "):
            total = weights[0][0]  # "Les offres sont notées sur 20 points :" states the scale
            continue
        if _TOTAL.match(folded_name) or _TOTAL.match(fold(line.text)):
            if weights:
                total = weights[0][0]
            continue
        if not name and not weights:
            continue
        if (
            not weights
            and not level
            and name
            and rows
            and rows[-1].weight is None
            and rows[-1].index == index - 1
            and not line.text.rstrip().endswith((".", ":"))
        ):
            rows[-1].name = clean_name(f"{rows[-1].name} {name}")  # the name goes on under it
            rows[-1].index = index
            continue
        if not name:
            # A weight alone: it belongs to the name just above, still waiting for one (a name and
            # its weight printed one under the other).
            waiting = rows[-1] if rows and rows[-1].weight is None and rows[-1].index >= index - 2 else None
            if waiting is not None:
                waiting.weight, waiting.unit, waiting.opens = weights[0]
            continue
        if not has_word(name) or len(name) > 160:
            continue
        if _INNER_WEIGHT.search(fold(name)):
            ambiguous = True  # two rows printed on one line ("Valeur technique 60 % Méthodologie 30 %")
        row = Row(page, line, name, level, index=index)
        if weights:
            row.weight, row.unit, row.opens = weights[0]
            if len(weights) >= 2:
                row.parent_weight = weights[-1][0]
        rows.append(row)
        if weights and level != "sub":
            rows.extend(_inner_rows(page, line, first, index))
    return Read(rows, total, ambiguous, relative and all(r.unit == "" for r in rows if r.weight))


def _inner_rows(page: Page, line: Line, cell: str, index: int) -> list[Row]:
    """The lines of a criterion's name cell that carry their own weights ("Valeur technique /
    - qualité des repas : 30 points / - organisation : 20 points | 50 points"): its sub-criteria."""
    out: list[Row] = []
    for part in cell.split(CELL_BREAK)[1:]:
        m = _TRAILING_WEIGHT.match(fold(part.strip()))
        if m is None or m.group(3) is None:
            continue
        name = _name_of(part.strip()[: len(m.group(1))])[0]
        if has_word(name):
            sub = Row(page, line, name, "sub", index=index)
            sub.weight, sub.unit = float(m.group(2).replace(",", ".")), _unit(m.group(3))
            out.append(sub)
    return out if len(out) >= 2 else []


def nest(rows: list[Row]) -> list[Row]:
    """Rows → criteria with their sub-criteria: marked sub-rows go under the criterion above them;
    a criterion without a weight weighs what its sub-criteria add up to."""
    if any(row.level == "top" for row in rows):
        rows = _marked(rows)
    tops: list[Row] = []
    for row in rows:
        parent = tops[-1] if tops else None
        if parent is not None and row.level == "sub" and parent.level != "sub":
            parent.children.append(row)
            if row.parent_weight is not None and parent.weight is None:
                parent.weight, parent.unit = row.parent_weight, row.unit
            continue
        if row.level == "sub" and parent is None:
            row.level = ""
        tops.append(row)
    for top in tops:
        if top.weight is None and top.children and all(c.weight is not None for c in top.children):
            top.weight = sum(c.weight or 0.0 for c in top.children)
            top.unit = top.children[0].unit
            top.summed = True
    # Unmarked rows whose weights add up to the criterion just above them are its sub-criteria
    # ("Valeur technique 60" then "Méthodologie 30", "Moyens 30" at the same indentation).
    out: list[Row] = []
    i = 0
    while i < len(tops):
        top = tops[i]
        out.append(top)
        i += 1
        if top.children or top.weight is None or top.level == "top":
            continue
        total, j = 0.0, i
        while j < len(tops) and tops[j].level != "top" and tops[j].weight is not None and total < top.weight:
            total += tops[j].weight or 0.0
            j += 1
        if j - i >= 2 and abs(total - top.weight) <= 0.5 and _rest_complete(out, tops[j:]):
            top.children = tops[i:j]
            i = j
    return [t for t in out if t.weight is not None]


def _marked(rows: list[Row]) -> list[Row]:
    """Where the criteria are numbered ("Critère n° 2 – Prix"), an unnumbered line is not a new
    criterion: its weight, printed in the right-hand column beside the explanation, is the
    criterion's own when it has none yet; bullets without weights explain, they are not weighed."""
    out: list[Row] = []
    for row in rows:
        if row.level:
            out.append(row)
            continue
        top = next((r for r in reversed(out) if r.level == "top"), None)
        if top is not None and top.weight is None and row.weight is not None:
            top.weight, top.unit, top.opens = row.weight, row.unit, row.opens
    for row in out:
        if row.level == "sub" and row.weight is None:
            row.level = "drop"
    return [row for row in out if row.level != "drop"]


def _rest_complete(before: list[Row], after: list[Row]) -> bool:
    total = sum(t.weight or 0.0 for t in [*before, *after])
    return abs(total - 100) <= 0.5 or any(t.unit == "pts" for t in before)
