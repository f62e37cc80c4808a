"""Critères de jugement des offres, their weights and sub-criteria, from the RC's section.

The section is read line by line (pypdf prints each table cell on its own line): a weight is
attached to the first criterion-like line written since the previous weight, or, when there is none
(a cell whose weight is printed before its text), to the next one. Levels come from explicit markers
("Sous-critère 1", "2.1", "a)", "dont") and from the sums (sub-criteria add up to their criterion).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.domain.analysis import Criterion, Evidence, SubCriterion
from app.domain.document import CELL_BREAK

from . import criteria_rows, sections
from .source import Line, Page, logical_lines
from .text import BULLET, HEADING_PREFIX, blank_leaders, fold, has_leaders, heading_number, is_later_section

_ANCHOR = re.compile(
    r"criteres?\s+(?:de\s+|d')?(?:jugement|attribution|selection|choix|evaluation|notation|classement)\s+des\s+offres"
    r"|criteres?\s+d'attribution|jugement\s+des\s+offres|analyse\s+des\s+offres|choix\s+de\s+l'offre"
    r"|offre\s+economiquement\s+la\s+plus\s+avantageuse|criteres?\s+(?:de\s+)?(?:jugement|notation|ponderation)"
    r"|criteres\s+(?:sont|seront)\s+(?:ponderes|hierarchises|les\s+suivants)|ponderation\s+des\s+criteres"
    r"|(?:offres|propositions)\s+(?:seront|sont)\s+(?:jugees|classees|evaluees|appreciees|notees)|criteres\s+(?:ponderes\s+)?suivants"
    r"|criteres\s+(?:ci-apres|ci-dessous)|selon\s+les\s+criteres|(?:methode|modalites|regles)\s+de\s+notation|notation\s+des\s+offres"
    r"|classement\s+des\s+offres"
)
_ORDER_ONLY = re.compile(
    r"par\s+ordre\s+(?:decroissant|de\s+priorite\s+decroissante|d'importance\s+decroissante|de\s+priorite)"
    r"|ordre\s+decroissant\s+d'importance|hierarchises|classes\s+par\s+ordre"
)
_END = re.compile(
    rf"^{HEADING_PREFIX}(?:rectification|offres?\s+anormalement|negociation|attribution\s+d|"
    r"conditions\s+d'envoi|modalites\s+de\s+remise|remise\s+des\s+(?:offres|plis)|renseignements\s+complementaires|"
    r"demandes?\s+de\s+renseignements|questions\b|"
    r"procedures?\s+de\s+recours|voies\s+de\s+recours|audition|mise\s+au\s+point|suite\s+a\s+donner|"
    r"documents?\s+a\s+produire\s+par\s+l'attributaire|confidentialite|declaration\s+sans\s+suite)"
)
_WEIGHT = re.compile(
    r"(?<![\d,.])(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:(%|pour\s*cent|pourcents?)|(points?|pts?\b)|(/\s*100)\b)"
)
_SUB_MARK = re.compile(
    r"^(?:sous[- ]?criteres?\s*(?:n\s*°|no|n°)?\s*\d*[.,]?\d*\s*[:.\-)]?\s*|(\d{1,2})[.,](\d{1,2})(?!\s*(?:%|pts?\b|points?|/|pour))\.?(?:\s*[-:)]\s*|\s+)|[a-h]\)\s*|[a-h]\.\s+|[ivx]{1,4}\)\s*)"
)
_TOP_MARK = re.compile(
    r"^(?:criteres?\s*(?:n\s*°|no|n°)?\s*(\d{1,2})\s*[:.\-)]?\s*|(\d{1,2})\s*[.)°]\s*[-:]?\s*(?=\D)|(\d{1,2})\s*-\s*(?=[a-z]))"
)
_DESCRIPTION = re.compile(
    r"^(?:definition|ce\s+(?:sous-\s?)?critere|le\s+critere|les?\s+sous[- ]criteres?|la\s+note|note\s+(?:du|de\s+la|=)|"
    r"il\s+sera|elle\s+sera|sera|seront|les?\s+candidats?|l'offre|les\s+offres|le\s+candidat|appreci|"
    r"evalu|jug|pour\s+(?:ce|le|la|les)|dans\s+le\s+cas|en\s+cas|si\s|avec|exemple|formule|soit|ou\s|"
    r"methode|nb|n\.b|nota|rappel|remarque|a\s+titre)"
    r"|=|\bformule\b|\bsera\s+(?:note|jugee?|appreciee?|evaluee?)|\bseront\s+(?:notes|juges|apprecies|evalues)"
)
_DONT = re.compile(r"\b(?:dont|decompose|decomposee|repartis?|reparties|comme\s+suit|sous[- ]criteres)\b")
_TRAILING = re.compile(
    r"[\s:;,.\-–—=(]+$|\s+(?:not[eé]e?s?|pond[eé]r[eé]e?s?|sur|soit|[aà]|dont|de|pour|est|sont|sera|seront|pond[eé]ration|coefficient|compt[eé]e?\s+pour)$|\s*\(\s*(?:not[eé]e?s?\s+)?sur$",
    re.I,
)


@dataclass(slots=True)
class _Item:
    kind: str  # "label" | "weight" | "weak" (a long line, label of last resort) | "desc"
    line: Line
    page: Page
    label: str = ""
    level: str = ""  # "sub" | "top" | "bullet" | ""
    mark: str = ""  # the numbering style ("alpha", "dotted", "sous", "crit", "num", or the bullet sign)
    weight: float | None = None
    unit: str = ""  # "%" | "pts"
    opens: bool = False  # "dont": sub-criteria follow


@dataclass(slots=True)
class _Entry:
    label: str
    level: str
    weight: float | None
    unit: str
    opens: bool
    page: Page
    line: Line
    mark: str = ""
    children: list[_Entry] = field(default_factory=list)
    summed: bool = False  # weight = the sum of its sub-criteria (none written for it)


# "Prix : noté sur 100 points", "Valeur technique, appréciée au regard…": the name stops there.
_SCALE = re.compile(
    r"\s*[,:(–-]?\s*\b(?:not[ée]e?s?|pond[ée]r[ée]e?s?|[ée]valu[ée]e?s?|appr[ée]ci[ée]e?s?|jug[ée]e?s?)\b",
    re.I,
)


# "Les critères de sélection sont : Prix", "Note technique décomposée comme suit : méthodologie":
# the name is after the introduction.
_INTRO = re.compile(
    r"^(?:les?|la|l'|des|une?|notes?|sous-criteres?|criteres?|ponderations?|classement|jugement|il|elle)\b"
    r"[^:]{0,120}?\b(?:criteres?|suivants?|sont|seront|comme\s+suit|ponderee?s?|decomposee?s?|ci-apres|notamment)\b"
    r"[^:]{0,60}:\s*"
)


_SEGMENT = re.compile(r"\s*[,;]\s*|\s+:\s*|:\s+|(?:^|\s+)(?:et|ou)\s+")
_LEADING_LINK = re.compile(r"^(?:et|ou|dont|puis|ainsi\s+que|enfin)\s+", re.I)


def _last_segment(raw: str) -> str:
    parts = [p for p in _SEGMENT.split(raw) if p and re.search(r"[^\W\d_]", p)]
    return parts[-1].strip() if parts else raw


def _clean_label(text: str) -> str:
    label = _LEADING_LINK.sub("", text.strip().lstrip(",;:-–.)( "))
    intro = _INTRO.match(fold(label))
    if intro is not None and len(label) - intro.end() >= 3:
        label = label[intro.end() :]
    folded = label.lower()
    # Cut the name from its description: "Qualité de l'offre. Ce sous-critère sera jugé..."
    for sep in (". ", " : ", ": ", " – ", " - "):
        idx = label.find(sep)
        if idx >= 3 and (len(label) > 60 or sep in (". ",)) and not folded.startswith("note"):
            label = label[:idx]
            break
    scale = _SCALE.search(label)
    if scale is not None and scale.start() > 2:
        label = label[: scale.start()]
    for _ in range(3):
        label = _TRAILING.sub("", label).strip()
    label = label.strip("[]«»\"' ")
    # Parentheses go only when unbalanced: "Qualité (essais en service)" keeps its closing one.
    while label and (
        (label[-1] == ")" and label.count(")") > label.count("("))
        or (label[0] == "(" and label.count("(") > label.count(")"))
        or label[-1] == "("
        or (label[0] == "(" and label[-1] == ")")
    ):
        label = label[1:-1] if label[0] == "(" and label[-1] == ")" else label.strip("()").strip()
    return label.strip()


def _strip_marks(text: str, folded: str) -> tuple[str, str, str, str]:
    """(text, folded, level, mark style) with a leading numbering/bullet removed."""
    m = _SUB_MARK.match(folded)
    if m and m.end() > 0:
        mark = "sous" if folded.startswith("sous") else "dotted" if m.group(1) else _style(folded[0])
        return text[m.end() :], folded[m.end() :], "sub", mark
    m = _TOP_MARK.match(folded)
    if m and m.end() > 0:
        return text[m.end() :], folded[m.end() :], "top", "crit" if m.group(1) else "num"
    m = BULLET.match(folded)
    if m:
        return text[m.end() :], folded[m.end() :], "bullet", folded[0].replace("−", "-").replace("–", "-")
    return text, folded, "", ""


def _style(first: str) -> str:
    return "roman" if first in "ivx" else "alpha"


def _looks_like_label(text: str, folded: str, level: str) -> bool:
    words = len(folded.split())
    if not text or not re.search(r"[a-z]", folded):
        return False
    if level in ("sub", "top") and words <= 40:
        return not folded.startswith(("le ", "la ", "les ")) or words <= 12
    if _DESCRIPTION.search(folded) and not folded.startswith(("prix", "valeur", "delai", "qualite")):
        return False
    if len(text) > 100 or words > 16:
        return False
    return not (text.rstrip().endswith(".") and words > 8)


# In a table whose header says "Pondération" (or "Points"), weights may be bare numbers.
_BARE = re.compile(r"(?<![\d,./°-])(\d{1,3}(?:[.,]\d{1,2})?)\s*$")
_INLINE_BARE = re.compile(
    r"(?:ponderation|ponderee?|coefficient)\s*(?:de|:|a|=)?\s*(\d{1,3}(?:[.,]\d{1,2})?)(?![\d%.,]|\s*(?:%|points?|pts))"
)


_FOR_LABEL = re.compile(
    r"\s*(?:pour|au\s+titre\s+d[eu])\s+(?:le\s+|la\s+|les\s+|l')?(?:critere\s+)?[\"]?\s*([^,;.:\"]+?)\s*[\"]?"
    r"(?=\s+et\s+\d|\s*[,;.]|\s+\d{1,3}(?:[.,]\d+)?\s*%|$)"
)


_NAME_AFTER = re.compile(r"\s*[:=–-]\s*([^,;:(]{3,100}?)\s*(?=[,;:(]|$|\s(?:decompose|appreci|not|dont|jug))")


# "Prix : noté sur 40", "Valeur technique (sur 60)": points written without their unit.
_SUR = re.compile(
    r"(?<=sur )(\d{1,3})\b(?![\d/%]|[.,]\d|\s*(?:%|points?|pts|jours?|mois|ans?|annees?|semaines?|pages?|sites?))"
)
_SCORED = re.compile(r"not[eé]e?s?\s+$|\(\s*$|\bet\s+(?:la|le|les|l')\s.{2,60}$")


def _scored_on(body: str) -> list[re.Match[str]]:
    return [m for m in _SUR.finditer(body) if _SCORED.search(body[max(0, m.start() - 70) : m.start() - 4])]


def _in_parentheses(body: str, m: re.Match[str]) -> bool:
    head = body[: m.start()]
    return head.count("(") > head.count(")") and ")" in body[m.end() :]


def _label_in_sentence(raw: str) -> str:
    """'… pondérés comme suit : prix' -> 'prix' (the name is after the last separator)."""
    parts = re.split(r"\s*[:;,]\s+|\s+et\s+|\s+-\s+", raw)
    tail = parts[-1].strip() if parts else ""
    return tail if 0 < len(tail.split()) <= 8 else ""


def _items(lines: list[tuple[Page, Line]]) -> list[_Item]:
    items: list[_Item] = []
    bare_ok = False
    for page, line in lines:
        folded = line.folded.strip()
        if not folded or has_leaders(line.folded):
            continue
        text, body, level, mark = _strip_marks(line.text.strip(), folded)
        head_words = criteria_rows.header_words(body, most=10)
        if head_words is not None:
            bare_ok = bare_ok or criteria_rows.weight_header(head_words)
            continue
        weights = list(_WEIGHT.finditer(body)) or list(_INLINE_BARE.finditer(body)) or _scored_on(body)
        if any(m.group(2) for m in weights if m.re is _WEIGHT):
            weights = [m for m in weights if m.group(2)]  # "noté sur 100 points, pondéré à 40 %": the %
        if not weights and bare_ok and not heading_number(line.text):
            weights = list(_BARE.finditer(body))
            if weights and float(weights[0].group(1).replace(",", ".")) > 100:
                weights = []
        if weights:
            cursor = 0
            # "Note technique décomposée comme suit : méthodologie 30 points, moyens 20 points": a run of
            # sub-criteria written in one sentence.
            lead = body[: weights[0].start()]
            if len(weights) >= 2 and not level and _DONT.search(lead) and ":" in lead:
                level, mark = "sub", "inline"
            inline = mark == "inline"
            inside = [_in_parentheses(body, m) for m in weights]
            for k, m in enumerate(weights):
                if inside[k] and k + 1 < len(weights) and not inside[k + 1]:
                    continue  # "Taux de recyclé (au moins 30 % de la masse) : 10 %": part of the name
                before = text[cursor : m.start()]
                groups = m.groups() + (None,) * (4 - len(m.groups()))
                unit = "%" if groups[1] or groups[3] else "pts"
                if m.re is _INLINE_BARE and not fold(m.group()).startswith("ponder"):
                    unit = "coef"  # "Prix : coefficient 3": a share of the coefficients' sum
                value = float(m.group(1).replace(",", "."))
                if (groups[3] and value > 100) or value <= 0:
                    continue
                if criteria_rows.TOTAL_SCALE.search(body[max(0, m.start() - 80) : m.start()]):
                    cursor = m.end()
                    continue
                raw_label = before.strip()
                if re.match(r"(?:total|note\s+(?:totale|finale|globale|maximale))\b", fold(raw_label)):
                    cursor = m.end()
                    continue  # the sum row of a weights table
                if len(weights) >= 2 and k > 0:
                    # "Le prix compte pour 40 % de la note, la valeur technique pour 45 % et …": after the
                    # first weight, each name follows the last separator.
                    raw_label = _last_segment(raw_label)
                label = _clean_label(raw_label)
                named_after = _FOR_LABEL.match(body, m.end())
                if named_after is not None:
                    # "60 % pour la valeur technique et 40 % pour le prix": the name follows the weight.
                    raw_label = label = _clean_label(text[named_after.start(1) : named_after.end(1)])
                stop = weights[k + 1].start() if k + 1 < len(weights) else len(body)
                after = body[m.end() : min(stop, m.end() + 120)]
                opens = bool(_DONT.search(after)) or bool(_DONT.search(body[cursor : m.start()][-20:]))
                if raw_label and len(raw_label.split()) > 14 and not level and len(label.split()) > 8:
                    # A long text before the weight: the name opens it ("Valeur technique appréciée…",
                    # cut above), or closes a list ("… pondérés ainsi : prix 40 %, …"); otherwise it is a
                    # percentage inside a sentence, not a weight.
                    label = _clean_label(_label_in_sentence(raw_label)) if len(weights) >= 2 else ""
                    if not label:
                        cursor = m.end()
                        continue
                if not raw_label and named_after is None:
                    # "60 % : Valeur technique, décomposée en :": the name follows the weight.
                    name = _NAME_AFTER.match(body, m.end())
                    if name is not None:
                        label = _clean_label(text[name.start(1) : name.end(1)])
                if k > 0 and inside[k] and not inside[0]:
                    # "Valeur technique 60 % (méthodologie 40 %, planning 20 %)": weights in the
                    # parenthesis after the criterion's own detail it.
                    level, mark = "sub", "inline"
                if label and re.search(r"[a-z]", label.lower()):
                    items.append(_Item("label", line, page, label=label, level=level, mark=mark))
                    level, mark = ("sub", "inline") if inline else ("", "")
                items.append(_Item("weight", line, page, weight=value, unit=unit, opens=opens))
                cursor = named_after.end() if named_after is not None else m.end()
            continue
        continues_desc = (
            not level
            and bool(items)
            and items[-1].kind == "desc"
            and items[-1].line.text.rstrip()[-1:] not in ".:;!?"
            and line.text.rstrip().endswith(".")
        )
        if not continues_desc and _looks_like_label(text, body, level):
            label = _clean_label(text)
            if label:
                items.append(
                    _Item(
                        "label",
                        line,
                        page,
                        label=label,
                        level=level,
                        mark=mark,
                        opens=bool(_DONT.search(body)),
                    )
                )
                continue
        if items and body.strip() in ("dont", "dont :"):
            items[-1].opens = True
            continue
        # A long line may still name a row of a table ("Le montant total indiqué dans la DPGF"):
        # it is used only when a weight has no better label.
        weak = not level and not continues_desc and not _DESCRIPTION.search(body) and len(text) <= 140
        items.append(_Item("weak" if weak else "desc", line, page, label=_clean_label(text) if weak else ""))
    return items


def _forward(items: list[_Item], i: int, kind: str) -> int | None:
    for j in range(i + 1, min(len(items), i + 8)):
        if items[j].kind == "weight":
            return None
        if items[j].kind == kind:
            return j
    return None


def _entries(items: list[_Item]) -> list[_Entry]:
    """Pair each weight with its label: the first label since the previous weight, else the next one."""
    entries: list[_Entry] = []
    consumed: set[int] = set()
    floor = -1  # labels at or before this index belong to earlier weights
    for i, item in enumerate(items):
        if item.kind != "weight":
            continue
        candidates = [j for j in range(floor + 1, i) if items[j].kind == "label" and j not in consumed]
        same_line = [j for j in candidates if items[j].line is item.line]
        if same_line:
            target: int | None = same_line[-1]
        elif candidates:
            # Before the first weight come headings and intro lines: the closest label names it.
            target = candidates[-1] if floor < 0 else candidates[0]
        else:
            target = None
        if target is None:
            weak = [j for j in range(floor + 1, i) if items[j].kind == "weak" and j not in consumed]
            target = weak[-1] if weak else _forward(items, i, "label")
        if target is None:
            target = _forward(items, i, "weak")
        floor = max(i, target or -1)
        if target is None:
            continue
        consumed.add(target)
        label = items[target]
        if label.level in ("sub", "bullet"):
            # "Valeur technique :" written with no weight of its own, then its weighted sub-criteria:
            # the heading becomes the criterion, weighing what its sub-criteria add up to.
            header = next(
                (
                    j
                    for j in range(target - 1, -1, -1)
                    if items[j].kind == "label" and items[j].level in ("", "top") and j not in consumed
                ),
                None,
            )
            previous_weight = max((j for j in range(target) if items[j].kind == "weight"), default=-1)
            if header is not None and header > previous_weight:
                consumed.add(header)
                head = items[header]
                entries.append(
                    _Entry(
                        label=head.label, level="top", weight=None, unit=item.unit, opens=True,
                        page=head.page, line=head.line, summed=True,
                    )
                )  # fmt: skip
        entries.append(
            _Entry(
                label=label.label,
                level=label.level,
                mark=label.mark,
                weight=item.weight,
                unit=item.unit,
                opens=item.opens or label.opens,
                page=label.page,
                line=label.line,
            )
        )
    return entries


def _mark_bullet_runs(entries: list[_Entry]) -> None:
    """Bullets right under a criterion whose weights add up to it (or to 100) are its sub-criteria."""
    for i, entry in enumerate(entries):
        if entry.level == "bullet" or not entry.weight:
            continue
        run: list[_Entry] = []
        for nxt in entries[i + 1 :]:
            if nxt.level != "bullet":
                break
            run.append(nxt)
        total = sum(e.weight or 0.0 for e in run)
        if len(run) >= 2 and (
            abs(total - entry.weight) <= 0.5 or (abs(total - 100) <= 0.5 and entry.weight < 100)
        ):
            for sub in run:
                sub.level = "sub"


def _group(entries: list[_Entry]) -> list[_Entry]:
    _mark_bullet_runs(entries)
    tops: list[_Entry] = []
    stray: list[_Entry] = []
    parent: _Entry | None = None
    for entry in entries:
        weight = entry.weight or 0.0
        if parent is not None:
            used = sum(c.weight or 0.0 for c in parent.children)
            room = (parent.weight or 0.0) - used
            fits = weight <= room + 0.5 and room > 0.5
            # "a) … b) …", "Critère 1 … Critère 2": the same numbering as the criterion is its sibling
            # (bullets of the same sign may still list the sub-criteria a criterion opens with "dont").
            sibling = (
                bool(entry.mark)
                and entry.mark == parent.mark
                and not (entry.level == "bullet" and parent.opens)
            )
            # "• sub" under "- criterion": another bullet sign is one level down.
            nested_bullet = (
                entry.level == "bullet" and parent.level == "bullet" and entry.mark != parent.mark and fits
            )
            explicit_sub = not sibling and (
                entry.level == "sub" or (entry.level == "bullet" and parent.opens) or nested_bullet
            )
            if parent.summed and entry.level in ("sub", "bullet"):
                parent.children.append(entry)
                parent.weight = (parent.weight or 0.0) + weight
                continue
            # A plain line after a run of bulleted sub-criteria, or a weight in another unit than
            # theirs ("Prix : 40 %" after "• Délais : 4 points"), is back at the criteria's level.
            dedent = bool(parent.children) and (
                (entry.level == "" and all(c.level in ("bullet", "sub") for c in parent.children))
                or entry.unit != parent.children[-1].unit
            )
            if dedent:
                sibling = True
                explicit_sub = False
            if entry.level != "top" and (explicit_sub or (parent.opens and fits and not sibling)):
                parent.children.append(entry)
                continue
        if _top_total_complete(tops) and entry.level != "top":
            stray.append(entry)  # a stray percentage after the table, or the last criterion's details
            continue
        tops.append(entry)
        parent = entry
    # "Valeur technique 60 %" then "Méthodologie 30 %", "Moyens 30 %" at the same level (a table whose
    # sub-criteria column pypdf printed like the rest): a run adding up to the last criterion details it.
    last = tops[-1] if tops else None
    if (
        last is not None
        and not last.children
        and len(stray) >= 2
        and last.weight
        and abs(sum(e.weight or 0.0 for e in stray) - last.weight) <= 0.5
        and all(e.unit == last.unit for e in stray)
        and stray[0].line is not last.line
    ):
        last.children = stray
    return _regroup(tops)


def _regroup(tops: list[_Entry]) -> list[_Entry]:
    """Tops adding up to more than 100 %: a run that adds up to the criterion before it is its
    sub-criteria ("Valeur technique (60 %) : méthodologie (30 %), moyens (30 %)")."""
    total = sum(t.weight or 0.0 for t in tops)
    if any(t.unit != "%" for t in tops) or total <= 100.5:
        return tops
    for i, parent in enumerate(tops):
        if parent.children or not parent.weight:
            continue
        run_total = 0.0
        for j in range(i + 1, len(tops)):
            run_total += tops[j].weight or 0.0
            if j - i >= 2 and abs(run_total - parent.weight) <= 0.5 and abs(total - run_total - 100) <= 0.5:
                parent.children = tops[i + 1 : j + 1]
                return [*tops[: i + 1], *tops[j + 1 :]]
            if run_total > parent.weight:
                break
    return tops


def _top_total_complete(tops: list[_Entry]) -> bool:
    if not tops or any(t.unit != "%" for t in tops):
        return False
    return abs(sum(t.weight or 0.0 for t in tops) - 100) <= 0.5


def _listed_subcriteria(tops: list[_Entry], section: list[tuple[Page, Line]]) -> None:
    """'Valeur technique : 60 %, appréciée au regard des sous-critères suivants :' then bulleted names
    with no weight: they are its sub-criteria (weights unknown), in the document's order."""
    where = {id(line): i for i, (_, line) in enumerate(section)}
    for top in tops:
        if top.children or not top.line.text.rstrip().endswith(":") or id(top.line) not in where:
            continue
        names: list[_Entry] = []
        for page, line in section[where[id(top.line)] + 1 : where[id(top.line)] + 16]:
            text, body, level, mark = _strip_marks(line.text.strip(), line.folded.strip())
            if level not in ("bullet", "sub") or _WEIGHT.search(body) or len(text) > 160:
                break
            label = _clean_label(text)
            if not label:
                break
            names.append(_Entry(label, level, None, top.unit, False, page, line, mark=mark))
        if len(names) >= 2:
            top.children = names


