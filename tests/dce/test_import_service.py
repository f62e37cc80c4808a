"""Importing DCEs into the encrypted store: stored once, searchable without accents, corrections kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.dce import reader
from app.domain.analysis import Engine
from app.domain.errors import InvalidInput
from app.domain.kinds import PieceKind
from app.domain.progress import Cancelled, CancelToken
from app.services import consultations as svc
from local_store.store import Store
from tests.conftest import EXAMPLE_DIR
from tests.dce.builders import long_pdf, pdf, zip_bytes

EXAMPLE = EXAMPLE_DIR / "dce.zip"


def _count(store: Store, table: str) -> int:
    return int(store.read().execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_import_example_stores_pieces_and_analysis(store: Store) -> None:
    result = svc.import_dce(store, [EXAMPLE], workers=2)
    assert result.errors == []
    kinds = {p.path: p.kind for p in result.pieces}
    assert kinds["Règlement de consultation.pdf"] == PieceKind.RC
    assert kinds["2026-TRV-014_CCTP_Indice-A.pdf"] == PieceKind.CCTP
    assert len(result.pieces) == 9
    assert result.analysis is not None and result.analysis_ready_seconds is not None

    [row] = svc.list_consultations(store)
    assert row.uuid == result.consultation_uuid
    assert row.buyer == result.analysis.buyer
    assert row.pieces == 9
    text = svc.page_text(store, row.uuid, "Règlement de consultation.pdf", 1)
    assert "RÈGLEMENT DE LA CONSULTATION" in text
    assert svc.get_analysis(store, row.uuid) == result.analysis


def test_reimport_extracts_nothing_and_stores_each_file_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = svc.import_dce(store, [EXAMPLE], workers=1)
    blobs, pages = _count(store, "blobs"), _count(store, "page_texts")

    def no_extraction(task: object) -> object:
        raise AssertionError("text extracted again")

    monkeypatch.setattr(reader, "run_task", no_extraction)
    second = svc.import_dce(store, [EXAMPLE], workers=1)
    assert second.extracted == 0 and second.reused == first.extracted == 9
    assert second.consultation_uuid != first.consultation_uuid
    assert (_count(store, "blobs"), _count(store, "page_texts")) == (blobs, pages)
    assert [(p.path, p.pages) for p in second.pieces] == [(p.path, p.pages) for p in first.pieces]


def test_hostile_archive_imports_the_good_files_with_a_message_per_bad_one(
    store: Store, tmp_path: Path
) -> None:
    data = zip_bytes(
        [
            ("../../evil.pdf", b"%PDF-1.4 malveillant"),
            ("/tmp/absolu.pdf", b"%PDF-1.4 malveillant"),
            ("RC.pdf", pdf(["Règlement de la consultation – maintenance des ascenseurs communaux"])),
            ("CCAP.pdf", b"%PDF-1.7 ceci n'est pas un vrai PDF"),
            ("bombe.txt", b"\0" * (8 * 1024 * 1024)),
        ]
    )
    work = tmp_path / "import"
    work.mkdir()
    archive = work / "dce.zip"
    archive.write_bytes(data)
    before = sorted(p for p in tmp_path.rglob("*") if "maitre-ao-home" not in p.parts)
    result = svc.import_dce(store, [archive], workers=2)
    after = sorted(p for p in tmp_path.rglob("*") if "maitre-ao-home" not in p.parts)

    assert before == after  # nothing written outside the store
    messages = {e.file: e.message for e in result.errors}
    assert set(messages) == {"../../evil.pdf", "/tmp/absolu.pdf", "CCAP.pdf", "bombe.txt"}
    assert "PDF illisible" in messages["CCAP.pdf"]
    assert "bombe" in messages["bombe.txt"]
    assert sorted(p.path for p in result.pieces) == ["CCAP.pdf", "RC.pdf"]
    assert {p.path: p.pages for p in result.pieces}["RC.pdf"] == 1


def test_nothing_readable_is_an_error_and_leaves_no_consultation(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "vide.zip"
    archive.write_bytes(zip_bytes([("../x.pdf", b"%PDF")]))
    with pytest.raises(InvalidInput, match="Aucun fichier"):
        svc.import_dce(store, [archive], workers=1)
    assert svc.list_consultations(store) == []


def test_search_ignores_accents_and_case(store: Store) -> None:
    uuid = svc.import_dce(store, [EXAMPLE], workers=1).consultation_uuid
    hits = svc.search(store, "reglement consultation")
    assert hits and hits[0].path == "Règlement de consultation.pdf"
    assert {h.path for h in svc.search(store, "ELECTRICITE")} >= {"2026-TRV-014_DPGF_LOT-01-03.xlsx"}
    visit = svc.search(store, "visite obligatoire", consultation_uuid=uuid)
    assert any(h.path == "Règlement de consultation.pdf" and "[obligatoire]" in h.snippet for h in visit)
    assert svc.search(store, "photovoltaïque") == []
    assert svc.search(store, '"amiante" OR *') == []  # FTS syntax never leaks from the user's words


def test_kind_change_and_hand_corrections_survive_reanalysis(store: Store) -> None:
    result = svc.import_dce(store, [EXAMPLE], workers=1)
    uuid = result.consultation_uuid
    svc.set_piece_kind(store, uuid, "Plans/Plan de situation.pdf", "annexe")
    kinds = {p.path: (p.kind, p.kind_manual) for p in svc.list_pieces(store, uuid)}
    assert kinds["Plans/Plan de situation.pdf"] == (PieceKind.ANNEXE, True)
    with pytest.raises(InvalidInput):
        svc.set_piece_kind(store, uuid, "Plans/Plan de situation.pdf", "PLAN")

    assert result.analysis is not None
    original = result.analysis.offer_validity_days
    corrected = svc.set_override(store, uuid, "offer_validity_days", 90)
    assert corrected is not None and corrected.offer_validity_days == 90
    assert corrected.evidence["offer_validity_days"].engine == Engine.MANUAL
    again = svc.analyze_consultation(store, uuid, "offline")
    assert again.offer_validity_days == 90
    assert svc.get_analysis(store, uuid).offer_validity_days == 90  # type: ignore[union-attr]
    with pytest.raises(InvalidInput):
        svc.set_override(store, uuid, "offer_validity_days", "quatre mois")
    restored = svc.clear_override(store, uuid, "offer_validity_days")
    assert restored is not None and restored.offer_validity_days == original


def test_cancelled_import_keeps_the_pieces_already_stored(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "dce.zip"
    archive.write_bytes(
        zip_bytes(
            [
                ("RC.pdf", pdf(["Règlement de la consultation – entretien des espaces verts"])),
                ("CCTP.pdf", long_pdf("Cahier des clauses techniques particulières", 64)),
            ]
        )
    )
    token = CancelToken()

    def progress(done: int, total: int, label: str) -> None:
        if done >= 1:
            token.cancel()

    with pytest.raises(Cancelled):
        svc.import_dce(store, [archive], workers=2, cancel=token, progress=progress, analyze=False)
    [row] = svc.list_consultations(store)
    assert [p.path for p in svc.list_pieces(store, row.uuid)] == ["RC.pdf"]


def test_a_failing_analysis_does_not_lose_the_import(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("bug in a rule")

    monkeypatch.setattr(svc, "run_engine", broken)
    result = svc.import_dce(store, [EXAMPLE], workers=1)
    assert result.analysis is None
    assert any("analyse automatique a échoué" in w for w in result.warnings)
    assert len(svc.list_pieces(store, result.consultation_uuid)) == 9
