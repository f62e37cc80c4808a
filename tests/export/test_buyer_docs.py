"""The acte d'engagement and the buyer's documents of a stored consultation, filled and reopened."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import openpyxl
import pytest

from app.domain.analysis import Analysis
from app.domain.errors import InvalidInput
from app.domain.kinds import PieceKind
from app.domain.profile import CompanyProfile
from app.export.ae_fill import ZONE, fill_ae, vat_number
from app.export.buyer_docs import BuyerFile, fill_buyer_documents
from app.resources.example.make_example_dce import make_ae, make_dqe
from app.services import consultations, prices, proposals
from app.services import profile as profile_service
from local_store.store import Store
from tests.conftest import EXAMPLE_DIR
from tests.export.helpers import all_text, open_docx, plain

STOP = re.compile(r"signature du candidat|acceptation de l.offre|annexe", re.IGNORECASE)


def _profile() -> CompanyProfile:
    return CompanyProfile.model_validate_json((EXAMPLE_DIR / "profile.json").read_text(encoding="utf-8"))


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    doc = docx.Document(str(path))
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    out = []
    for p in doc.element.body.iter(qn("w:p")):
        par = Paragraph(p, doc)
        out.append((par.text, par.style.name if par.style is not None else ""))
    return out


def _assert_buyer_text_kept(before: Path, after: Path) -> int:
    """Every paragraph keeps its style and the buyer's words around the fill zones; from the
    signature part on, nothing changes at all. Returns how many paragraphs were filled."""
    old, new = _paragraphs(before), _paragraphs(after)
    assert len(old) == len(new)
    changed = 0
    signing = False
    for (text, style), (text2, style2) in zip(old, new, strict=True):
        assert style == style2
        if not style.lower().startswith("toc") and len(text) < 90 and STOP.search(text):
            signing = True
        if signing:
            assert text2 == text
            continue
        if text2 != text:
            changed += 1
            pos = 0
            for fixed in ZONE.split(text):
                fixed = fixed.strip()
                if fixed:
                    found = text2.find(fixed, pos)
                    assert found >= 0, (fixed, text2)
                    pos = found + len(fixed)
    return changed


def test_example_ae_candidate_part_filled_buyer_part_untouched(tmp_path: Path) -> None:
    source = tmp_path / "AE.docx"
    source.write_bytes(make_ae())
    out = tmp_path / "out" / "AE.docx"
    analysis = Analysis.model_validate({"lots": [{"number": 1, "title": "Gros œuvre – Maçonnerie"}]})
    report = fill_ae(source, out, _profile(), analysis, lot=1, amount=64667.5)
    assert _assert_buyer_text_kept(source, out) >= 12
    text = plain(all_text(open_docx(out)))
    for expected in (
        "Nom, prénom et qualité du signataire : Laurent Dufresne, Président",
        "Forme juridique : SAS",
        "SIRET : 81247563000016  Code APE : 4120B",
        f"Numéro de TVA intracommunautaire : {vat_number('81247563000016')}",
        "Lot n° : 1 – intitulé : Gros œuvre – Maçonnerie",
        "Montant hors taxes (en chiffres) : 64 667,50 € HT",
        "TVA au taux de 20 % : 12 933,50 €",
        "Montant TTC (en chiffres) : 77 601,00 € TTC",
        "IBAN : FR76 3000 6000 0112 3456 7890 189",
        "Fait à ..................., le ...................",  # the signature zone is the user's
    ):
        assert expected in text, expected
    assert "PSE n° 1 (lot 2 uniquement) : ........... € HT." in text
    assert report.amount == 64667.5 and any("à signer" in w for w in report.warnings)
    assert (
        open_docx(out).sections[0].header.paragraphs[0].text
        == open_docx(source).sections[0].header.paragraphs[0].text
    )


def test_vsgp_ae_filled(corpus: Path, tmp_path: Path) -> None:
    source = corpus / "vsgp" / "AE.docx"
    out = tmp_path / "AE.docx"
    report = fill_ae(source, out, _profile(), Analysis(), amount=150000.0)
    assert _assert_buyer_text_kept(source, out) >= 10
    text = plain(all_text(open_docx(out)))
    assert "SIRET : 81247563000016" in text and "BIC : AGRIFRPPXXX" in text
    assert "Montant Hors taxe (en chiffres) (€) : \t150 000,00 € HT" in text
    assert "Désignation du créancier : ............................" in text  # annex left as is
    assert "Télécopie" in report.left


def test_password_protected_ae_gets_a_french_message(tmp_path: Path) -> None:
    source = tmp_path / "AE.docx"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(InvalidInput, match="mot de passe"):
        fill_ae(source, tmp_path / "out.docx", _profile(), Analysis())
    result = fill_buyer_documents(
        [BuyerFile("AE.docx", PieceKind.AE, source.read_bytes())], {}, _profile(), Analysis(), tmp_path / "o"
    )
    assert result.files == [] and any("mot de passe" in w for w in result.warnings)


def test_pdf_ae_gets_a_values_sheet_and_totals_must_agree(tmp_path: Path) -> None:
    dqe = make_dqe()
    from app.export.schedule import read_schedule

    (tmp_path / "d.xlsx").write_bytes(dqe)
    lines = read_schedule(tmp_path / "d.xlsx").lines
    typed = {ln.key: 10.0 for ln in lines}
    files = [
        BuyerFile("AE.pdf", PieceKind.AE, b"%PDF-1.4 ..."),
        BuyerFile("DQE.xlsx", PieceKind.DQE, dqe),
        BuyerFile("DPGF.xlsx", PieceKind.DPGF, dqe),
    ]
    priced = {"DQE.xlsx": typed, "DPGF.xlsx": {**typed, lines[0].key: 11.0}}
    result = fill_buyer_documents(files, priced, _profile(), Analysis(), tmp_path / "out")
    assert (tmp_path / "out" / "valeurs_acte_engagement.docx").is_file()
    assert "AE.pdf" in result.to_sign
    assert any("sans champs" in w for w in result.warnings)
    assert result.amount_source == "DQE.xlsx"
    assert any("ne concordent pas" in w and "DPGF.xlsx" in w for w in result.warnings)
    values = plain(all_text(open_docx(tmp_path / "out" / "valeurs_acte_engagement.docx")))
    assert "81247563000016" in values and "Montant HT" in values


def test_prices_typed_in_the_store_reach_the_buyer_files(store: Store, tmp_path: Path) -> None:
    first = consultations.import_dce(store, [EXAMPLE_DIR / "dce.zip"], workers=1).consultation_uuid
    profile_service.import_file(store, EXAMPLE_DIR / "profile.json")
    views = {v.schedule.kind: v for v in prices.schedules(store, first)}
    dqe = views["DQE"]
    typed = {ln.key: 12.5 + i for i, ln in enumerate(dqe.schedule.lines)}
    prices.set_prices(store, first, dqe, typed)
    with pytest.raises(Exception, match="positif"):
        prices.set_prices(store, first, dqe, {dqe.schedule.lines[0].key: -1.0})
    reread = {v.schedule.kind: v for v in prices.schedules(store, first)}["DQE"]
    assert reread.prices == typed  # kept in the encrypted store
    total = reread.totals().total

    result = proposals.export_consultation(store, first, tmp_path / "out", lot=1)
    assert result.buyer is not None and result.buyer.amount == pytest.approx(round(total, 2))
    ws = openpyxl.load_workbook(tmp_path / "out" / dqe.file_name)["DQE Lot 1"]
    for ln in dqe.schedule.lines:
        assert ws[ln.cell].value == typed[ln.key]
    amount = f"{total:,.2f}".replace(",", " ").replace(".", ",")
    assert f"{amount} € HT" in plain(all_text(open_docx(tmp_path / "out" / "2026-TRV-014_AE.docx")))

    # A later consultation with the same designations reuses the prices.
    second = consultations.import_dce(store, [EXAMPLE_DIR / "dce.zip"], workers=1).consultation_uuid
    assert prices.import_prices(store, second, first) >= len(typed)
    again = {v.schedule.kind: v for v in prices.schedules(store, second)}["DQE"]
    assert again.prices == typed


def test_libreoffice_renders_the_filled_ae_and_cadre(tmp_path: Path) -> None:
    from app.export.cadre_fill import CadreAnswer, fill_cadre
    from app.export.render import page_count, render_pdf, soffice
    from app.resources.example.make_example_dce import make_cadre

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    (tmp_path / "ae.docx").write_bytes(make_ae())
    (tmp_path / "cadre.docx").write_bytes(make_cadre())
    out = tmp_path / "out"
    fill_ae(tmp_path / "ae.docx", out / "AE.docx", _profile(), Analysis(), lot=1, amount=1000.0)
    question = (
        "1.1 Décrivez l'organisation du chantier en site occupé et les mesures de sécurité des usagers."
    )
    fill_cadre(tmp_path / "cadre.docx", out / "Cadre.docx", [CadreAnswer("1.1", question, "Palissades.")])
    for name in ("AE.docx", "Cadre.docx"):
        assert page_count(render_pdf(out / name)) >= 1


def test_vsgp_buyer_documents_with_a_monthly_dpgf(corpus: Path, tmp_path: Path) -> None:
    from app.export.schedule import read_schedule

    vsgp = corpus / "vsgp"
    kinds = {
        "AE.docx": PieceKind.AE,
        "BPU.xlsx": PieceKind.BPU,
        "DPGF.xlsx": PieceKind.DPGF,
        "DQE.xlsx": PieceKind.DQE,
    }
    files = [BuyerFile(name, kind, (vsgp / name).read_bytes()) for name, kind in kinds.items()]
    typed = {
        n: {ln.key: 100.0 for ln in read_schedule(vsgp / n).lines if not ln.entry}
        for n in kinds
        if n.endswith(".xlsx")
    }
    result = fill_buyer_documents(files, typed, _profile(), Analysis(), tmp_path)
    assert {p.name for p in result.files} == set(kinds)
    # The AE's amount is the DPGF's (its own words), whose totals are monthly: never a made-up amount.
    assert result.amount is None
    # Its whole amount is a total the DPGF asks the candidate for: the export says where to type it.
    assert any(
        "DPGF.xlsx demande au candidat son total (case D92" in w and "onglet Prix" in w
        for w in result.warnings
    )
    text = plain(all_text(open_docx(tmp_path / "AE.docx")))
    assert "Montant Hors taxe (en chiffres) (€) : \t………" in text and "SIRET : 81247563000016" in text
    assert [r.written for r in result.schedules] == [len(typed[r.file_name]) for r in result.schedules]