def _to_criteria(tops: list[_Entry]) -> list[Criterion]:
    # Points stay points: a total other than 100 is not rescaled on a guess (the field is then
    # shown à vérifier); the row reader converts when the table states its total.
    scale = 1.0
    if tops and all(t.unit == "coef" for t in tops):
        scale = 100.0 / (sum(t.weight or 0.0 for t in tops) or 100.0)  # coefficients are relative
    criteria: list[Criterion] = []
    for top in tops:
        pct = round((top.weight or 0.0) * scale, 2)
        subs: list[SubCriterion] = []
        raw = [c.weight or 0.0 for c in top.children]
        s = sum(raw)
        for child in top.children:
            w = child.weight or 0.0
            if abs(s - (top.weight or 0.0)) <= 0.5:
                value = w * scale
            elif abs(s - 100) <= 0.5:
                value = w * pct / 100
            elif s > 0:
                value = w / s * pct
            else:
                value = 0.0
            weight = None if child.weight is None else round(value, 2)  # listed without a weight
            subs.append(SubCriterion(name=child.label, weight_percent=weight))
        criteria.append(
            Criterion(
                name=top.label, weight_percent=pct, subcriteria=subs, evidence=top.page.evidence(_quote(top))
            )
        )
    return criteria


def _quote(entry: _Entry) -> str:
    return entry.line.text[:240].strip()


