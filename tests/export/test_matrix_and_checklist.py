"""The requirements matrix (XLSX) and the checklist (DOCX), reopened."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from app.drafting.answer import Answer
from app.export.checklist_docx import write_checklist
from app.export.matrix_xlsx import MATRIX_HEADER, write_matrix
from tests.export.helpers import all_text, open_docx, tables_with_header


def test_matrix_reads_back_with_openpyxl(cadre_answer: Answer, tmp_path: Path) -> None:
    path = tmp_path / "matrice.xlsx"
    write_matrix(cadre_answer.requirements, path, cadre_answer.gonogo)
    wb = openpyxl.load_workbook(path)
    ws = wb["Exigences"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == MATRIX_HEADER
    assert len(rows) - 1 == len(cadre_answer.requirements)
    by_id = {r[0]: r for r in rows[1:]}
    for req in cadre_answer.requirements:
        row = by_id[req.ident]
        assert row[1] == req.text and row[2] == req.file and row[3] == req.page
        assert row[6] == req.coverage.value
        assert row[5].startswith(req.section_key or "—")
    summary = {r[0]: r[1] for r in wb["Synthèse"].iter_rows(min_row=2, values_only=True)}
    assert summary["total"] == len(cadre_answer.requirements)
    verdict = [r for r in wb["Go-no-go"].iter_rows(values_only=True) if r and r[0] == "Verdict"]
    assert verdict[0][1] == cadre_answer.gonogo.verdict.value


def test_checklist_docx(cadre_answer: Answer, tmp_path: Path) -> None:
    path = tmp_path / "checklist.docx"
    write_checklist(cadre_answer.checklist, cadre_answer.analysis, cadre_answer.profile, path)
    doc = open_docx(path)
    tables = tables_with_header(doc, "")
    assert len(tables) == 2  # candidature, offre
    candidature = {row[1]: row[2] for row in tables[0][1:]}
    assert candidature["DC1 — Lettre de candidature"] == "générée ici"
    assert candidature["Extrait K-bis"] == "fournie"
    assert candidature["Attestations fiscales et sociales"] == "à fournir"
    offre = {row[1]: row[2] for row in tables[1][1:]}
    assert offre["DPGF"] == "à fournir" and offre["Mémoire technique"] == "générée ici"
    text = all_text(doc)
    assert "Attestation de vigilance URSSAF : expire le 10/12/2026, avant la date limite" in text


def test_missing_terms_are_words_of_the_requirement(cadre_answer: Answer, tmp_path: Path) -> None:
    path = tmp_path / "matrice.xlsx"
    write_matrix(cadre_answer.requirements, path, cadre_answer.gonogo)
    rows = list(openpyxl.load_workbook(path)["Exigences"].iter_rows(min_row=2, values_only=True))
    for row in rows:
        text, missing = str(row[1]), str(row[7] or "")
        # A reader searches the mémoire for "mesures", not for the stem "mesur".
        assert all(word in text for word in missing.split(", ") if word)
        assert not str(row[5]).startswith("1.1 1.1")


def test_checklist_says_when_the_deadline_has_passed(cadre_answer: Answer, tmp_path: Path) -> None:
    from datetime import date

    path = tmp_path / "checklist.docx"
    a = cadre_answer.analysis  # deadline 18/12/2026
    write_checklist(cadre_answer.checklist, a, cadre_answer.profile, path, today=date(2026, 11, 26))
    assert (
        "Date limite de remise des offres : vendredi 18 décembre 2026 à 12h00\n"
        in all_text(open_docx(path)) + "\n"
    )
    write_checklist(cadre_answer.checklist, a, cadre_answer.profile, path, today=date(2027, 1, 4))
    assert "vendredi 18 décembre 2026 à 12h00 — date limite dépassée" in all_text(open_docx(path))
