"""Imports under crashes and odd inputs (issue 18, item 5): a consultation is listed once its import
committed, or marked *import interrompu* (Reprendre / Supprimer); undecodable file names; the real
format named in each error."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.domain.errors import InvalidInput
from app.services import consultations as svc
from local_store import repo_pieces
from local_store.store import Store, open_store
from tests.conftest import EXAMPLE_DIR, run_cli
from tests.dce.builders import pdf

EXAMPLE_PIECES = 9  # the example DCE: RC, CCAP, CCTP, cadre, AE, DQE, DPGF, BPU… and a plan

EXAMPLE = EXAMPLE_DIR / "dce.zip"

# A child imports the example DCE and kills itself (SIGKILL, as `kill -9`) once some pieces are stored.
_KILLED_IMPORT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from local_store.store import open_store
    from local_store import repo_pieces
    from app.services import consultations as svc

    store = open_store()
    seen = []
    original = repo_pieces.add_piece

    def add_piece(*args, **kwargs):
        original(*args, **kwargs)
        seen.append(1)
        if len(seen) == 3:
            # the transaction of the third piece commits when this returns; die right after it
            import threading
            threading.Timer(0.05, lambda: os.kill(os.getpid(), signal.SIGKILL)).start()

    repo_pieces.add_piece = add_piece
    svc.import_dce(store, [Path(sys.argv[1])], workers=1, progress=lambda *a: __import__("time").sleep(0.2))
    """
)