def _section(
    pages: Sequence[Page], page_index: int, line_index: int, limit: int = 260
) -> list[tuple[Page, Line]]:
    out: list[tuple[Page, Line]] = []
    anchor_no = heading_number(pages[page_index].lines[line_index].text)
    first = True
    for pi in range(page_index, page_index + 4):
        try:
            page = pages[pi]
        except IndexError:
            break
        if pi > page_index and page.piece is not pages[page_index].piece:
            break
        start = line_index + 1 if first else 0
        first = False
        for line in page.lines[start:]:
            folded = line.folded
            if (len(folded) < 90 and _END.match(folded)) or is_later_section(
                anchor_no, heading_number(line.text)
            ):
                return out
            out.append((page, line))
            if len(out) >= limit:
                return out
    return out


def _cell_lines(section: list[tuple[Page, Line]]) -> list[tuple[Page, Line]]:
    out: list[tuple[Page, Line]] = []
    for page, line in section:
        if (
            not line.cells
            or heading_number(line.text)
            or (len(line.text) < 90 and _ANCHOR.search(line.folded))
        ):
            out.append((page, line))  # a heading "6.2 | Jugement des offres" stays whole
            continue
        # A one-line row stays one line ("Prix 60 % dont"); a row whose cells wrap gives each inner
        # line, then the other cells ("Définition : … / … pondération. / 40 %").
        parts = [p for cell in line.cells for p in cell.split(CELL_BREAK) if p.strip()]
        if all(CELL_BREAK not in cell for cell in line.cells):
            parts = [" ".join(line.cells)]
        else:
            first = logical_lines([p for p in line.cells[0].split(CELL_BREAK) if p.strip()])
            parts = [
                *first,
                " ".join(p for cell in line.cells[1:] for p in cell.split(CELL_BREAK) if p.strip()),
            ]
        for part in parts:
            if part.strip():
                out.append((page, Line(text=part, folded=fold(part), start=line.start)))
    return out


