"""First run: welcome → store created → recovery key kept → profile (SIRET checked as typed)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.domain.paths import store_path
from ui.context import AppContext
from ui.first_run import FirstRunDialog, print_to_pdf
from ui.main import AppFlow
from ui.main_window import MainWindow, Page

VALID_SIRET = "732 829 320 00074"


def test_first_run_creates_store_shows_key_and_saves_profile(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    flow = AppFlow(ctx)
    flow.start()
    assert flow.window is not None  # the main window is on screen at once, the wizard over it
    qtbot.addWidget(flow.window)
    qtbot.waitUntil(lambda: flow.first_run is not None, timeout=20000)
    dlg = flow.first_run
    assert isinstance(dlg, FirstRunDialog)
    qtbot.addWidget(dlg)
    assert not store_path().exists()

    qtbot.mouseClick(dlg.start_button, Qt.MouseButton.LeftButton)
    assert dlg.pages.currentIndex() == 1
    with qtbot.waitSignal(dlg.store_created, timeout=20000):
        qtbot.mouseClick(dlg.create_button, Qt.MouseButton.LeftButton)
    assert store_path().exists()
    key = dlg.key_label.text()
    assert len(key) >= 20 and key == dlg.recovery_key

    # Copy and "save as PDF" really carry the key.
    dlg._copy_key()
    assert QGuiApplication.clipboard().text() == key
    pdf = tmp_path / "cle.pdf"
    print_to_pdf(key, pdf)
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert key.replace(" ", "") in "".join(text.split())

    # Cannot go on until the user says the key is kept.
    assert not dlg.key_next.isEnabled()
    dlg.kept.setChecked(True)
    qtbot.mouseClick(dlg.key_next, Qt.MouseButton.LeftButton)
    assert dlg.pages.currentIndex() == 3

    # SIRET checked as typed: a wrong key digit is refused with a French reason.
    dlg.p_name.setText("Bâtiments Exemple SARL")  # keyClicks only types ASCII
    qtbot.keyClicks(dlg.p_siret, "732 829 320 00075")
    assert "invalide" in dlg.p_siret.feedback.text()
    assert not dlg.profile_save.isEnabled()
    dlg.p_siret.clear()
    qtbot.keyClicks(dlg.p_siret, VALID_SIRET)
    assert dlg.p_siret.feedback.text() == "SIRET valide."
    assert dlg.profile_save.isEnabled()
    qtbot.mouseClick(dlg.profile_save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.pages.currentIndex() == 4, timeout=20000)

    with qtbot.waitSignal(flow.ready, timeout=20000) as shown:
        qtbot.mouseClick(dlg.skip_button, Qt.MouseButton.LeftButton)
    window = shown.args[0]
    assert isinstance(window, MainWindow) and window is flow.window
    profile = ctx.runner.call(ctx.backend.load_profile)
    assert profile is not None and profile.siret == "73282932000074"
    assert profile.raison_sociale == "Bâtiments Exemple SARL"
    window.show_page(Page.PROFILE)
    qtbot.waitUntil(lambda: window.profile.f_siret.text() == "73282932000074", timeout=10000)
    ctx.runner.wait_idle(30)
