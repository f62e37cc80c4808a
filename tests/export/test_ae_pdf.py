"""A PDF acte d'engagement with form fields: the candidate's fields filled from the profile in a copy,
whatever the buyer named its fields; the buyer's fields and the signature left as they were."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.analysis import Analysis
from app.domain.kinds import PieceKind
from app.domain.profile import CompanyProfile
from app.drafting.answer import Answer
from app.export.ae_pdf import fill_ae_pdf
from app.export.bundle import export_answer
from app.export.buyer_docs import BuyerFile, fill_buyer_documents
from tests.conftest import EXAMPLE_DIR
from tests.export.conftest import TODAY
from tests.export.helpers import all_text, open_docx, plain
from tests.export.pdf_forms import Spec, make_form, need_appearances, values


def _profile() -> CompanyProfile:
    return CompanyProfile.model_validate_json((EXAMPLE_DIR / "profile.json").read_text(encoding="utf-8"))


NAMED = [
    Spec("acheteur_nom", "Acheteur :", value="Ville de Lyon"),
    Spec("comptable_assignataire", "Comptable assignataire :", value="Trésorerie de Lyon"),
    Spec("raison_sociale", "Dénomination :"),
    Spec("siret", "SIRET :"),
    Spec("forme_juridique", "Forme juridique :"),
    Spec("adresse_etablissement", "Adresse :"),
    Spec("nom_qualite_signataire", "Signataire :"),
    Spec("iban", "IBAN :"),
    Spec("bic", "BIC :"),
    Spec("montant_ht", "Montant HT :"),
    Spec("lot_1", "Lot 1", kind="check"),
    Spec("lot_2", "Lot 2", kind="check"),
    Spec("signature_candidat", "Signature du candidat :", kind="signature"),
]

GENERIC = [
    Spec("Text1", "Nom :", tooltip="Nom commercial et dénomination sociale"),
    Spec("Text2", "N° :", tooltip="Numéro SIRET"),
    Spec("Text3", "", tooltip="Adresse de l'établissement"),
    Spec("Text4", "Forme juridique :"),  # no tooltip: the printed label tells
    Spec("Text5", "", tooltip="Montant total de l'offre hors taxes"),
    Spec("Text6", "", tooltip="Désignation de l'acheteur", value="Département du Rhône"),
    Spec("Text7", "Date :", value=""),
    Spec("Case1", "", tooltip="Lot 1", kind="check"),
    Spec("Case2", "", tooltip="Lot 2", kind="check"),
]


def test_named_fields_filled_buyer_and_signature_untouched(tmp_path: Path) -> None:
    source = tmp_path / "AE.pdf"
    source.write_bytes(make_form(NAMED))
    original = source.read_bytes()
    p = _profile()
    assert p.banque is not None and p.signataire is not None
    report = fill_ae_pdf(source, tmp_path / "out" / "AE.pdf", p, Analysis(), lots=[1], amount=64667.5)
    assert source.read_bytes() == original  # the original stays as it was
    got = values((tmp_path / "out" / "AE.pdf").read_bytes())
    assert p.raison_sociale in got["raison_sociale"]
    assert got["siret"] == p.siret
    assert got["forme_juridique"] == p.forme_juridique
    assert got["adresse_etablissement"] == p.adresse.one_line()
    assert got["nom_qualite_signataire"] == f"{p.signataire.name}, {p.signataire.role}"
    assert got["iban"] == p.banque.iban and got["bic"] == p.banque.bic
    assert plain(got["montant_ht"]) == "64 667,50 € HT"
    assert got["lot_1"] == "/Oui" and got["lot_2"] == "/Off"
    assert got["acheteur_nom"] == "Ville de Lyon"
    assert got["comptable_assignataire"] == "Trésorerie de Lyon"
    assert got.get("signature_candidat", "") == ""
    assert need_appearances((tmp_path / "out" / "AE.pdf").read_bytes())
    assert report.amount == 64667.5


def test_generic_fields_found_by_tooltip_and_printed_label(tmp_path: Path) -> None:
    source = tmp_path / "acte.pdf"
    source.write_bytes(make_form(GENERIC))
    p = _profile()
    fill_ae_pdf(source, tmp_path / "filled.pdf", p, Analysis(), lots=[2], amount=1200.0)
    got = values((tmp_path / "filled.pdf").read_bytes())
    assert p.raison_sociale in got["Text1"]
    assert got["Text2"] == p.siret
    assert got["Text3"] == p.adresse.one_line()
    assert got["Text4"] == p.forme_juridique
    assert plain(got["Text5"]) == "1 200,00 € HT"
    assert got["Text6"] == "Département du Rhône"
    assert got["Text7"] == ""
    assert got["Case1"] == "/Off" and got["Case2"] == "/Oui"


def test_pdf_ae_with_fields_is_filled_in_the_export_and_checklist(
    cadre_answer: Answer, tmp_path: Path
) -> None:
    form = make_form(NAMED)
    out = tmp_path / "export"
    result = export_answer(
        cadre_answer,
        out,
        today=TODAY,
        buyer_files=[BuyerFile("AE.pdf", PieceKind.AE, form)],
        lots=[2],
    )
    assert not (out / "valeurs_acte_engagement.docx").exists()
    assert result.submission is not None
    uploaded = result.submission.folder / result.submission.layout.offre / "AE.pdf"
    got = values(uploaded.read_bytes())
    assert got["siret"] == cadre_answer.profile.siret and got["lot_2"] == "/Oui"
    checklist = all_text(open_docx(out / "checklist.docx"))
    assert "AE.pdf | rempli, à signer" in checklist


def test_pdf_without_fields_keeps_the_values_sheet(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "", 12)
    pdf.text(20, 20, "ACTE D'ENGAGEMENT - Raison sociale : ..........")
    files = [BuyerFile("AE.pdf", PieceKind.AE, bytes(pdf.output()))]
    result = fill_buyer_documents(files, {}, _profile(), Analysis(), tmp_path / "out")
    assert (tmp_path / "out" / "valeurs_acte_engagement.docx").is_file()
    assert any("sans champs" in w for w in result.warnings)
    assert not result.ae


def test_password_protected_pdf_ae_gets_a_french_message(tmp_path: Path) -> None:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_form(NAMED))))
    writer.encrypt("secret")
    buf = io.BytesIO()
    writer.write(buf)
    source = tmp_path / "AE.pdf"
    source.write_bytes(buf.getvalue())
    from app.domain.errors import InvalidInput

    with pytest.raises(InvalidInput, match="mot de passe"):
        fill_ae_pdf(source, tmp_path / "o.pdf", _profile(), Analysis(), lots=[1])
    # In the export: said in French, the values sheet to copy by hand, the AE still to sign.
    files = [BuyerFile("AE.pdf", PieceKind.AE, buf.getvalue())]
    result = fill_buyer_documents(files, {}, _profile(), Analysis(), tmp_path / "out", lots=[1])
    assert any("AE.pdf" in w and "mot de passe" in w for w in result.warnings)
    assert (tmp_path / "out" / "valeurs_acte_engagement.docx").is_file()
    assert "AE.pdf" in result.to_sign and not (tmp_path / "out" / "AE.pdf").exists()


def _ink(data: bytes, box: tuple[float, float, float, float]) -> int:
    """Dark pixels a viewer draws (form fields included) inside `box` (PDF points, origin bottom left)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        pdf.init_forms()
        page = pdf[0]
        height = page.get_height()
        image = page.render(scale=2, may_draw_forms=True).to_pil().convert("L")
        x0, y0, x1, y1 = box
        crop = image.crop((int(x0 * 2), int((height - y1) * 2), int(x1 * 2), int((height - y0) * 2)))
        return sum(crop.histogram()[:128])
    finally:
        pdf.close()


