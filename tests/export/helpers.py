"""Read back what a reader sees in the exported DOCX files."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn


def plain(text: str) -> str:
    """Text as read aloud: the non-breaking spaces of French typography count as spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def open_docx(path: Path) -> DocumentObject:
    return docx.Document(str(path))


def headings(doc: DocumentObject) -> list[tuple[int, str]]:
    out = []
    for p in doc.paragraphs:
        name = p.style.name if p.style is not None else ""
        if name.startswith("Heading ") and name[8:].isdigit():
            out.append((int(name[8:]), plain(p.text)))
    return out


def all_text(doc: DocumentObject) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return plain("\n".join(parts))


def tables_with_header(doc: DocumentObject, first: str) -> list[list[list[str]]]:
    out = []
    for table in doc.tables:
        rows = [[plain(c.text) for c in row.cells] for row in table.rows]
        if rows and rows[0][0] == first:
            out.append(rows)
    return out


def field_codes(part_element: object) -> list[str]:
    return [el.text.strip() for el in part_element.iter(qn("w:instrText"))]  # type: ignore[attr-defined]
