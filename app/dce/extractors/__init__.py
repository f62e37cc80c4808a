"""One extractor per format; `extract(name, data)` picks it from the extension and the content."""

from __future__ import annotations

from app.dce.extractors.pdf import extract_pdf, pdf_page_count
from app.dce.extractors.result import Extraction, ExtractionError, needs_ocr

__all__ = [
    "Extraction",
    "ExtractionError",
    "detect_format",
    "extract",
    "extract_pdf",
    "needs_ocr",
    "pdf_page_count",
    "unread_reason",
]

_READ = {"pdf", "docx", "docm", "xlsx", "xlsm", "odt", "ods"}
_IMAGE = {"jpg", "jpeg", "png", "tif", "tiff", "gif", "bmp", "webp", "heic"}
_PLAN = {"dwg", "dxf", "dwf", "dgn", "ifc", "rvt", "skp"}
_UNREAD: dict[str, str] = {
    "doc": "Format Word ancien (.doc) : stocké, non lu. Enregistrez-le en .docx pour l'analyser.",
    "xls": "Format Excel ancien (.xls) : stocké, non lu. Enregistrez-le en .xlsx pour l'analyser.",
    "ppt": "Présentation PowerPoint ancienne (.ppt) : stockée, non lue.",
    "pptx": "Présentation PowerPoint : stockée, non lue.",
    "rtf": "Document RTF : stocké, non lu. Enregistrez-le en .docx pour l'analyser.",
    "txt": "",
}


def _ext(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


EMPTY = "Fichier vide (0 octet) : rien à lire."


def detect_format(name: str, data: bytes) -> str:
    """pdf, docx, xlsx, odt, ods, txt, empty or unread — the content wins over a wrong extension for PDF."""
    ext = _ext(name)
    if not data:
        return "empty"
    if b"%PDF" in data[:1024]:
        return "pdf"
    if ext in ("docx", "docm"):
        return "docx"
    if ext in ("xlsx", "xlsm"):
        return "xlsx"
    if ext in _READ:
        return ext
    if ext == "txt":
        return "txt"
    return "unread"


def unread_reason(name: str) -> str:
    """Why a stored piece is listed as "non lu"."""
    ext = _ext(name)
    if ext in _PLAN:
        return f"Plan ({ext.upper()}) : stocké, non lu (le texte des plans n'est pas analysé)."
    if ext in _IMAGE:
        return "Image : stockée, non lue (la reconnaissance de caractères n'est pas disponible)."
    if _UNREAD.get(ext):
        return _UNREAD[ext]
    return f"Format non pris en charge ({'.' + ext if ext else 'sans extension'}) : stocké, non lu."


def _extract_txt(data: bytes) -> Extraction:
    from app.domain.document import PageText

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return Extraction("txt", [PageText(1, text)], paged=False)


def extract(name: str, data: bytes) -> Extraction:
    """Text of a whole file; never raises: a failure is Extraction.error (French)."""
    fmt = detect_format(name, data)
    if fmt == "empty":
        return Extraction("empty", paged=False, unread_reason=EMPTY)
    if fmt == "pdf":
        return extract_pdf(data)
    if fmt == "docx":
        from app.dce.extractors.docx import extract_docx

        return extract_docx(data)
    if fmt == "xlsx":
        from app.dce.extractors.xlsx import extract_xlsx

        return extract_xlsx(data)
    if fmt == "odt":
        from app.dce.extractors.odf import extract_odt

        return extract_odt(data)
    if fmt == "ods":
        from app.dce.extractors.odf import extract_ods

        return extract_ods(data)
    if fmt == "txt":
        return _extract_txt(data)
    return Extraction("unread", paged=False, unread_reason=unread_reason(name))
