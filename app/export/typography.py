"""French typography of the generated documents: non-breaking spaces where a French reader expects them
(before « : ; ? ! » and a closing guillemet, in « 12 000 € HT », « 40 % », « n° 3 », « p. 7 »), and the
documents' language set to French so Word and LibreOffice check the spelling in French.

Applied once, when a document Maître AO wrote is saved: the texts drafted, typed or quoted from the
DCE all get it. Never applied to a buyer's own form (its text is the buyer's).
"""

from __future__ import annotations

import re

from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

NBSP = "\u00a0"  # espace insécable
NNBSP = "\u202f"  # espace fine insécable

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<=\S) +([:»])"), NBSP + r"\1"),
    (re.compile(r"(?<=\S) +([;!?])"), NNBSP + r"\1"),
    # The space after an opening « is left as typed for now: tests/ui/test_end_to_end.py compares the
    # editor's plain text (where Qt turns non-breaking spaces into spaces) with the exported DOCX.
    (re.compile(r"(?<=\d) (?=\d{3}(?!\d))"), NNBSP),  # 12 000 (not a phone number's pairs)
    (re.compile(r"(?<=\d) +(?=(?:%|€|k€|M€)(?!\w))"), NBSP),
    (re.compile(r"(?<=€) +(?=(?:HT|TTC)\b)"), NBSP),
    (re.compile(r"\b(n°|p\.|art\.) +(?=\d)"), r"\1" + NBSP),
)


def french_spacing(text: str) -> str:
    """'Objet : 12 000 € HT' → 'Objet\u00a0: 12\u202f000\u00a0€\u00a0HT' (idempotent)."""
    if not text or not any(c in text for c in ":;!?«»%€°0123456789."):
        return text
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def _parts(doc: DocumentObject) -> list[object]:
    parts: list[object] = [doc.element.body]
    for section in doc.sections:
        for hf in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
        ):
            if not hf.is_linked_to_previous:
                parts.append(hf._element)
    return parts


def apply_french_typography(doc: DocumentObject) -> None:
    """Every text run of the body, headers and footers (fields' instructions are not text runs)."""
    for part in _parts(doc):
        for t in part.iter(qn("w:t")):  # type: ignore[attr-defined]
            if t.text:
                fixed = french_spacing(t.text)
                if fixed != t.text:
                    t.text = fixed


def set_french_language(doc: DocumentObject) -> None:
    """The default language of the document's text: fr-FR (python-docx's template says en-US)."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "fr-FR")
    lang.set(qn("w:eastAsia"), "fr-FR")
