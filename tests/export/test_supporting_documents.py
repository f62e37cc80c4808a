"""Supporting documents: files kept in the encrypted store, joined to the candidature, expiry flagged."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from app.domain.errors import InvalidInput
from app.services import consultations, documents, proposals
from app.services import profile as profile_service
from local_store.store import Store
from tests.conftest import EXAMPLE_DIR, run_cli
from tests.export.helpers import all_text, open_docx, plain

PDF = b"%PDF-1.4\n% K-bis de test\n%%EOF\n"


def test_files_kept_in_the_store_reach_the_candidature(store: Store, tmp_path: Path) -> None:
    uuid = consultations.import_dce(store, [EXAMPLE_DIR / "dce.zip"], workers=1).consultation_uuid
    profile_service.import_file(store, EXAMPLE_DIR / "profile.json")
    profile = profile_service.load(store)
    assert profile is not None
    kbis = next(d for d in profile.documents_administratifs if d.label == "Extrait K-bis")
    source = tmp_path / "kbis_2026-10.pdf"
    source.write_bytes(PDF)
    assert kbis.uuid is not None
    documents.attach_file(store, kbis.uuid, source)
    source.unlink()  # the store holds its own copy
    text = tmp_path / "note.txt"
    text.write_text("pas un PDF", encoding="utf-8")
    with pytest.raises(InvalidInput, match="PDF, PNG et JPEG"):
        documents.attach_file(store, kbis.uuid, text)
    raw = store.path.read_bytes()
    assert b"K-bis de test" not in raw  # encrypted at rest

    result = proposals.export_consultation(store, uuid, tmp_path / "out", lot=1)
    assert result.submission is not None
    with zipfile.ZipFile(result.submission.archive) as zf:
        assert zf.read("candidature/kbis_2026-10.pdf") == PDF
    checklist = plain(all_text(open_docx(tmp_path / "out" / "checklist.docx")))
    # The example K-bis expires on 02/01/2027, before the deadline of 16/07/2027.
    assert "kbis_2026-10.pdf | expire le 02/01/2027, avant la date limite : à renouveler" in checklist
    assert any("Extrait K-bis" in w and "02/01/2027" in w for w in result.warnings)
    # A profile saved again keeps the file.
    profile_service.import_file(store, EXAMPLE_DIR / "profile.json")
    assert [f.name for f in documents.supporting_files(store)] == ["kbis_2026-10.pdf"]


def test_profile_attach_command(store: Store, tmp_path: Path, cli_env: dict[str, str]) -> None:
    profile_service.import_file(store, EXAMPLE_DIR / "profile.json")
    store.close()
    pdf = tmp_path / "urssaf.pdf"
    pdf.write_bytes(PDF)
    code, stdout, stderr = run_cli(["profile", "attach", "URSSAF", str(pdf)], cli_env)
    assert code == 0, stderr
    assert "rangé dans le coffre" in stdout and "10/12/2026" in stdout
    code, _, stderr = run_cli(["profile", "attach", "Attestation", str(pdf)], cli_env)
    assert code == 4 and "ambigu" in stderr