def test_filled_values_are_drawn_by_a_viewer(tmp_path: Path) -> None:
    import io

    from pypdf import PdfReader

    source = tmp_path / "AE.pdf"
    source.write_bytes(make_form(GENERIC))
    fill_ae_pdf(source, tmp_path / "filled.pdf", _profile(), Analysis(), lots=[1], amount=1200.0)
    filled = (tmp_path / "filled.pdf").read_bytes()
    boxes = {
        str(a.get_object()["/T"]): tuple(float(v) for v in a.get_object()["/Rect"])
        for a in PdfReader(io.BytesIO(filled)).pages[0]["/Annots"]
    }
    for name in ("Text2", "Text5", "Case1"):  # SIRET, amount, the ticked lot
        box = boxes[name]
        assert _ink(source.read_bytes(), box) == 0  # type: ignore[arg-type]
        assert _ink(filled, box) > 20, name  # type: ignore[arg-type]
    assert _ink(filled, boxes["Case2"]) == 0  # type: ignore[arg-type]


def test_pdf_ae_amount_is_the_schedule_total(tmp_path: Path) -> None:
    from app.export.schedule import euros, read_schedule
    from app.resources.example.make_example_dce import make_dqe

    dqe = make_dqe()
    (tmp_path / "d.xlsx").write_bytes(dqe)
    lines = read_schedule(tmp_path / "d.xlsx").lines
    typed = {ln.key: 10.0 + n for n, ln in enumerate(lines)}
    files = [BuyerFile("AE.pdf", PieceKind.AE, make_form(NAMED)), BuyerFile("DQE.xlsx", PieceKind.DQE, dqe)]
    result = fill_buyer_documents(
        files, {"DQE.xlsx": typed}, _profile(), Analysis(), tmp_path / "out", lots=[1]
    )
    assert result.amount is not None and result.amount_source == "DQE.xlsx"
    expected = sum((ln.quantity or 0) * typed[ln.key] for ln in lines)
    assert abs(result.amount - expected) < 0.01
    got = values((tmp_path / "out" / "AE.pdf").read_bytes())
    assert plain(got["montant_ht"]) == f"{plain(euros(result.amount))} HT"
    assert [r.amount for r in result.ae] == [result.amount]
