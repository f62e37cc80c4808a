"""Summary tables of an RC: rows "label | value" ("Variantes | Sans", "Visite | Obligatoire").

One reader for every field a summary table can state: a row whose first cell is the field's label
(and nothing else) gives its value in the next cell; the value is then read as yes/no or as a
word from a short list, never as a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from app.domain.document import CELL_BREAK

from .sections import MARK as _MARK
from .sections import heading
from .source import Line, Page
from .text import fold

_YES = re.compile(r"^(?:oui|autorisee?s?|admises?|acceptees?|possibles?|avec\b|prevues?)\b")
_NO = re.compile(
    r"^(?:non\b|sans\b|aucune?s?\b|interdites?\b|exclues?\b|neant\b|pas\s+de\b|refusee?s?\b|non\s+autorisee?s?\b)"
)


def labelled(pages: Sequence[Page], label: re.Pattern[str]) -> Iterator[tuple[Page, Line, str]]:
    """(page, row, value) for each table row whose first cell is exactly this label, for each
    short line "label : value" ("Variantes libres : non", "2.4 - Visite : sans objet") — the same
    field written as a list — and for a heading that is the label with a short line under it as
    its whole section ("6 - VISITE" / "Sans objet.")."""
    for page in pages:
        for index, line in enumerate(page.lines):
            head_line = heading(line)
            if head_line is not None and label.fullmatch(head_line.title):
                value_line = page.lines[index + 1] if index + 1 < len(page.lines) else None
                after = page.lines[index + 2] if index + 2 < len(page.lines) else None
                if (
                    value_line is not None
                    and not value_line.cells
                    and len(value_line.text) <= 60
                    and heading(value_line) is None
                    and (after is None or heading(after) is not None)
                ):
                    yield page, value_line, value_line.text.strip(" .;")
                continue
            if len(line.cells) >= 2:
                head, value = line.cells[0], line.cells[1]
            else:
                head, colon, value = line.text.partition(" :" if " :" in line.text else ":")
                if not colon or len(value) > 60:
                    continue
            head = fold(head.replace(CELL_BREAK, " ")).strip(" :")
            mark = _MARK.match(head)  # "2.4 - Visite : …": the numbering is not part of the label
            head = head[mark.end() :] if mark is not None else head
            if len(head) <= 60 and label.fullmatch(head):
                yield page, line, value.replace(CELL_BREAK, " ").strip(" :")


def yes_no(value: str) -> bool | None:
    folded = fold(value).strip(" .:;")
    if _NO.match(folded):
        return False
    if _YES.match(folded):
        return True
    return None
