"""DC1 and DC2: generated on the official sections, and filled into the official blank forms."""

from __future__ import annotations

import re
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from app.domain.analysis import Lot
from app.domain.subcontracting import Subcontractor
from app.export.dc_fill import fill_form
from app.export.dc_forms import FormInput, write_dc1, write_dc2, write_dc4
from tests.drafting.builders import analysis, example_profile
from tests.export.conftest import TODAY
from tests.export.helpers import all_text, headings, open_docx, plain, tables_with_header


def _form(**kw: object) -> FormInput:
    return FormInput(analysis=analysis(), profile=example_profile(), works=True, today=TODAY, **kw)  # type: ignore[arg-type]


def test_dc1_follows_sections_a_to_g(tmp_path: Path) -> None:
    write_dc1(_form(), tmp_path / "dc1.docx")
    doc = open_docx(tmp_path / "dc1.docx")
    letters = [h[:1] for level, h in headings(doc) if level == 1]
    assert letters == list("ABCDEFG")
    text = all_text(doc)
    assert "Commune d'Essai" in text and "2026-ESS-07" in text
    assert "☒ pour le marché public (en cas de non allotissement) ;" in text
    assert "Numéro SIRET : 81247563000016" in text
    assert "☒ le formulaire DC2." in text
    assert "Laurent Dufresne, Président" in text
    # The sworn statement is the signatory's to tick, never ticked for them.
    assert "☐ Case à cocher par le signataire" in text


def test_dc1_for_one_lot(tmp_path: Path) -> None:
    a = analysis(lots=[Lot(number=1, title="Gros œuvre"), Lot(number=2, title="Couverture")])
    write_dc1(FormInput(analysis=a, profile=example_profile(), lot=2, today=TODAY), tmp_path / "dc1.docx")
    text = all_text(open_docx(tmp_path / "dc1.docx"))
    assert "☒ pour le lot n° 2 de la procédure." in text
    assert "☐ pour le marché public" in text


def test_dc2_has_siret_turnover_pme_insurance_and_capacities(tmp_path: Path) -> None:
    write_dc2(_form(), tmp_path / "dc2.docx")
    doc = open_docx(tmp_path / "dc2.docx")
    assert [h[:1] for level, h in headings(doc) if level == 1] == list("ABCDEFGHI")
    text = all_text(doc)
    assert "Numéro SIRET : 81247563000016" in text
    assert "Forme juridique : SAS" in text
    assert "☒ Oui   ☐ Non" in text
    turnover = tables_with_header(doc, "")
    assert turnover[0][0] == ["", "Exercice 2025", "Exercice 2024", "Exercice 2023"]
    assert [c.replace("\u202f", " ") for c in turnover[0][1][1:]] == [
        "5 840 000 €",
        "5 310 000 €",
        "4 870 000 €",
    ]
    assert "☒ Le candidat déclare qu’il aura souscrit un contrat d’assurance" in text
    assert "Assurance décennale : SMABTP, police n° DEC-2026-448813, valide jusqu'au 31/12/2026" in text
    assert "Effectif moyen annuel : 38 salariés" in text
    refs = tables_with_header(doc, "Client")
    assert [row[0] for row in refs[0][1:]] == [r.client for r in example_profile().references]


def test_dc2_marks_what_the_profile_lacks(tmp_path: Path) -> None:
    bare = example_profile(chiffre_affaires=[], effectif=None, pme=None, moyens_materiels=[])
    write_dc2(FormInput(analysis=analysis(), profile=bare, today=TODAY), tmp_path / "dc2.docx")
    text = all_text(open_docx(tmp_path / "dc2.docx"))
    assert "[à compléter : chiffres d'affaires des trois derniers exercices]" in text
    assert "[à compléter : effectif moyen annuel]" in text
    assert "[à compléter : statut PME]" in text
    assert "[à compléter : moyens matériels]" in text


def _checked_boxes(doc: object) -> list[str]:
    out = []
    for p in doc.paragraphs:  # type: ignore[attr-defined]
        for cb in p._p.iter(qn("w:checkBox")):
            default = cb.find(qn("w:default"))
            if default is not None and default.get(qn("w:val")) == "1":
                out.append(p.text.strip())
    return out


def _after(doc: object, label_start: str) -> str:
    paragraphs = [p.text.strip() for p in doc.paragraphs]  # type: ignore[attr-defined]
    for i, text in enumerate(paragraphs):
        if label_start in text:
            return paragraphs[i + 1]
    raise AssertionError(label_start)


