"""Profil › Documents administratifs: a document's file joined from the app is kept in the encrypted
store (there after reopening it), opened, joined to the submission folder, removed; other formats are
refused in French; each row says its validity in words (expired, soon expired) with a French date."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QFileDialog, QTableWidgetItem
from pytestqt.qtbot import QtBot

from app.domain.french import MONTHS
from app.domain.progress import CancelToken, no_progress
from app.services import documents
from tests.ui.helpers import EXAMPLE_ZIP, ready_window
from ui.context import AppContext
from ui.main_window import Page

WAIT_MS = 20_000


def _pdf(path: Path, text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "", 14)
    pdf.text(20, 20, text)
    data = bytes(pdf.output())
    path.write_bytes(data)
    return data


def test_document_file_joined_kept_opened_exported_and_removed(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: object
) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    window.show_page(Page.PROFILE)
    page = window.profile
    docs = page.admin_docs
    qtbot.waitUntil(lambda: docs.table.rowCount() == 5, timeout=WAIT_MS)
    # The example profile names files it never gave: no file is shown as joined.
    assert docs.table.item(0, docs.file_col).text() == "aucun fichier"

    kbis = tmp_path / "kbis_decembre.pdf"
    data = _pdf(kbis, "Extrait K-bis BRV Construction")
    docs.table.selectRow(0)
    monkeypatch.setattr(  # type: ignore[attr-defined]
        QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(kbis), docs.FILE_FILTER)
    )
    docs.attach_button.click()
    qtbot.waitUntil(lambda: docs.table.item(0, docs.file_col).text() == kbis.name, timeout=WAIT_MS)
    assert "chiffré" in docs.file_status.text()

    # A Word file is refused, and so is a file whose content is not a PDF or an image.
    word = tmp_path / "attestation.docx"
    word.write_bytes(b"PK\x03\x04 not a pdf")
    docs.table.selectRow(1)
    docs.attach(word)
    assert "seuls les PDF" in docs.file_status.text()
    fake = tmp_path / "faux.pdf"
    fake.write_bytes(b"<html>pas un PDF</html>")
    docs.attach(fake)
    qtbot.waitUntil(lambda: "Fichier non joint" in docs.file_status.text(), timeout=WAIT_MS)
    assert docs.table.item(1, docs.file_col).text() == "aucun fichier"

    # Saving the profile keeps the file (the table's edits do not drop it).
    page.save()
    qtbot.waitUntil(lambda: page.status.text() == "Profil enregistré.", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: docs.table.item(0, docs.file_col).text() == kbis.name, timeout=WAIT_MS)

    # Reopen the store: the file's bytes are there.
    ctx.runner.call(ctx.backend.close)
    ctx.runner.call(ctx.backend.open)
    kept = ctx.runner.call(lambda: documents.supporting_files(ctx.backend.require_store()))
    assert [(f.name, f.data) for f in kept] == [(kbis.name, data)]

    # Ouvrir: a copy handed to the system viewer.
    opened: list[QUrl] = []
    docs.open_url = opened.append
    docs.open_folder = tmp_path / "ouverts"
    docs.table.selectRow(0)
    docs.open_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT_MS)
    assert Path(opened[0].toLocalFile()).read_bytes() == data

    # The export joins it to the submission folder.
    outcome = ctx.runner.call(
        lambda: ctx.backend.import_dce_checked([EXAMPLE_ZIP], no_progress, CancelToken())
    )
    out = tmp_path / "export"
    ctx.runner.call(lambda: ctx.backend.export(outcome.consultation_uuid, out))
    joined = list((out / "dossier_de_remise").rglob(kbis.name))
    assert len(joined) == 1 and joined[0].read_bytes() == data

    # Retirer le fichier: the document stays, its file goes.
    docs.table.selectRow(0)
    docs.detach_button.click()
    qtbot.waitUntil(lambda: docs.table.item(0, docs.file_col).text() == "aucun fichier", timeout=WAIT_MS)
    assert ctx.runner.call(lambda: documents.supporting_files(ctx.backend.require_store())) == []
    assert docs.table.rowCount() == 5


def test_document_rows_say_expired_and_soon_expired_in_french(qtbot: QtBot, ctx: AppContext) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    window.show_page(Page.PROFILE)
    page = window.profile
    docs = page.admin_docs
    qtbot.waitUntil(lambda: docs.table.rowCount() == 5, timeout=WAIT_MS)
    expiry_col = [c[0] for c in docs.columns].index("expires_on")
    today = date.today()
    past, soon, later = today - timedelta(days=3), today + timedelta(days=20), today + timedelta(days=400)
    for row, when in ((0, past), (1, soon), (2, later)):
        docs.table.setItem(row, expiry_col, QTableWidgetItem(when.strftime("%d/%m/%Y")))
    page.save()
    qtbot.waitUntil(lambda: page.status.text() == "Profil enregistré.", timeout=WAIT_MS)

    def said(row: int) -> str:
        return docs.table.item(row, docs.validity_col).text()

    qtbot.waitUntil(lambda: "expiré le" in said(0), timeout=WAIT_MS)
    assert f"{past.day} {MONTHS[past.month - 1]} {past.year}" in said(0)
    assert "expire bientôt" in said(1) and f"{soon.day} {MONTHS[soon.month - 1]} {soon.year}" in said(1)
    assert said(2).startswith("valable jusqu'au") and str(later.year) in said(2)
    assert said(4) == "sans date d'expiration"  # the RIB
    assert "kbis" not in docs.table.horizontalHeaderItem(0).text()  # no stored code in the header
