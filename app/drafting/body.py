"""The plain-text form of a section body that drafting writes and the export reads.

- paragraphs are separated by a blank line; a line starting with "- " is a bullet;
- a line "### Titre" is a sub-heading (Heading 3);
- a line "[[TABLE:references]]" (or moyens_humains, moyens_materiels, chiffre_affaires, certifications)
  is replaced by a table built from the company profile at export time;
- lines "| a | b |" one after the other are a table of text (from a reused past mémoire);
- a line "[[IMAGE:sha256]]" is a picture of a library block (its content in the store);
- "[[REPRIS:origin]]" … "[[/REPRIS]]" surround text reused from the library: the editor shows where
  it comes from (to re-read); the export leaves the marks out;
- bodies saved by the editor may be a small HTML subset: `to_blocks` reads both.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

from app.drafting.markers import MARKER_RE

TABLE_RE = re.compile(r"^\[\[TABLE:([a-z_]+)\]\]$")
TABLES = ("references", "moyens_humains", "moyens_materiels", "chiffre_affaires", "certifications")
REUSE_RE = re.compile(r"^\[\[REPRIS:(.*)\]\]$")
IMAGE_RE = re.compile(r"^\[\[IMAGE:([0-9a-f]{64})\]\]$")
REUSE_END = "[[/REPRIS]]"
_GRID_ROW = re.compile(r"^\|.*\|$")

BlockKind = Literal["paragraph", "bullet", "heading", "table", "grid", "reuse", "reuse_end", "image"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str  # table name for "table"; rows "| a | b |" joined by newlines for "grid"; origin for "reuse"

    @property
    def rows(self) -> list[list[str]]:
        """The cells of a "grid" block (first row: header)."""
        return [[c.strip() for c in line.strip().strip("|").split("|")] for line in self.text.splitlines()]


def reuse_start(origin: str) -> str:
    return f"[[REPRIS:{origin.replace(']]', '] ]')}]]"


def strip_reuse_marks(body: str) -> str:
    """The body without the reuse marks (what the buyer reads)."""
    return "\n".join(
        line for line in body.splitlines() if not REUSE_RE.match(line.strip()) and line.strip() != REUSE_END
    )


def table_token(name: str) -> str:
    return f"[[TABLE:{name}]]"


def _html_to_text(body: str) -> str:
    text = re.sub(r"(?is)<(script|style).*?</\1>", "", body)
    text = re.sub(r"(?i)<h[1-6][^>]*>", "\n\n### ", text)
    text = re.sub(r"(?i)<li[^>]*>", "\n- ", text)
    text = re.sub(r"(?i)</(p|div|h[1-6]|li|ul|ol|tr)>|<br\s*/?>", "\n\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text)


def to_blocks(body: str) -> list[Block]:
    if re.match(r"^\s*<", body):
        body = _html_to_text(body)
    blocks: list[Block] = []
    paragraph: list[str] = []
    prev_grid = False  # the previous line was a row of the same table

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", " ".join(paragraph)))
            paragraph.clear()

    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif _GRID_ROW.match(line) and line.count("|") >= 3:
            flush()
            if blocks and blocks[-1].kind == "grid" and prev_grid:
                blocks[-1] = Block("grid", f"{blocks[-1].text}\n{line}")
            else:
                blocks.append(Block("grid", line))
            prev_grid = True
            continue
        elif m := REUSE_RE.match(line):
            flush()
            blocks.append(Block("reuse", m.group(1)))
        elif m := IMAGE_RE.match(line):
            flush()
            blocks.append(Block("image", m.group(1)))
        elif line == REUSE_END:
            flush()
            blocks.append(Block("reuse_end", ""))
        elif m := TABLE_RE.match(line):
            flush()
            blocks.append(Block("table", m.group(1)))
        elif line.startswith(("- ", "• ")):
            flush()
            blocks.append(Block("bullet", line[2:].strip()))
        elif line.startswith("### "):
            flush()
            blocks.append(Block("heading", line[4:].strip()))
        else:
            paragraph.append(line)
        prev_grid = False
    flush()
    return blocks


def strip_markers(text: str) -> str:
    """The text without its `[à compléter : …]` markers (they answer nothing yet)."""
    return MARKER_RE.sub(" ", text)
