"""`[à compléter : …]`: the visible marker for a company fact the profile does not give."""

from __future__ import annotations

import re

MARKER_RE = re.compile(r"\[à compléter : ([^\]]+)\]")


def marker(what: str) -> str:
    return f"[à compléter : {what}]"


def find_markers(text: str) -> list[str]:
    return MARKER_RE.findall(text)