def _ordered_only(lines: list[tuple[Page, Line]], anchor_page: Page, anchor: Line) -> list[Criterion]:
    """'par ordre décroissant d'importance': names in order, no weights."""
    names: list[tuple[str, Page, Line]] = []
    order = _ORDER_ONLY.search(anchor.folded)
    tail = anchor.folded[order.end() :] if order else ""
    if ":" in tail and len(tail.split(":", 1)[1].strip()) > 3:
        raw = anchor.text[len(anchor.text) - len(tail) :].split(":", 1)[1]
        for part in re.split(r"[;,]|\s\d[.)]\s|\s-\s", raw):
            name = _clean_label(part)
            if name and len(name) < 80:
                names.append((name, anchor_page, anchor))
    if not names:
        for page, line in lines:
            text, _body, level, _mark = _strip_marks(line.text.strip(), line.folded.strip())
            if level:
                name = _clean_label(text)
                if name and len(name) <= 120:
                    names.append((name, page, line))
            elif names:
                break
    return [
        Criterion(name=n, weight_percent=None, evidence=p.evidence(ln.text[:240])) for n, p, ln in names[:10]
    ]


_CANDIDATURES = re.compile(r"\bcandidatures?\b|\bcandidats?\s+admis")


Found = tuple[list[Criterion], Evidence, dict[int, list[Criterion]]]


