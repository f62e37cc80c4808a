"""Real test files written on the fly: PDFs (fpdf2), DOCX, XLSX, ODT/ODS, and ZIPs with odd entries."""

from __future__ import annotations

import functools
import io
import stat
import zipfile
from pathlib import Path

from fpdf import FPDF

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def pdf(pages: list[str]) -> bytes:
    doc = FPDF()
    if FONT.exists():
        doc.add_font("DejaVu", "", str(FONT))
        doc.set_font("DejaVu", size=11)
    else:
        doc.set_font("Helvetica", size=11)
        pages = [p.encode("latin-1", "replace").decode("latin-1") for p in pages]
    for text in pages:
        doc.add_page()
        if text:
            doc.multi_cell(0, 6, text)
    return bytes(doc.output())


@functools.lru_cache(maxsize=8)
def long_pdf(title: str, count: int) -> bytes:
    """Many pages of technical prose, quickly (core font: no TTF subsetting)."""
    body = (
        "Le titulaire devra assurer la maintenance préventive et corrective des équipements. "
        "La présence d'un référent technique est obligatoire pendant toute la durée du marché. "
    ) * 3
    doc = FPDF()
    doc.set_font("Helvetica", size=11)
    for i in range(count):
        doc.add_page()
        doc.multi_cell(0, 6, f"{title}\nPage {i + 1}\n{body}")
    return bytes(doc.output())


def zip_bytes(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return out.getvalue()


class RawNameInfo(zipfile.ZipInfo):
    """An entry whose name bytes are written as given, without the UTF-8 flag."""

    raw: bytes = b""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.raw, self.flag_bits & ~0x800


def raw_name(raw: bytes) -> zipfile.ZipInfo:
    info = RawNameInfo(raw.decode("cp437"))
    info.raw = raw
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def mark_encrypted(data: bytes, name: str) -> bytes:
    """Set the "encrypted" flag of one entry (zipfile cannot write encrypted entries)."""
    out = bytearray(data)
    raw = name.encode("ascii")
    for sig, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        pos = out.find(sig)
        while pos != -1:
            if out[pos + name_at : pos + name_at + len(raw)] == raw:
                out[pos + flag_at] |= 0x1
            pos = out.find(sig, pos + 4)
    return bytes(out)


def odt(paragraphs: list[str], table: list[list[str]]) -> bytes:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    )
    paras = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    rows = "".join(
        "<table:table-row>"
        + "".join(f"<table:table-cell><text:p>{c}</text:p></table:table-cell>" for c in row)
        + "</table:table-row>"
        for row in table
    )
    body = f'<office:text>{paras}<table:table table:name="T">{rows}</table:table><text:p>Fin<text:s text:c="2"/>du document</text:p></office:text>'
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body>{body}</office:body></office:document-content>'
    return zip_bytes(
        [("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", content.encode())]
    )


def ods(sheets: dict[str, list[list[str]]]) -> bytes:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    )
    tables = ""
    for name, rows in sheets.items():
        body = "".join(
            "<table:table-row>"
            + "".join(f"<table:table-cell><text:p>{c}</text:p></table:table-cell>" for c in row)
            + '<table:table-cell table:number-columns-repeated="16000"/>'
            + "</table:table-row>"
            for row in rows
        )
        body += '<table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row>'
        tables += f'<table:table table:name="{name}">{body}</table:table>'
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>'
    return zip_bytes(
        [("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", content.encode())]
    )
