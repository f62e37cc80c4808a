"""The mémoire DOCX as a reader sees it: plan, tables from the profile, markers, header and footer."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx

from app.drafting.answer import Answer, prepare_answer
from app.export.bundle import export_answer
from app.export.memoire import MemoireInput, write_memoire
from tests.drafting.builders import analysis, cadre, cctp, example_profile, rc
from tests.export.conftest import NOW, TODAY
from tests.export.helpers import all_text, field_codes, headings, open_docx, plain, tables_with_header


def _write(answer: Answer, path: Path, **kw: object) -> Path:
    write_memoire(
        MemoireInput(
            analysis=answer.analysis,
            profile=answer.profile,
            outline=answer.outline,
            bodies=answer.bodies,
            requirements=answer.requirements,
            similar_references=answer.similar_references,
            today=TODAY,
            **kw,  # type: ignore[arg-type]
        ),
        path,
    )
    return path


def test_headings_follow_the_cadre_de_reponse(cadre_answer: Answer, tmp_path: Path) -> None:
    doc = open_docx(_write(cadre_answer, tmp_path / "memoire.docx"))
    # Statements derived from the buyer's questions; no annex unless asked for.
    assert headings(doc) == [
        (1, "1. Organisation du chantier (30 %)"),
        (2, "1.1 Équipe affectée au chantier et nom du conducteur de travaux"),
        (2, "1.2 Moyens matériels mobilisés"),
        (1, "2. Gestion des déchets et des nuisances (10 %)"),
        (1, "3. Références de travaux similaires"),
    ]
    text = all_text(doc)
    assert "Question de l'acheteur : Comment le candidat assure-t-il la traçabilité des déchets ?" in text
    # The cadre's numbering is followed: its question stays under the statement.
    assert "Question de l'acheteur : 1.2 Listez les moyens matériels mobilisés." in text
    assert "non couverte" not in text and "Matrice de conformité" not in text


def test_headings_follow_the_criteria_with_weights(criteria_answer: Answer, tmp_path: Path) -> None:
    doc = open_docx(_write(criteria_answer, tmp_path / "memoire.docx"))
    assert headings(doc)[:5] == [
        (1, "1. Présentation de l'entreprise"),
        (1, "2. Valeur technique (60 %)"),
        (2, "2.1 Méthodologie et organisation du chantier (30 %)"),
        (2, "2.2 Moyens humains et matériels affectés (20 %)"),
        (2, "2.3 Démarche environnementale et gestion des déchets (10 %)"),
    ]
    assert not any("Prix" in h for _, h in headings(doc))


def test_cover_header_footer_and_table_of_contents(cadre_answer: Answer, tmp_path: Path) -> None:
    doc = open_docx(_write(cadre_answer, tmp_path / "memoire.docx"))
    cover = "\n".join(p.text for p in doc.paragraphs[:15])
    for expected in (
        "MÉMOIRE TECHNIQUE",
        "Commune d'Essai",
        "2026-ESS-07",
        "Bâtiments Rénovation du Val SAS",
        "26/11/2026",
    ):
        assert expected in cover
    body = doc.sections[-1]
    assert all(
        round(sec.page_width.cm, 1) == 21.0 and round(sec.page_height.cm, 1) == 29.7 for sec in doc.sections
    )
    assert body.header.paragraphs[0].text == "BRV Construction — 2026-ESS-07"
    footer = body.footer.paragraphs[0]
    assert footer.text.startswith("BRV Construction — Mémoire technique — Page ")
    assert field_codes(footer._p) == ["PAGE", "NUMPAGES"]
    assert doc.sections[0].different_first_page_header_footer  # no header on the cover
    assert any(code.startswith("TOC ") for code in field_codes(doc.element.body))
    settings = doc.settings.element.xml
    assert "updateFields" in settings


def test_references_and_moyens_tables_come_from_the_profile(cadre_answer: Answer, tmp_path: Path) -> None:
    doc = open_docx(_write(cadre_answer, tmp_path / "memoire.docx"))
    profile = cadre_answer.profile
    refs = tables_with_header(doc, "Client")
    assert len(refs) == 1
    rows = refs[0][1:]
    known = {(r.client, r.object, str(r.year)) for r in profile.references}
    assert {(row[0], row[1], row[2]) for row in rows} == known  # all of them, none invented
    staff = tables_with_header(doc, "Fonction")
    assert staff and [row[0] for row in staff[0][1:]] == [m.role for m in profile.moyens_humains]
    tools = tables_with_header(doc, "Désignation")
    assert tools and [row[0] for row in tools[0][1:]] == [e.designation for e in profile.moyens_materiels]
    assert tables_with_header(doc, "N°") == []  # the annex is off by default
    doc = open_docx(_write(cadre_answer, tmp_path / "annexe.docx", annex=True))
    annex = tables_with_header(doc, "N°")
    # It says where each requirement is answered, never how well ("non couverte" is for the app).
    assert annex and annex[0][0] == ["N°", "Exigence", "Source", "Réponse"]
    assert all(re.fullmatch(r"§\s\d+(\.\d+)*|Ensemble du mémoire", row[3]) for row in annex[0][1:])
    assert any(row[2] == "CCTP, p. 1" for row in annex[0][1:])  # the short name of the piece
    assert "couverte" not in all_text(doc)


def test_no_reference_in_the_profile_means_no_reference_in_the_memoire(tmp_path: Path) -> None:
    bare = example_profile(references=[])
    answer = prepare_answer(analysis(), [rc(), cctp(), cadre()], bare, now=NOW)
    doc = open_docx(_write(answer, tmp_path / "memoire.docx"))
    assert tables_with_header(doc, "Client") == []
    text = all_text(doc)
    assert (
        "[à compléter : références de prestations similaires (client, objet, année, montant, contact)]"
        in text
    )
    for ref in example_profile().references:
        assert ref.client not in text


def test_markers_stand_out(cadre_answer: Answer, tmp_path: Path) -> None:
    doc = open_docx(_write(cadre_answer, tmp_path / "memoire.docx"))
    marked = [r for p in doc.paragraphs for r in p.runs if plain(r.text).startswith("[à compléter : ")]
    assert marked and all(r.bold and r.font.highlight_color is not None for r in marked)


def test_page_limit_warning(tmp_path: Path) -> None:
    tight = prepare_answer(
        analysis(memoire_page_limit=1), [rc(), cctp(), cadre()], example_profile(), now=NOW
    )
    result = export_answer(tight, tmp_path / "out", today=TODAY)
    assert any("limite le mémoire à 1 pages" in w for w in result.warnings)
    loose = prepare_answer(
        analysis(memoire_page_limit=40), [rc(), cctp(), cadre()], example_profile(), now=NOW
    )
    assert not any(
        "limite le mémoire" in w for w in export_answer(loose, tmp_path / "out2", today=TODAY).warnings
    )


def _company_template(path: Path, as_dotx: bool) -> Path:
    doc = docx.Document()
    doc.styles["Heading 1"].font.name = "Marianne Test"
    doc.add_paragraph("Ce texte du modèle ne doit pas rester.")
    buffer = io.BytesIO()
    doc.save(buffer)
    data = buffer.getvalue()
    if as_dotx:
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                content = src.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    content = content.replace(b"document.main+xml", b"template.main+xml")
                dst.writestr(item, content)
        data = out.getvalue()
    path.write_bytes(data)
    return path


def test_company_template_supplies_the_styles(cadre_answer: Answer, tmp_path: Path) -> None:
    for as_dotx in (False, True):
        template = _company_template(tmp_path / ("modele.dotx" if as_dotx else "modele.docx"), as_dotx)
        doc = open_docx(_write(cadre_answer, tmp_path / "memoire.docx", template=template))
        assert doc.styles["Heading 1"].font.name == "Marianne Test"
        assert "Ce texte du modèle ne doit pas rester." not in all_text(doc)
        assert headings(doc)[0] == (1, "1. Organisation du chantier (30 %)")


def _png(path: Path) -> Path:
    """A 2×2 red PNG written by hand (no imaging library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    path.write_bytes(data)
    return path


def test_logo_on_the_cover(cadre_answer: Answer, tmp_path: Path) -> None:
    doc = open_docx(_write(cadre_answer, tmp_path / "memoire.docx", logo=_png(tmp_path / "logo.png")))
    assert len(doc.inline_shapes) == 1
    first_para_xml = doc.paragraphs[0]._p.xml
    assert "graphic" in first_para_xml  # the logo opens the cover page


def _column_widths_cm(table: docx.table.Table) -> list[float]:
    grid = table._tbl.tblGrid.findall(docx.oxml.ns.qn("w:gridCol"))
    return [int(g.get(docx.oxml.ns.qn("w:w"))) / 567 for g in grid]  # twips → cm


def test_tables_are_sized_to_their_content_and_fit_the_page(cadre_answer: Answer, tmp_path: Path) -> None:
    doc = open_docx(_write(cadre_answer, tmp_path / "memoire.docx", annex=True))
    by_first = {t.rows[0].cells[0].text: t for t in doc.tables}
    for table in doc.tables:
        widths = _column_widths_cm(table)
        assert abs(sum(widths) - 17.0) < 0.1  # A4 with 2 cm margins, no overflow
        # Word reads the cells' own widths: they agree with the grid.
        first_row = [c.width.cm for c in table.rows[1].cells]
        assert [round(w, 1) for w in first_row] == [round(w, 1) for w in widths]
    for table in doc.tables:
        head, *body = table.rows
        assert head._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None  # repeated on each page
        assert all(r._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None for r in body)
    annex = _column_widths_cm(by_first["N°"])
    assert annex[1] == max(annex) and annex[0] < 2  # the requirement's text gets the room
    staff = dict(
        zip(
            [c.text for c in by_first["Fonction"].rows[0].cells],
            _column_widths_cm(by_first["Fonction"]),
            strict=True,
        )
    )
    # "Nombre" holds a digit but its bold header is not broken in two ("Nomb-re").
    assert staff["Nombre"] >= 6 * 0.28


def test_annex_names_the_section_once_and_briefly(cadre_answer: Answer, tmp_path: Path) -> None:
    doc = open_docx(_write(cadre_answer, tmp_path / "memoire.docx", annex=True))
    annex = tables_with_header(doc, "N°")[0]
    sections = [row[3] for row in annex[1:]]
    assert all(s.startswith("§") or s == "Ensemble du mémoire" for s in sections)
    assert all(len(s) <= 20 for s in sections)


def test_new_pages_start_on_their_heading(cadre_answer: Answer, tmp_path: Path) -> None:
    """A paragraph holding only a page break leaves a blank page when it falls at the top of a page
    (seen on the example DCE before the annex): the headings carry the page break themselves."""
    doc = open_docx(_write(cadre_answer, tmp_path / "memoire.docx", annex=True))
    for para in doc.paragraphs:
        breaks = para._p.findall(".//" + docx.oxml.ns.qn("w:br"))
        assert not (breaks and not para.text.strip()), "a page-break-only paragraph"
    starts = [plain(p.text) for p in doc.paragraphs if p.paragraph_format.page_break_before]
    first = headings(doc)[0][1]
    assert starts == [first, "Annexe — Matrice de conformité"]


def test_annex_names_only_the_pieces_it_read(
    criteria_answer: Answer, cadre_answer: Answer, tmp_path: Path
) -> None:
    without_cadre = all_text(open_docx(_write(criteria_answer, tmp_path / "a.docx", annex=True)))
    assert "Exigences relevées dans le CCTP et partie du mémoire" in without_cadre
    with_cadre = all_text(open_docx(_write(cadre_answer, tmp_path / "b.docx", annex=True)))
    assert "Exigences relevées dans le CCTP et le cadre de réponse et partie du mémoire" in with_cadre


def test_an_amount_column_holds_its_amounts_on_one_line(cadre_answer: Answer, tmp_path: Path) -> None:
    doc = open_docx(_write(cadre_answer, tmp_path / "memoire.docx"))
    refs = next(t for t in doc.tables if t.rows[0].cells[0].text == "Client")
    header = [c.text for c in refs.rows[0].cells]
    width = _column_widths_cm(refs)[header.index("Montant HT")]
    longest = max(len(r.cells[header.index("Montant HT")].text) for r in refs.rows[1:])  # "1 560 000 €"
    assert width >= longest * 0.22 + 0.45 - 0.01  # (twips rounding)


def test_a_sentence_written_twice_is_reported_with_its_places(cadre_answer: Answer, tmp_path: Path) -> None:
    from dataclasses import replace

    sentence = "Notre conducteur de travaux visite le chantier chaque matin avec le chef de chantier."
    bodies = dict(cadre_answer.bodies)
    bodies["1.1"] = f"{bodies['1.1']}\n\n{sentence}"
    bodies["2"] = f"{sentence}\n\n{bodies['2']}"
    answer = replace(cadre_answer, bodies=bodies)
    result = write_memoire(
        MemoireInput(
            answer.analysis, answer.profile, answer.outline, bodies, answer.requirements, today=TODAY
        ),
        tmp_path / "memoire.docx",
    )
    assert result.repeated and result.repeated[0][0] == sentence
    warning = next(w for w in result.warnings if w.startswith("Phrase répétée"))
    assert "1.1 Équipe affectée au chantier" in warning and "2. Gestion des déchets" in warning


def test_the_drafted_memoire_has_no_sentence_twice(cadre_answer: Answer, tmp_path: Path) -> None:
    result = write_memoire(
        MemoireInput(
            cadre_answer.analysis,
            cadre_answer.profile,
            cadre_answer.outline,
            cadre_answer.bodies,
            cadre_answer.requirements,
            today=TODAY,
        ),
        tmp_path / "memoire.docx",
    )
    assert result.repeated == []