def find_criteria(pages: Sequence[Page]) -> Found | None:
    """The award criteria (lot 1's when lots are weighted differently), their evidence, and each
    lot's own criteria when the RC gives one table per lot or group of lots."""
    best: list[Criterion] = []
    for pi, page in enumerate(pages):
        for li, line in enumerate(page.lines):
            if has_leaders(line.text) or not _ANCHOR.search(line.folded):
                continue
            if _CANDIDATURES.search(line.folded) and not re.search(r"\boffres?\b", line.folded):
                continue  # the selection of candidatures (restricted procedures) is not the award
            found = _read_section(page, line, _section(pages, pi, li), best)
            if found is not None:
                return found
    if not best:
        # No sentence or heading names the criteria: the section whose heading speaks of the
        # award ("7 - JUGEMENT", "H – Critères de choix").
        for section in sections.sections(pages, _AWARD_HEADING):
            found = _read_section(section.page, section.line, section.lines[:260], best)
            if found is not None:
                return found
    if best:
        return best, best[0].evidence or pages[0].evidence(best[0].name), {}
    return _price_only(pages)


_AWARD_HEADING = frozenset(
    ("jugement", "attribution", "critere", "criteres", "notation", "choix", "classement", "evaluation")
)


def _unleadered(line: Line) -> Line:
    """ "Valeur technique ........ 50 %": dotted leaders up to a weight join a name to its weight
    (a table of contents ends with a bare page number, not a weight)."""
    if line.cells or not has_leaders(line.text) or not _WEIGHT.search(fold(line.text[-20:])):
        return line
    # The text stays verbatim (it is quoted); the folded copy, which the readers match, has spaces
    # for the leaders (same length).
    return Line(text=line.text, folded=blank_leaders(line.folded), start=line.start)


