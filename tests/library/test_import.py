"""Past mémoires into the library: split at headings, tags, sources, no duplicates, merge/split."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from app.domain.errors import InvalidInput
from app.library.importer import read_document
from app.services import library
from local_store import repo_library, text_norm
from local_store.store import Store

LIBRARY = Path(__file__).resolve().parents[2] / "app" / "resources" / "example" / "library"
WORKS = LIBRARY / "memoire_travaux_groupe_scolaire_2025.docx"
SERVICES = LIBRARY / "memoire_services_maintenance_batiments_2024.docx"


def test_docx_split_at_headings_keeps_text_tables_source_and_facts() -> None:
    doc = read_document(WORKS.name, WORKS.read_bytes())
    assert doc.facts["buyer"] == "Commune de Coupvray"
    assert doc.date is not None and doc.date.year == 2025
    titles = [b.title for b in doc.blocks]
    assert "Contrôle qualité : autocontrôles et fiches de suivi" in titles  # number "7." removed
    quality = next(b for b in doc.blocks if b.title.startswith("Contrôle qualité"))
    assert "| Étape | Contrôle | Enregistrement |" in quality.body  # the table kept as rows
    assert "qualité" in quality.tags
    site = next(b for b in doc.blocks if b.title.startswith("Organisation du chantier"))
    assert "- Clôtures rigides" in site.body  # bullets kept
    waste = next(b for b in doc.blocks if "déchets" in b.title)
    assert waste.tags[0] == "environnement"
    staff = next(b for b in doc.blocks if b.title.startswith("Équipe"))
    assert "moyens humains" in staff.tags


def test_odt_and_pdf_are_read(tmp_path: Path) -> None:
    content = (
        '<?xml version="1.0"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        "<text:p>Acheteur : Ville de Test</text:p>"
        '<text:h text:outline-level="1">1. Gestion des déchets</text:h>'
        "<text:p>Les déchets sont triés sur le chantier dans des bennes par flux, puis valorisés.</text:p>"
        "<text:list><text:list-item><text:p>Bennes inertes et bois</text:p></text:list-item></text:list>"
        "</office:text></office:body></office:document-content>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("content.xml", content)
    doc = read_document("ancien.odt", buf.getvalue())
    assert doc.facts == {"buyer": "Ville de Test"}
    assert doc.blocks[0].title == "Gestion des déchets"
    assert "- Bennes inertes et bois" in doc.blocks[0].body
    assert doc.blocks[0].tags == ["environnement"]
    with pytest.raises(InvalidInput):
        read_document("notes.txt", b"hello")

    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in (
        "Acheteur : Ville de Test",
        "1. Gestion des dechets",
        "Les dechets sont tries sur le chantier dans des bennes par flux, puis valorises.",
        "2. Planning des travaux",
        "Le planning distingue la preparation, les travaux et la reception des ouvrages.",
    ):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    doc = read_document("ancien.pdf", bytes(pdf.output()))
    assert doc.facts == {"buyer": "Ville de Test"}
    assert [b.title for b in doc.blocks] == ["Gestion des dechets", "Planning des travaux"]
    assert doc.blocks[1].tags[0] == "planning"


def test_import_twice_adds_nothing_and_merge_split_retag(store: Store) -> None:
    first = library.import_file(store, WORKS)
    assert len(first.added) == 18 and first.already_there == 0
    again = library.import_file(store, WORKS)
    assert again.added == [] and again.already_there == 18
    block = first.added[0]
    assert block.source_file == WORKS.name and block.source_date is not None
    assert block.source_facts and block.source_facts["buyer"] == "Commune de Coupvray"

    renamed = library.retitle(store, block.uuid, "Notre entreprise")
    assert library.retag(store, renamed.uuid, ["présentation", "qualité", "qualité"]).tags == [
        "présentation",
        "qualité",
    ]
    a, b = first.added[1], first.added[2]
    merged = library.merge(store, [a.uuid, b.uuid], "Enjeux et organisation")
    assert a.body.strip() in merged.body and b.body.strip() in merged.body
    parts = library.split(store, merged.uuid, len(library.paragraphs(a)), "Organisation en site occupé")
    assert [p.title for p in parts] == ["Enjeux et organisation", "Organisation en site occupé"]
    assert len(library.all_blocks(store)) == 18
    # Edited, merged and split blocks keep their import hash: the file still adds nothing.
    assert library.import_file(store, WORKS).added == []


def test_store_rank_is_accent_and_plural_insensitive(store: Store) -> None:
    library.import_file(store, SERVICES)
    repo_library.refresh_index(store)
    found = repo_library.rank(store, text_norm.query(["délai d'interventions", "ASTREINTES"]), 3)
    assert found and found[0][0].title == "Délais d'intervention et astreinte"
    assert found[0][1] > 0
    # Deleting a block takes it out of the drafting index.
    library.delete(store, found[0][0].uuid)
    repo_library.refresh_index(store)
    again = repo_library.rank(store, text_norm.query(["astreinte"]), 3)
    assert all(b.uuid != found[0][0].uuid for b, _ in again)


def test_pictures_are_kept_with_their_block_and_exported(store: Store, tmp_path: Path) -> None:
    import docx
    from PIL import Image

    from app.drafting.outline import Outline, OutlineSection, OutlineSource
    from app.export.memoire import MemoireInput, write_memoire
    from tests.drafting.builders import analysis, example_profile

    png = tmp_path / "plan.png"
    Image.new("RGB", (300, 200), (40, 90, 160)).save(png)
    d = docx.Document()
    d.add_paragraph("Acheteur : Ville de Test")
    d.add_heading("Installation de chantier", 1)
    d.add_paragraph("Le plan d'installation ci-dessous montre les accès, la base vie et les stockages.")
    d.add_picture(str(png))
    path = tmp_path / "ancien.docx"
    d.save(str(path))

    report = library.import_file(store, path)
    assert report.images == 1
    body = report.added[0].body
    sha = next(line[8:-2] for line in body.splitlines() if line.startswith("[[IMAGE:"))
    assert repo_library.image_data(store, sha) == png.read_bytes()
    # Re-imported: nothing new, the picture is stored once.
    assert library.import_file(store, path).added == []

    outline = Outline(OutlineSource.CRITERIA, [OutlineSection(key="1", title="Installation", level=1)])
    out = tmp_path / "memoire.docx"
    write_memoire(
        MemoireInput(
            analysis(),
            example_profile(),
            outline,
            {"1": body},
            image=lambda h: repo_library.image_data(store, h),
        ),
        out,
    )
    exported = docx.Document(str(out))
    assert len(exported.inline_shapes) == 1
    assert "[[IMAGE" not in "\n".join(p.text for p in exported.paragraphs)
