"""French typography in the generated documents, read from the DOCX runs themselves."""

from __future__ import annotations

from pathlib import Path

from docx.oxml.ns import qn

from app.drafting.answer import Answer
from app.export.bundle import export_answer
from app.export.dc_fill import fill_form
from app.export.dc_forms import FormInput
from app.export.typography import french_spacing
from tests.drafting.builders import analysis, example_profile
from tests.export.conftest import TODAY
from tests.export.helpers import open_docx


def _raw(path: Path) -> str:
    doc = open_docx(path)
    return "".join(t.text or "" for t in doc.element.body.iter(qn("w:t")))


def test_rules() -> None:
    assert (
        french_spacing("Objet : 12 000 € HT ; 40 % ?")
        == "Objet\u00a0: 12\u202f000\u00a0€\u00a0HT\u202f; 40\u00a0%\u202f?"
    )
    assert french_spacing("« Valeur technique »") == "« Valeur technique\u00a0»"
    assert french_spacing("n° 3, p. 7") == "n°\u00a03, p.\u00a07"
    # Left alone: a phone number's pairs, a URL, a year, an already typeset text.
    for kept in ("01 64 00 12 34", "https://www.example.fr", "Exercice 2025", "Objet\u00a0: x"):
        assert french_spacing(kept) == kept


def test_exported_documents_are_typeset_in_french(cadre_answer: Answer, tmp_path: Path) -> None:
    result = export_answer(cadre_answer, tmp_path / "out", today=TODAY)
    for path in result.files:
        if path.suffix != ".docx":
            continue
        raw = _raw(path)
        assert " :" not in raw and " ;" not in raw and " »" not in raw, path.name
        styles = open_docx(path).styles.element
        lang = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
        assert lang.get(qn("w:val")) == "fr-FR", path.name  # spelling checked in French
    dc2 = _raw(tmp_path / "out" / "dc2.docx")
    assert "5\u202f840\u202f000\u00a0€" in dc2
    assert "Numéro SIRET\u00a0: 81247563000016" in dc2


def test_a_buyers_form_keeps_its_own_text(forms_dir: Path, tmp_path: Path) -> None:
    data = FormInput(analysis=analysis(), profile=example_profile(), today=TODAY)
    fill_form(forms_dir / "DC1.docx", "DC1", data, tmp_path / "dc1.docx")
    before, after = _raw(forms_dir / "DC1.docx"), _raw(tmp_path / "dc1.docx")
    assert before.count(" :") == after.count(" :") > 0