def _read_section(
    page: Page, line: Line, section: list[tuple[Page, Line]], best: list[Criterion]
) -> Found | None:
    """The criteria of the section under `line`: a complete table or list is returned; a partial
    one is kept in `best` (the longest so far)."""
    section = [(p, _unleadered(ln)) for p, ln in section]
    head = [(page, line)] if criteria_rows.lot_heading(line) else []
    by_rows = _by_rows([*head, *section])
    if by_rows is not None:
        return by_rows
    # The line reader reads a table cell by cell, one inner line at a time.
    section = _cell_lines(section)
    head = [(page, line)] if _WEIGHT.search(line.folded) else []
    entries = _entries(_items([*head, *section]))
    tops = _group(entries)
    _listed_subcriteria(tops, section)
    if len(tops) >= 2 or (len(tops) == 1 and tops[0].children):
        criteria = _to_criteria(tops)
        total = sum(c.weight_percent or 0 for c in criteria)
        if abs(total - 100) <= 1:
            return criteria, criteria[0].evidence or page.evidence(line.text[:240]), {}
        if len(criteria) > len(best):
            best[:] = criteria
    if not best:
        text_lines = [(page, line), *section]
        for tp, tl in text_lines[:6]:
            if _ORDER_ONLY.search(tl.folded):
                ordered = _ordered_only(section, tp, tl)
                if len(ordered) >= 2:
                    return ordered, tp.evidence(tl.text[:240]), {}
    return None


