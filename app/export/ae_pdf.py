"""Fill the candidate's part of a PDF acte d'engagement that has form fields (AcroForm), in a copy.

Each field is recognised by what a reader of the form sees of it, in this order: its tooltip (the
alternate name `/TU`, often the printed label), its name (`raison_sociale`, `siret`…) and the text printed
just left of it (or just above it) on the page. The label → profile value vocabulary is the one of the
DOCX AE (`app.export.ae_fill.candidate_fields`), so both forms answer the same way. Fields of the
buyer's part (acheteur, pouvoir adjudicateur, comptable…), signature fields and fields whose label is
unknown are left as they are; lot check boxes ("Lot 1") are ticked for the lots answered. The viewer is
asked to redraw the values (NeedAppearances) and pypdf writes their appearance too.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.analysis import Analysis
from app.domain.errors import InvalidInput
from app.domain.profile import CompanyProfile
from app.export.ae_fill import AeReport, candidate_fields, field_value
from app.export.schedule import euros, norm

log = logging.getLogger(__name__)

_BUYER = re.compile(
    r"acheteur|pouvoir adjudicateur|entite adjudicatrice|maitre d.ouvrage|personne publique|comptable|"
    r"ordonnateur|reserve a l|partie reservee|administration|designation du marche|objet du marche|"
    r"notification|visa"
)
_SIGNATURE = re.compile(r"signature|cachet|^fait a\b|^le\b|date de signature")
_LOT = re.compile(r"\blot\s*(?:n\s*[°o]\s*)?(\d{1,3})\b")


@dataclass
class _Field:
    name: str  # fully qualified name
    kind: str  # "/Tx", "/Btn", "/Ch", "/Sig"
    labels: list[str]  # normalised tooltip, name, nearby text (most telling first)
    on_state: str | None  # a check box's "on" appearance name
    annotation: Any  # the widget annotation (pypdf DictionaryObject)
    page: int


def _readable_name(name: str) -> str:
    """`raison_sociale`, `RaisonSociale`, `ae.siret[0]` → words."""
    tail = name.split(".")[-1]
    tail = re.sub(r"\[\d+\]$", "", tail)
    tail = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tail)
    return norm(re.sub(r"[_\-.]+", " ", tail))


def has_form_fields(data: bytes) -> bool:
    """Whether the PDF holds fillable fields (an AcroForm with at least one field); a PDF protected
    by a password counts as one, so that filling it says so in French."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return True
        return bool(reader.get_fields())
    except Exception as exc:  # unreadable: the caller keeps the values sheet
        log.info("PDF form not readable: %s", type(exc).__name__)
        return False


