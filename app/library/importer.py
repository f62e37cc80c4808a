"""A past mémoire (or any answer document) → library blocks, one per heading.

Each block keeps its heading, its paragraphs, bullets and tables (in the drafting body format of
app.drafting.body: "- " bullets, "| a | b |" table rows), the source file and its date. The cover page's
"Acheteur : …", "Objet : …", "Lieu d'exécution : …" lines are kept as the old consultation's facts, so
that drafting can put the new buyer's name where the old one was. Tags are guessed (app.library.tags).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from app.domain.errors import InvalidInput
from app.drafting.text import fold, normalize_space
from app.library.tags import guess_tags

FORMATS = (".docx", ".odt", ".pdf")
MAX_FILE = 64 * 1024 * 1024
_MIN_BODY_CHARS = 40  # a heading followed by less is joined to the next block


@dataclass
class ImportedBlock:
    title: str
    body: str
    tags: list[str]
    level: int = 1
    images: int = 0  # pictures under this heading ("[[IMAGE:sha256]]" lines of the body)

    @property
    def content_hash(self) -> str:
        text = f"{fold(normalize_space(self.title))}\n{fold(normalize_space(self.body))}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class ImportedDocument:
    file_name: str
    date: date | None
    facts: dict[str, str] = field(default_factory=dict)  # buyer, object, site of the old consultation
    blocks: list[ImportedBlock] = field(default_factory=list)
    images: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # sha256 → (content, type)


# --- lines: (kind, level, text) with kind heading / paragraph / bullet / row / image ----------------------
Line = tuple[str, int, str]

_NUMBER = re.compile(
    r"^\s*(?:(?:article|chapitre|partie)\s+)?\d{1,2}(?:\.\d{1,2}){0,3}\s*[.)]?\s*(?:[-–—:]\s*)?"
)
_HEADING_STYLE = re.compile(r"^(?:heading|titre)\s*(\d)", re.IGNORECASE)


_IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif", "image/bmp": "bmp"}
_Images = dict[str, tuple[bytes, str]]


def _keep_image(images: _Images, blob: bytes, content_type: str) -> str | None:
    if content_type not in _IMAGE_TYPES or not blob:
        return None
    sha = hashlib.sha256(blob).hexdigest()
    images[sha] = (blob, content_type)
    return sha


def _docx_lines(data: bytes, images: _Images) -> tuple[list[Line], date | None]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[Line] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            style = para.style.name if para.style is not None else ""
            text = normalize_space(para.text)
            for rid in child.xpath(".//*[local-name()='blip']/@*[local-name()='embed']"):
                part = document.part.related_parts.get(str(rid))
                sha = _keep_image(images, part.blob, part.content_type) if part is not None else None
                if sha:
                    lines.append(("image", 0, sha))
            if not text:
                continue
            m = _HEADING_STYLE.match(style)
            outline = child.xpath(
                "./*[local-name()='pPr']/*[local-name()='outlineLvl']/@*[local-name()='val']"
            )
            if m:
                lines.append(("heading", int(m.group(1)), text))
            elif outline and str(outline[0]).isdigit() and int(str(outline[0])) < 9:
                lines.append(("heading", int(str(outline[0])) + 1, text))
            elif style.lower().startswith("title") or style.lower() == "titre":
                lines.append(("title", 0, text))
            elif "list" in style.lower() or "liste" in style.lower():
                lines.append(("bullet", 0, text))
            else:
                lines.append(("paragraph", 0, text))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = normalize_space(cell.text).replace("|", "/")
                    if not cells or value != cells[-1]:  # merged cells repeat their text
                        cells.append(value)
                if any(cells):
                    lines.append(("row", 0, "| " + " | ".join(cells) + " |"))
    created = document.core_properties.created
    return lines, created.date() if isinstance(created, datetime) else None


_ODF = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
}


def _odf_text(el: ET.Element) -> str:
    return normalize_space("".join(el.itertext()))


def _odt_lines(data: bytes, images: _Images) -> tuple[list[Line], date | None]:
    pictures: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("content.xml")
        if info.file_size > MAX_FILE:
            raise InvalidInput("document trop volumineux.", field="fichier")
        root = ET.fromstring(zf.read(info))  # noqa: S314 - size-capped, expat refuses entity bombs
        for item in zf.infolist():
            if item.filename.startswith("Pictures/") and item.file_size <= MAX_FILE:
                pictures[item.filename] = zf.read(item)
    t, tb, dr = (f"{{{_ODF[k]}}}" for k in ("text", "table", "draw"))
    lines: list[Line] = []

    def walk(el: ET.Element, in_list: bool = False) -> None:
        for child in el:
            if child.tag == f"{t}h":
                lines.append(("heading", int(child.get(f"{t}outline-level", "1")), _odf_text(child)))
            elif child.tag == f"{t}p":
                for picture in child.iter(f"{dr}image"):
                    href = picture.get("{http://www.w3.org/1999/xlink}href", "")
                    kind = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif"}
                    ext = href.rsplit(".", 1)[-1].lower()
                    sha = _keep_image(images, pictures.get(href, b""), kind.get(ext, ""))
                    if sha:
                        lines.append(("image", 0, sha))
                text = _odf_text(child)
                if text:
                    lines.append(("bullet" if in_list else "paragraph", 0, text))
            elif child.tag == f"{t}list":
                walk(child, True)
            elif child.tag == f"{t}list-item":
                walk(child, in_list)
            elif child.tag == f"{tb}table":
                for row in child.iter(f"{tb}table-row"):
                    cells = [_odf_text(c).replace("|", "/") for c in row if c.tag == f"{tb}table-cell"]
                    if any(cells):
                        lines.append(("row", 0, "| " + " | ".join(cells) + " |"))
            else:
                walk(child, in_list)

    walk(root)
    return lines, None


# A PDF has no styles: a numbered short line without final punctuation is a heading.
_PDF_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,2})\s*[.)]?\s*[-–—]?\s*([A-ZÀ-Ö].{2,110})$")
_PDF_BULLET = re.compile(r"^\s*[-•▪➢*]\s+")


def _pdf_lines(data: bytes, images: _Images) -> tuple[list[Line], date | None]:
    from app.dce.extractors import extract

    extraction = extract("document.pdf", data)
    if extraction.error:
        raise InvalidInput(extraction.error, field="fichier")
    lines: list[Line] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            lines.append(("paragraph", 0, normalize_space(" ".join(paragraph))))
            paragraph.clear()

    for page in extraction.pages:
        for raw in page.text.splitlines():
            line = raw.strip()
            m = _PDF_HEADING.match(line)
            if not line:
                flush()
            elif m and not line.endswith((".", ",", ";")) and len(line) < 120:
                flush()
                lines.append(("heading", m.group(1).count(".") + 1, line))
            elif _PDF_BULLET.match(line):
                flush()
                lines.append(("bullet", 0, _PDF_BULLET.sub("", line)))
            elif lines and lines[-1][0] == "bullet" and not paragraph and line[:1].islower():
                kind, level, text = lines[-1]
                lines[-1] = (kind, level, f"{text} {line}")
            else:
                paragraph.append(line)
                if line.endswith((".", ":", "!", "?")):
                    flush()
        flush()
    return lines, None


# --- cover facts ------------------------------------------------------------------------------------------
_FACT_LABELS = {
    "buyer": ("acheteur", "maitre d'ouvrage", "pouvoir adjudicateur", "client", "collectivite"),
    "object": ("objet", "intitule"),
    "site": ("lieu d'execution", "lieu des travaux", "site", "adresse du chantier"),
    "date": ("date",),
}
_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def _facts(lines: list[Line]) -> dict[str, str]:
    facts: dict[str, str] = {}
    for kind, _, text in lines:
        if kind == "heading":
            break
        label, sep, value = text.partition(":")
        if not sep or not value.strip():
            continue
        folded = fold(label).strip().replace("’", "'")
        for name, labels in _FACT_LABELS.items():
            if name not in facts and folded in labels:
                facts[name] = normalize_space(value)
    return facts


def _parse_date(text: str) -> date | None:
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _clean_title(text: str) -> str:
    return normalize_space(_NUMBER.sub("", text)) or normalize_space(text)


def _blocks(lines: list[Line]) -> list[ImportedBlock]:
    """A block per heading; a heading with almost nothing under it (a part title) is joined to the next."""
    blocks: list[ImportedBlock] = []
    title: str | None = None
    level = 1
    body: list[str] = []
    images = 0

    def close() -> None:
        text = "\n\n".join(body).strip()
        if title is not None and len(text) >= _MIN_BODY_CHARS:  # else a part title: its text is below
            blocks.append(ImportedBlock(title, text, guess_tags(title, text), level, images))

    for kind, lvl, text in lines:
        if kind == "heading":
            close()
            title, level, body, images = _clean_title(text), lvl, [], 0
        elif title is None:
            continue  # the cover page
        elif kind == "image":
            images += 1
            body.append(f"[[IMAGE:{text}]]")
        elif kind == "bullet":
            body.append(f"- {text}")
        elif kind == "row":
            if body and body[-1].startswith("| "):
                body[-1] += f"\n{text}"
            else:
                body.append(text)
        elif kind == "paragraph":
            body.append(text)
    close()
    return blocks


def read_document(name: str, data: bytes) -> ImportedDocument:
    """The blocks of one past mémoire (DOCX, ODT or PDF)."""
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput(
            f"format non pris en charge : {Path(name).name} (attendu : DOCX, ODT ou PDF).", field="fichier"
        )
    if len(data) > MAX_FILE:
        raise InvalidInput("document trop volumineux (64 Mo au plus).", field="fichier")
    try:
        reader: Any = {".docx": _docx_lines, ".odt": _odt_lines, ".pdf": _pdf_lines}[suffix]
        pictures: _Images = {}
        lines, created = reader(data, pictures)
    except InvalidInput:
        raise
    except Exception as exc:
        raise InvalidInput(f"document illisible : {Path(name).name}.", field="fichier") from exc
    facts = _facts(lines)
    day = _parse_date(facts.pop("date", "")) or created
    blocks = _blocks(lines)
    if not blocks:
        raise InvalidInput(
            f"aucun titre trouvé dans {Path(name).name} : le document doit avoir des titres (styles Titre 1, "
            "Titre 2… ou parties numérotées).",
            field="fichier",
        )
    used = {line[8:-2] for b in blocks for line in b.body.splitlines() if line.startswith("[[IMAGE:")}
    return ImportedDocument(
        Path(name).name, day, facts, blocks, {k: v for k, v in pictures.items() if k in used}
    )