# "Le critère unique d'attribution est le prix", "jugées sur le seul critère du prix".
_PRICE_ONLY = re.compile(
    r"critere\s+unique(?:\s+(?:d'attribution|de\s+jugement|de\s+choix))?\s*(?:est|sera|:)\s*(?:celui\s+du\s+|le\s+)?prix"
    r"|(?:seul|unique)\s+critere\s+(?:du\s+|de\s+jugement\s*:?\s*|d'attribution\s*:?\s*|retenu\s*:?\s*)?(?:le\s+)?prix\b"
    r"|sur\s+(?:la\s+base\s+du\s+)?(?:le\s+)?seul\s+critere\s+du\s+prix"
)


def _price_only(pages: Sequence[Page]) -> Found | None:
    for page in pages:
        m = _PRICE_ONLY.search(page.folded)
        if m is not None:
            evidence = page.evidence_at(m.start(), m.end())
            return [Criterion(name="Prix", weight_percent=100.0, evidence=evidence)], evidence, {}
    return None


def _by_rows(section: list[tuple[Page, Line]]) -> Found | None:
    """The section read as rows (see criteria_rows), one table per lot or group of lots. Used when
    every table it finds is complete (weights adding up to their scale); else the line reader."""
    tables: list[tuple[set[int], list[Criterion]]] = []
    for block in criteria_rows.lot_columns(section) or criteria_rows.split_by_lot(section):
        read = criteria_rows.read_rows(block.lines)
        if read.ambiguous:
            return None
        rows = criteria_rows.nest(read.rows)
        # Coefficients are shares of their own sum: that sum is the table's scale.
        stated = sum(r.weight or 0.0 for r in rows) if read.relative and read.total is None else read.total
        criteria = _rows_to_criteria(rows, stated)
        if criteria is None:
            if block.lots:
                continue  # a lot heading followed by prose
            return None
        tables.append((block.lots, criteria))
    if not tables:
        return None
    first = next((c for lots, c in tables if 1 in lots), tables[0][1])
    per_lot: dict[int, list[Criterion]] = {}
    if len(tables) >= 2:
        for lots, criteria in tables:
            for number in sorted(lots):
                per_lot.setdefault(number, criteria)
    evidence = first[0].evidence
    assert evidence is not None
    return first, evidence, per_lot


