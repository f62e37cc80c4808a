"""`[à compléter : …]`: the visible marker for a company fact the profile does not give."""

from __future__ import annotations

import re

# The space before ":" may be non-breaking once the text is typeset (app.export.typography).
MARKER_RE = re.compile(r"\[à compléter[ \u00a0\u202f]: ([^\]]+)\]")


def marker(what: str) -> str:
    return f"[à compléter : {what}]"


def find_markers(text: str) -> list[str]:
    return MARKER_RE.findall(text)
