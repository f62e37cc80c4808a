"""Answers written into the buyer's cadre de réponse: every answer place filled, the buyer's paragraphs,
table cells, styles, headers and page setup unchanged, unplaced questions in an annex."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.shared import Cm

from app.export.cadre_fill import CadreAnswer, fill_cadre, write_annex
from app.resources.example.make_example_dce import make_cadre
from tests.export.helpers import all_text, open_docx


def _snapshot(path: Path) -> tuple[list[tuple[str, str]], list[list[list[str]]], list[str], list[object]]:
    doc = docx.Document(str(path))
    paragraphs = [(p.text, p.style.name if p.style is not None else "") for p in doc.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    headers = [s.header.paragraphs[0].text if s.header.paragraphs else "" for s in doc.sections]
    setup = [(s.page_width, s.page_height, s.left_margin, s.orientation) for s in doc.sections]
    return paragraphs, tables, headers, setup


def _assert_buyer_content_kept(before: Path, after: Path) -> None:
    (p0, t0, h0, s0), (p1, t1, h1, s1) = _snapshot(before), _snapshot(after)
    assert h0 == h1 and s0 == s1
    # Every buyer paragraph is still there, in order, with its text and style (answers come between).
    it = iter(p1)
    for text, style in p0:
        if not text.strip():
            continue
        assert any(t == text and s == style for t, s in it), text
    assert len(t0) == len(t1)
    for table0, table1 in zip(t0, t1, strict=True):
        assert len(table0) == len(table1)
        for row0, row1 in zip(table0, table1, strict=True):
            for c0, c1 in zip(row0, row1, strict=True):
                assert c1 == c0 or not c0.strip(), (c0, c1)  # only empty cells receive text


def test_example_cadre_answers_at_their_places(tmp_path: Path) -> None:
    source = tmp_path / "cadre.docx"
    source.write_bytes(make_cadre())
    answers = [
        CadreAnswer(
            "1.1",
            "1.1 Décrivez l'organisation du chantier en site occupé et les mesures de sécurité des usagers.",
            "Zone de travaux isolée par palissade.\n\nCheminements usagers balisés chaque matin.",
        ),
        CadreAnswer(
            "1.2", "1.2 Présentez le planning détaillé des travaux et les points d'arrêt.", "Huit mois."
        ),
        CadreAnswer(
            "3.2", "3.2 Présentez les mesures de réduction des nuisances (bruit, poussière).", "Brumisation."
        ),
    ]
    out = tmp_path / "out" / "cadre.docx"
    report = fill_cadre(source, out, answers)
    assert report.placed == ["1.1", "1.2", "3.2"] and not report.unplaced
    _assert_buyer_content_kept(source, out)
    texts = [p.text for p in open_docx(out).paragraphs]
    q = texts.index(answers[0].question)
    assert texts[q + 1 : q + 4] == [
        "Réponse du candidat :",
        "Zone de travaux isolée par palissade.",
        "Cheminements usagers balisés chaque matin.",
    ]
    q3 = texts.index(answers[2].question)
    assert texts[q3 + 2] == "Brumisation."


def _table_cadre(path: Path) -> None:
    d = docx.Document()
    d.sections[0].left_margin = Cm(1.5)
    d.sections[0].header.paragraphs[0].text = "Ville de Montreuil-Bellay – Cadre de réponse"
    d.add_heading("Cadre de réponse technique", 0)
    t = d.add_table(rows=3, cols=3)
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, ("N°", "Question", "Réponse du candidat"), strict=True):
        cell.text = text
    t.rows[1].cells[0].text, t.rows[1].cells[1].text = "Q1", "Décrivez votre organisation du service."
    t.rows[2].cells[0].text, t.rows[2].cells[1].text = "Q2", "Précisez les délais d'intervention."
    d.add_heading("Q3 Présentez votre démarche environnementale.", 2)
    box = d.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    d.add_paragraph("Fin du cadre.")
    d.save(str(path))


def test_table_rows_and_answer_boxes_filled_unplaced_go_to_an_annex(tmp_path: Path) -> None:
    source = tmp_path / "cadre.docx"
    _table_cadre(source)
    answers = [
        CadreAnswer(
            "1", "Décrivez votre organisation du service.", "Une équipe dédiée.\n\nUn chef de projet unique."
        ),
        CadreAnswer("2", "Précisez les délais d'intervention.", "Quatre heures ouvrées."),
        CadreAnswer("3", "Q3 Présentez votre démarche environnementale.", "Véhicules électriques."),
        CadreAnswer("4", "Indiquez vos références similaires.", "Trois références."),
    ]
    out = tmp_path / "filled.docx"
    report = fill_cadre(source, out, answers)
    assert report.placed == ["1", "2", "3"]
    assert [a.key for a in report.unplaced] == ["4"] and "non retrouvée" in report.warnings[0]
    _assert_buyer_content_kept(source, out)
    doc = open_docx(out)
    table = doc.tables[0]
    assert table.rows[1].cells[2].text == "Une équipe dédiée.\nUn chef de projet unique."
    assert table.rows[2].cells[2].text == "Quatre heures ouvrées."
    assert doc.tables[1].rows[0].cells[0].text == "Véhicules électriques."
    annex = write_annex(report, tmp_path / "annexe.docx")
    assert "Indiquez vos références similaires." in all_text(open_docx(annex))
    assert "Trois références." in all_text(open_docx(annex))