def _rows_to_criteria(tops: list[criteria_rows.Row], stated: float | None) -> list[Criterion] | None:
    """Weights as percentages when the scale is known: a stated total, percentages, or points
    adding up to 100. A table that is not complete returns None (the line reader tries)."""
    if len(tops) == 1 and tops[0].summed:
        tops = tops[0].children  # a heading over the weighted criteria, not a criterion
    if len(tops) < 2 and not (tops and tops[0].children):
        return None
    if any(not t.weight or (t.opens and not t.children) for t in tops):
        return None  # a criterion without weight, or whose announced sub-criteria were not read
    total = sum(t.weight or 0.0 for t in tops)
    percent = all(t.unit in ("%", "") for t in tops) and any(t.unit == "%" for t in tops)
    scale_total = stated if stated else 100.0
    if abs(total - scale_total) > 0.5 and not (percent and abs(total - 100) <= 0.5):
        return None
    factor = 100.0 / scale_total
    out: list[Criterion] = []
    for top in tops:
        pct = round((top.weight or 0.0) * factor, 2)
        subs: list[SubCriterion] = []
        raw = sum(c.weight or 0.0 for c in top.children)
        if any(c.weight is None for c in top.children):
            return None  # sub-criteria weighted in words the rows do not read: the line reader
        for child in top.children:
            weight = child.weight or 0.0
            if abs(raw - (top.weight or 0.0)) <= 0.5:
                value = round(weight * factor, 2)  # sub-criteria in the criterion's own points
            elif abs(raw - 100) <= 0.5:
                value = round(weight * pct / 100, 2)  # sub-criteria in % of the criterion
            else:
                subs = []  # sub-weights that do not add up: the criterion stands, its details do not
                break
            subs.append(SubCriterion(name=child.name, weight_percent=value))
        quote = top.line.text[:240].strip()
        out.append(
            Criterion(name=top.name, weight_percent=pct, subcriteria=subs, evidence=top.page.evidence(quote))
        )
    return out