def _kill_an_import(folder: Path) -> None:
    env = dict(os.environ)
    proc = subprocess.run(
        [sys.executable, "-c", _KILLED_IMPORT, str(EXAMPLE)],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()


def test_a_killed_import_is_marked_interrupted_then_resumed(store: Store, tmp_path: Path) -> None:
    _kill_an_import(tmp_path)
    [row] = svc.list_consultations(store)
    assert svc.is_interrupted(row)
    assert 0 < row.pieces < 8  # some pieces, never shown as a finished import
    # Never synced while interrupted.
    from local_store import repo_sync
    from sync import policy

    assert row.uuid not in {r.uuid for r in repo_sync.outbox(store.read(), policy.SPECS)}

    result = svc.resume_import(store, row.uuid, workers=1)
    assert result.consultation_uuid == row.uuid
    [done] = svc.list_consultations(store)
    assert not svc.is_interrupted(done) and done.pieces == EXAMPLE_PIECES
    assert result.analysis is not None and result.analysis.deadline


def test_an_interrupted_import_can_be_deleted_with_its_files(store: Store, tmp_path: Path) -> None:
    _kill_an_import(tmp_path)
    [row] = svc.list_consultations(store)
    svc.delete_import(store, row.uuid)
    assert svc.list_consultations(store) == []
    conn = store.read()
    assert conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM page_texts").fetchone()[0] == 0


def test_a_finished_import_cannot_be_deleted_as_interrupted(store: Store) -> None:
    result = svc.import_dce(store, [EXAMPLE], workers=1, analyze=False)
    with pytest.raises(InvalidInput):
        svc.delete_import(store, result.consultation_uuid)
    with pytest.raises(InvalidInput):
        svc.resume_import(store, result.consultation_uuid)


def test_an_import_in_progress_is_not_listed(store: Store) -> None:
    seen: list[int] = []

    def progress(done: int, total: int, label: str) -> None:
        seen.append(len(svc.list_consultations(store)))

    svc.import_dce(store, [EXAMPLE], workers=1, analyze=False, progress=progress)
    assert seen and set(seen) == {0}
    assert len(svc.list_consultations(store)) == 1


def test_cli_lists_resumes_and_deletes_interrupted_imports(store: Store, tmp_path: Path) -> None:
    _kill_an_import(tmp_path)
    [row] = svc.list_consultations(store)
    env = dict(os.environ)
    code, out, err = run_cli(["consultations", "list"], env)
    assert code == 0 and "import interrompu" in out
    code, out, err = run_cli(["consultations", "resume", row.uuid[:8]], env)
    assert code == 0, err
    assert "9 pièce(s)" in out
    code, out, err = run_cli(["consultations", "delete", row.uuid], env)
    assert code == 4 and "terminé" in err


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names are bytes on Linux only")
def test_a_folder_with_a_non_utf8_file_name_imports(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "dce"
    folder.mkdir()
    (folder / "RC.pdf").write_bytes(pdf(["Règlement de la consultation"]))
    raw = b"R\xe8glement annexe.pdf"  # Latin-1, not UTF-8
    with open(os.path.join(os.fsencode(folder), raw), "wb") as fh:
        fh.write(pdf(["Annexe au règlement"]))

    result = svc.import_dce(store, [folder], workers=1, analyze=False)
    paths = sorted(p.path for p in result.pieces)
    assert paths == ["RC.pdf", "R_glement annexe.pdf"]
    meta = repo_pieces.piece_meta(store, result.consultation_uuid, "R_glement annexe.pdf")
    assert bytes.fromhex(meta["original_name_hex"]) == raw
    assert repo_pieces.piece_meta(store, result.consultation_uuid, "RC.pdf") == {}
    assert svc.page_text(store, result.consultation_uuid, "R_glement annexe.pdf").startswith("Annexe")


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names are bytes on Linux only")
def test_cli_import_of_a_folder_with_a_non_utf8_name(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "dce"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"CCTP \xe9t\xe9.pdf"), "wb") as fh:
        fh.write(pdf(["Cahier des clauses techniques"]))
    code, out, err = run_cli(["import", str(folder)], dict(os.environ))
    assert code == 0, err
    assert "CCTP _t_.pdf" in out
    [row] = svc.list_consultations(store)
    assert row.pieces == 1 and not svc.is_interrupted(row)


def test_empty_office_files_are_not_called_pdf_or_word(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "dce"
    folder.mkdir()
    (folder / "RC.pdf").write_bytes(pdf(["Règlement de la consultation"]))
    (folder / "vide.docx").write_bytes(b"")
    (folder / "vide.xlsx").write_bytes(b"")
    (folder / "faux.xlsx").write_bytes(b"ceci n'est pas un classeur")
    result = svc.import_dce(store, [folder], workers=1, analyze=False)
    notes = {p.path: (p.error or p.unread_reason or "") for p in result.pieces}
    assert "vide" in notes["vide.docx"].lower() and "vide" in notes["vide.xlsx"].lower()
    for name in ("vide.docx", "vide.xlsx"):
        assert "PDF" not in notes[name] and "Word" not in notes[name] and "Excel" not in notes[name]
    assert "Excel" in notes["faux.xlsx"] and "PDF" not in notes["faux.xlsx"]


def test_the_store_survives_a_reopen_of_an_interrupted_import(store: Store, tmp_path: Path) -> None:
    _kill_an_import(tmp_path)
    store.close()
    again = open_store()
    try:
        [row] = svc.list_consultations(again)
        assert svc.is_interrupted(row)
        assert again.integrity_errors() == []
    finally:
        again.close()


def test_an_extractor_crash_names_the_real_format(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.dce import worker
    from app.dce.worker import Task, run_task

    def boom(*_a: object, **_k: object) -> object:
        raise RuntimeError("parser bug")

    monkeypatch.setattr(worker, "extract", boom)
    monkeypatch.setattr(worker, "extract_pdf", boom)
    assert (run_task(Task("x", "BPU.xlsx", b"PK")).error or "").startswith("Classeur Excel (XLSX) :")
    assert (run_task(Task("x", "CCTP.docx", b"PK")).error or "").startswith("Document Word (DOCX) :")
    assert (run_task(Task("x", "RC.pdf", b"%PDF", pdf=True)).error or "").startswith("PDF :")


def test_a_pid_reused_by_another_process_does_not_hide_an_interrupted_import(store: Store) -> None:
    result = svc.import_dce(store, [EXAMPLE], workers=1, analyze=False)
    living = os.getppid()  # a process that runs, but is not the one that imported
    with store.transaction() as tx:
        tx.execute(
            "UPDATE consultations SET import_state = 'importing', import_pid = ?, import_owner = ?"
            " WHERE uuid = ?",
            (living, f"{living}@another-boot/1", result.consultation_uuid),
        )
    [row] = svc.list_consultations(store)
    assert svc.is_interrupted(row)
