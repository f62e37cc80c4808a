"""Office Open XML names shared by the import-side readers (no python-docx nor openpyxl: the
extraction process stays light)."""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSMAP = {"w": W_NS}


def qn(tag: str) -> str:
    """ "w:p" → "{…wordprocessingml/2006/main}p" (what python-docx's `qn` gives for the w prefix)."""
    prefix, _, local = tag.partition(":")
    if prefix != "w":
        raise ValueError(f"unknown namespace prefix: {prefix}")
    return f"{{{W_NS}}}{local}"
