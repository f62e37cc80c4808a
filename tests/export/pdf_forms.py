"""Build real AcroForm PDFs for the tests: printed labels (fpdf2) and form fields (pypdf objects), the
way a buyer's AE made with Acrobat or LibreOffice looks."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


@dataclass(frozen=True)
class Spec:
    name: str
    label: str = ""  # printed left of the field
    tooltip: str = ""  # /TU
    kind: str = "text"  # "text", "check", "signature"
    value: str = ""  # the buyer's own value


def make_form(specs: list[Spec], title: str = "ACTE D'ENGAGEMENT") -> bytes:
    """One A4 page: a title, then one line per field (label printed at left, field at right)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.text(40, 50, title)
    pdf.set_font("helvetica", "", 10)
    rows: list[tuple[Spec, float]] = []
    for i, spec in enumerate(specs):
        top = 90.0 + i * 30  # from the top of the page, in points
        if spec.label:
            pdf.text(40, top + 12, spec.label)
        rows.append((spec, top))
    base = bytes(pdf.output())
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(base)))
    page = writer.pages[0]
    height = float(page.mediabox.height)
    fields = ArrayObject()
    annots = page.get("/Annots")
    if annots is None:
        annots = ArrayObject()
        page[NameObject("/Annots")] = annots
    for spec, top in rows:
        right = 314.0 if spec.kind == "check" else 560.0
        rect = [300.0, height - top - 18, right, height - top - 2]
        field = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Widget"),
                NameObject("/T"): TextStringObject(spec.name),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
                NameObject("/F"): NumberObject(4),
                NameObject("/P"): page.indirect_reference,
            }
        )
        if spec.tooltip:
            field[NameObject("/TU")] = TextStringObject(spec.tooltip)
        if spec.kind == "text":
            field[NameObject("/FT")] = NameObject("/Tx")
            field[NameObject("/DA")] = TextStringObject("/Helv 10 Tf 0 g")
            if spec.value:
                field[NameObject("/V")] = TextStringObject(spec.value)
        elif spec.kind == "signature":
            field[NameObject("/FT")] = NameObject("/Sig")
        else:
            field[NameObject("/FT")] = NameObject("/Btn")
            field[NameObject("/V")] = NameObject("/Off")
            field[NameObject("/AS")] = NameObject("/Off")
            field[NameObject("/MK")] = DictionaryObject({NameObject("/CA"): TextStringObject("4")})
            field[NameObject("/AP")] = DictionaryObject(
                {
                    NameObject("/N"): DictionaryObject(
                        {
                            NameObject("/Oui"): writer._add_object(_box(writer, b"0 g 2 2 10 10 re f")),
                            NameObject("/Off"): writer._add_object(_box(writer, b"")),
                        }
                    )
                }
            )
        ref = writer._add_object(field)
        annots.append(ref)
        fields.append(ref)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): fields,
            NameObject("/DA"): TextStringObject("/Helv 0 Tf 0 g"),
            NameObject("/DR"): DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/Helv"): writer._add_object(font)})}
            ),
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _box(_writer: Any, content: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(content)
    stream[NameObject("/Type")] = NameObject("/XObject")
    stream[NameObject("/Subtype")] = NameObject("/Form")
    stream[NameObject("/BBox")] = ArrayObject(
        [FloatObject(0), FloatObject(0), FloatObject(14), FloatObject(14)]
    )
    return stream


def values(data: bytes) -> dict[str, str]:
    """Every field's value as a viewer reads it (check boxes: their state name)."""
    reader = PdfReader(io.BytesIO(data))
    return {name: str(f.get("/V", "")) for name, f in (reader.get_fields() or {}).items()}


def need_appearances(data: bytes) -> bool:
    reader = PdfReader(io.BytesIO(data))
    form: Any = reader.trailer["/Root"].get_object()["/AcroForm"]  # type: ignore[index]
    return bool(form.get("/NeedAppearances", False))