def test_official_dc2_is_filled_under_its_own_labels(forms_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "dc2_formulaire.docx"
    report = fill_form(forms_dir / "DC2.docx", "DC2", _form(), out)
    doc = open_docx(out)
    assert _after(doc, "Numéro SIRET") == "81247563000016"
    assert _after(doc, "Adresse électronique") == "contact@brv-construction.example"
    assert _after(doc, "Forme juridique du candidat") == "SAS"
    turnover = next(t for t in doc.tables if len(t.columns) == 4 and "Exercice" in t.rows[0].cells[1].text)
    assert [c.text for c in turnover.rows[0].cells[1:]] == ["Exercice 2025", "Exercice 2024", "Exercice 2023"]
    assert turnover.rows[1].cells[1].text.replace("\u202f", " ") == "5 840 000 €"
    assert turnover.rows[2].cells[1].text == "67\u00a0%"  # never "67" at a line's end and "%" below
    # Amounts right-aligned in every year's column, whatever the form's first cell said.
    assert {turnover.rows[r].cells[c].paragraphs[0].alignment for r in (1, 2) for c in (1, 2, 3)} == {
        WD_ALIGN_PARAGRAPH.RIGHT
    }
    boxes = _checked_boxes(doc)
    assert any(b.startswith("Oui") for b in boxes) and not any(b.startswith("Non") for b in boxes)
    assert any(b.startswith("En cochant cette case") for b in boxes)
    assert report.missing == []
    # The buyer had already typed its name and the object: kept as they are.
    assert set(report.kept) == {"acheteur", "objet"}
    text = all_text(doc)
    assert "Qualibat 2112" in text and "Commune de Coupvray" in text  # G1 capacities


def test_official_dc1_is_filled_and_ticked(forms_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "dc1_formulaire.docx"
    report = fill_form(forms_dir / "DC1.docx", "DC1", _form(), out)
    doc = open_docx(out)
    assert _after(doc, "Numéro SIRET") == "81247563000016"
    assert _after(doc, "Nom commercial et dénomination sociale").startswith("Bâtiments Rénovation du Val SAS")
    boxes = _checked_boxes(doc)
    assert any(b.startswith("pour le marché public") for b in boxes)
    assert any(b.startswith("Le candidat se présente seul") for b in boxes)
    assert any(b.startswith("le formulaire DC2") for b in boxes)
    assert not any(b.startswith("Le candidat est un groupement") for b in boxes)
    assert not any(b.startswith("Afin d’attester") for b in boxes)  # sworn statement left to the signatory
    # The mandataire block (G) repeats the same labels: left empty for a candidate alone.
    texts = [p.text for p in doc.paragraphs]
    assert texts.count("81247563000016") == 1
    assert report.missing == []


def test_blank_buyer_and_object_are_filled_from_the_consultation(forms_dir: Path, tmp_path: Path) -> None:
    import docx

    form = docx.Document(str(forms_dir / "DC2.docx"))
    instructions = [p for p in form.paragraphs if p.text.strip().startswith("(Reprendre le contenu")]
    for instruction in instructions[:2]:  # empty what the buyer had typed under A and B
        el = instruction._p.getnext()
        while el is not None and el.tag != qn("w:tbl"):
            nxt = el.getnext()
            if el.tag == qn("w:p"):
                el.getparent().remove(el)
            el = nxt
    blank = tmp_path / "DC2_vierge.docx"
    form.save(str(blank))
    report = fill_form(blank, "DC2", _form(), tmp_path / "dc2.docx")
    assert set(report.filled) >= {"acheteur", "objet"}
    doc = open_docx(tmp_path / "dc2.docx")
    assert _after(doc, "(Reprendre le contenu de la mention") == "Commune d'Essai"
    assert "Travaux de réhabilitation de l'école des Tilleuls — 2026-ESS-07" in all_text(doc)


def test_proof_documents_address_is_asked_not_the_company_website(tmp_path: Path) -> None:
    write_dc1(_form(), tmp_path / "dc1.docx")
    write_dc2(_form(), tmp_path / "dc2.docx")
    for name in ("dc1.docx", "dc2.docx"):
        text = all_text(open_docx(tmp_path / name))
        # F2 / E3 ask where the attestations can be fetched (a document vault), not the website.
        assert example_profile().site_web not in text
        assert "[à compléter : adresse internet et code d'accès des documents justificatifs" in text
    assert "Voir la rubrique E3." in all_text(open_docx(tmp_path / "dc2.docx"))


def test_an_official_form_naming_another_buyer_is_flagged(forms_dir: Path, tmp_path: Path) -> None:
    # The corpus forms are a buyer's copy with its own buyer and object typed in (sections A and B).
    for kind in ("DC1", "DC2"):
        report = fill_form(forms_dir / f"{kind}.docx", kind, _form(), tmp_path / f"{kind}.docx")
        assert {"acheteur", "objet"} <= set(report.kept)
        assert any(w.startswith(f"Formulaire {kind} : la rubrique A porte déjà") for w in report.warnings)
        assert any("Commune d'Essai" in w for w in report.warnings)
        text = all_text(open_docx(tmp_path / f"{kind}.docx"))
        assert "81247563000016" in text  # the candidate's boxes are still filled


def test_the_buyers_own_form_raises_no_warning(forms_dir: Path, tmp_path: Path) -> None:
    same = analysis(
        buyer="Institut polytechnique de Grenoble",
        object="Acquisition d'une machine de prototypage de circuits imprimés par gravures laser et mécanique",
    )
    data = FormInput(analysis=same, profile=example_profile(), today=TODAY)
    report = fill_form(forms_dir / "DC1.docx", "DC1", data, tmp_path / "dc1.docx")
    assert report.kept and report.warnings == []


def test_generated_forms_number_their_pages(tmp_path: Path) -> None:
    from tests.export.helpers import field_codes, plain

    for write, name in ((write_dc1, "DC1"), (write_dc2, "DC2")):
        write(_form(), tmp_path / f"{name}.docx")
        footer = open_docx(tmp_path / f"{name}.docx").sections[0].footer.paragraphs[0]
        assert plain(footer.text).startswith(f"{name} – ") and "BRV Construction — Page" in plain(footer.text)
        assert field_codes(footer._p) == ["PAGE", "NUMPAGES"]


def test_insurance_expiring_before_the_deadline_is_flagged_in_dc2(tmp_path: Path) -> None:
    late = analysis(deadline="2027-07-16T12:00:00+02:00")
    write_dc2(
        FormInput(analysis=late, profile=example_profile(), works=True, today=TODAY), tmp_path / "dc2.docx"
    )
    text = all_text(open_docx(tmp_path / "dc2.docx"))
    # The buyer reads the DC2 after 16/07/2027: a policy valid until 31/12/2026 must be renewed first.
    assert (
        "valide jusqu'au 31/12/2026 [à compléter : attestation renouvelée (expire avant le 16/07/2027)]"
        in text
    )


def test_dc1_never_ticks_every_lot_by_default(tmp_path: Path) -> None:
    a = analysis(lots=[Lot(number=1, title="Gros œuvre"), Lot(number=2, title="Couverture")])
    write_dc1(FormInput(analysis=a, profile=example_profile(), today=TODAY), tmp_path / "dc1.docx")
    text = all_text(open_docx(tmp_path / "dc1.docx"))
    assert "☐ pour tous les lots de la procédure ;" in text
    assert "☐ pour le lot n° …… de la procédure." in text
    assert "[à compléter : lot(s) auquel(s) la candidature répond]" in text
    chosen = FormInput(analysis=a, profile=example_profile(), all_lots=True, today=TODAY)
    write_dc1(chosen, tmp_path / "all.docx")
    assert "☒ pour tous les lots de la procédure ;" in all_text(open_docx(tmp_path / "all.docx"))


def test_dc2_works_only_part_is_sans_objet_for_services(tmp_path: Path) -> None:
    write_dc2(FormInput(analysis=analysis(), profile=example_profile(), today=TODAY), tmp_path / "dc2.docx")
    text = all_text(open_docx(tmp_path / "dc2.docx"))
    assert "Sans objet : marché de services ou de fournitures." in text
    assert "responsabilité décennale" not in text and "Assurance décennale" not in text


def _sub() -> Subcontractor:
    return Subcontractor(
        raison_sociale="Étanchéité Moderne SARL",
        siret="73282932000074",
        adresse="3 rue des Couvreurs, 21000 Dijon",
        prestations="Étanchéité de la toiture-terrasse de l'extension",
        montant_ht=42500.0,
        paiement_direct=True,
    )


def test_dc4_follows_the_official_sections(tmp_path: Path) -> None:
    write_dc4(_form(lot=1), _sub(), tmp_path / "dc4.docx")
    doc = open_docx(tmp_path / "dc4.docx")
    letters = [h[:1] for level, h in headings(doc) if level == 1]
    assert letters == list("ABCDEFGHIJKLMN")
    blank = (
        Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "forms" / "blank" / "DC4-2023.docx"
    )
    if blank.is_file():  # the same sections as the Ministry's blank form
        titles = [re.match(r"\s*([A-Z])\s[-–]\s\S", p.text) for p in open_docx(blank).paragraphs]
        official = [m.group(1) for m in titles if m]
        assert letters == official
    text = plain(all_text(doc))
    assert "☒ un document annexé à l’offre du soumissionnaire ;" in text
    assert "Nom commercial et dénomination sociale : Étanchéité Moderne SARL" in text
    assert "Numéro SIRET : 73282932000074" in text and "Numéro SIRET : 81247563000016" in text
    assert "Montant HT : 42 500,00 €" in text and "Montant TTC : 51 000,00 €" in text
    assert "paiement direct : ☒ Oui   ☐ Non" in text
    assert "☐ Le sous-traitant déclare sur l’honneur" in text  # the sub-contractor's own act