def _nearby_text(data: bytes) -> dict[tuple[int, tuple[float, float, float, float]], str]:
    """The printed text left of (else above) each widget, keyed by (page, rect)."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    out: dict[tuple[int, tuple[float, float, float, float]], str] = {}
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    pdf = pdfium.PdfDocument(data)
    try:
        for index, page in enumerate(reader.pages):
            text_page = pdf[index].get_textpage()
            for annot in page.get("/Annots") or []:
                widget = annot.get_object()
                if widget.get("/Subtype") != "/Widget" or "/Rect" not in widget:
                    continue
                x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
                left, right = min(x0, x1), max(x0, x1)
                bottom, top = min(y0, y1), max(y0, y1)
                middle = (bottom + top) / 2
                beside = text_page.get_text_bounded(0, middle - 4, left - 1, middle + 4).strip()
                if not beside:
                    beside = text_page.get_text_bounded(left - 2, top, right + 200, top + 16).strip()
                out[(index, (x0, y0, x1, y1))] = beside.splitlines()[-1] if beside else ""
    finally:
        pdf.close()
    return out


def _field_of(widget: Any) -> tuple[Any, str] | None:
    """The form field a widget annotation belongs to, and its fully qualified name ("ae.siret")."""
    field = widget if "/T" in widget else widget.get("/Parent")
    if field is None:
        return None
    field = field.get_object()
    parts: list[str] = []
    node: Any = field
    while node is not None:
        if "/T" in node:
            parts.append(str(node["/T"]))
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return field, ".".join(reversed(parts))


def _fields(reader: Any, data: bytes) -> list[_Field]:
    nearby = _nearby_text(data)
    out: list[_Field] = []
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            widget = annot.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            found = _field_of(widget)
            if found is None:
                continue
            field, name = found
            kind = str(field.get("/FT") or widget.get("/FT") or "")
            tooltip = str(field.get("/TU") or widget.get("/TU") or "")
            x0, y0, x1, y1 = (float(v) for v in widget.get("/Rect", (0, 0, 0, 0)))
            near = nearby.get((index, (x0, y0, x1, y1)), "")
            labels = [norm(tooltip), _readable_name(name), norm(near.rstrip(" :.…_"))]
            on_state = None
            if kind == "/Btn":
                states = [str(k) for k in (widget.get("/AP") or {}).get("/N", {}) if str(k) != "/Off"]
                on_state = states[0] if states else "/Yes"
            out.append(_Field(name, kind, [lb for lb in labels if lb], on_state, widget, index))
    return out


def fill_ae_pdf(
    source: Path,
    target: Path,
    profile: CompanyProfile,
    analysis: Analysis,
    *,
    lots: Sequence[int] = (),
    amount: float | None = None,
    name: str | None = None,
) -> AeReport:
    """Write the candidate's part of the AcroForm AE at `source` into a copy at `target`."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import TextStringObject

    file_name = name or source.name
    data = source.read_bytes()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InvalidInput(
                f"{file_name} : PDF protégé par un mot de passe : enregistrez-le sans mot de passe "
                "ou remplissez-le à la main.",
                field="acte d'engagement",
            )
        writer = PdfWriter(clone_from=reader)
        fields = _fields(writer, data)
    except InvalidInput:
        raise
    except Exception as exc:
        log.warning("PDF AE unreadable: %s", type(exc).__name__)
        raise InvalidInput(
            f"{file_name} : PDF illisible ({type(exc).__name__}) : remplissez-le à la main.",
            field="acte d'engagement",
        ) from exc
    report = AeReport(file_name, amount=amount)
    lot = lots[0] if len(lots) == 1 else None
    vocabulary = candidate_fields(profile, analysis, lot, amount, None, lots=lots)
    texts: dict[int, dict[str, str]] = {}
    for f in fields:
        if f.kind == "/Sig" or (f.labels and _SIGNATURE.search(f.labels[0])):
            continue  # signing is the user's act
        if f.kind == "/Btn":
            _tick_lot(f, lots, report)
            continue
        if f.kind not in ("/Tx", "/Ch"):
            continue
        found: tuple[str, str | None] | None = None
        for label in f.labels:  # the most telling label decides: the buyer's part, or one we know
            if _BUYER.search(label):
                break
            found = field_value(vocabulary, label)
            if found is not None:
                break
        if found is None:
            continue  # the buyer's, or unknown: left as it is
        label = f.labels[0]
        if found[1] is None:
            report.left.append(label)
            continue
        # Plain spaces: the form's standard fonts (WinAnsi) draw no narrow or non-breaking space.
        texts.setdefault(f.page, {})[f.name] = found[1].replace("\u202f", " ").replace("\u00a0", " ")
        report.filled.append(label)
    for page, values in texts.items():
        _write_texts(writer, page, values, TextStringObject)
    writer.set_need_appearances_writer(True)
    _warnings(report, profile, amount)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        writer.write(out)
    log.info("PDF AE filled: %d fields, %d left", len(report.filled), len(report.left))
    return report


def _tick_lot(f: _Field, lots: Sequence[int], report: AeReport) -> None:
    """A "Lot n" check box: ticked when lot n is answered, else unticked; other boxes left alone."""
    from pypdf.generic import NameObject

    for label in f.labels:
        if _BUYER.search(label):
            return
        m = _LOT.search(label)
        if m is None:
            continue
        number = int(m.group(1))
        state = NameObject(f.on_state if number in lots and f.on_state else "/Off")
        f.annotation[NameObject("/AS")] = state
        holder = f.annotation if "/T" in f.annotation else f.annotation["/Parent"].get_object()
        holder[NameObject("/V")] = state
        if number in lots:
            report.filled.append(f"Lot {number}")
        return


def _write_texts(writer: Any, page: int, values: dict[str, str], text: Any) -> None:
    """Set the values (and their appearance) of the text fields of one page."""
    from pypdf.generic import NameObject

    try:
        writer.update_page_form_field_values(writer.pages[page], values, auto_regenerate=False)
    except Exception as exc:  # an odd appearance: keep the value, the viewer redraws it
        log.info("appearance not generated (%s): values set directly", type(exc).__name__)
    for annot in writer.pages[page].get("/Annots") or []:
        widget = annot.get_object()
        found = _field_of(widget)
        if found is None:
            continue
        field, qualified = found
        if qualified in values and str(field.get("/V", "")) != values[qualified]:
            field[NameObject("/V")] = text(values[qualified])


def _warnings(report: AeReport, profile: CompanyProfile, amount: float | None) -> None:
    name = report.file_name
    if amount is not None and not any(re.search(r"montant|\bht\b|prix", lb) for lb in report.filled):
        report.warnings.append(
            f"{name} : aucun champ « Montant HT » n'a été trouvé : reportez {euros(amount)} HT à la main "
            "à l'endroit prévu par l'acheteur."
        )
        report.amount = None
    if amount is None:
        report.warnings.append(
            f"{name} : montant non repris d'un bordereau (voir les alertes des bordereaux) : à écrire à la main."
        )
    if profile.banque is None:
        report.warnings.append(
            f"{name} : coordonnées bancaires absentes du profil : IBAN et BIC à compléter."
        )
    report.warnings.append(
        f"{name} : à signer par "
        f"{profile.signataire.name if profile.signataire else 'le représentant habilité'} "
        "(la signature n'est jamais apposée par Maître AO)."
    )
