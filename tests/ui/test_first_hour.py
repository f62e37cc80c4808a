"""The first hour in the app (issue 16), scripted on the real widgets offscreen: first run without a
keychain → passphrase → the example (DCE + company) → Synthèse → Go/No-Go → Exigences → Mémoire →
export → back to the list → a second DCE → the dashboard shows both.

At every step every visible window is walked: no internal code (`a_analyser`, `rc_pro`,
`CADRE_REPONSE`…) and no Qt English default ("Cancel", "Look in"…) may be on screen. The problems of
every step are gathered and asserted once, so the message lists them all with their screen.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import keyring
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QInputDialog, QPushButton
from pytestqt.qtbot import QtBot

from tests.conftest import CORPUS
from tests.support.keyrings import ForgetfulKeyring
from tests.ui.helpers import EXAMPLE_ZIP, ready_window
from tests.ui.visible_text import screen_problems, screen_texts, visible_windows
from ui.context import AppContext
from ui.first_run import FirstRunDialog
from ui.layout_check import clipped_texts, elided_cells, loose_rows
from ui.main import AppFlow
from ui.main_window import MainWindow, Page
from ui.pages.synthese import FIELDS

FIELD_ROWS = {name: row for row, (name, _label) in enumerate(FIELDS)}

PASSPHRASE = "une phrase de passe assez longue"


class Walk:
    """The problems seen on every screen of the hour, asserted together at the end."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.screens: list[str] = []

    def look(self, screen: str) -> None:
        QApplication.processEvents()
        self.screens.append(screen)
        texts = screen_texts()
        assert len(texts) > 5, f"{screen}: nothing on screen to check ({texts})"
        self.problems += screen_problems(screen)
        shots = os.environ.get("MAITRE_AO_WALK_SHOTS")  # a folder: a PNG of each step, to look at
        for i, window in enumerate(visible_windows()):
            if shots:
                name = f"{len(self.screens):02d}-{i}-{re.sub(r'[^a-z]+', '-', screen.lower())}.png"
                window.grab().save(str(Path(shots) / name))
        for window in visible_windows():  # and nothing cut (ui.layout_check, as the tour)
            cut = clipped_texts(window)
            if not isinstance(window, QFileDialog):
                # Qt's own file dialog (Linux only: Windows and macOS show their native one) sizes its
                # list columns itself and keeps the user's widths; its texts are still walked above.
                cut += elided_cells(window)
            self.problems += [f"[{screen}] texte coupé : {c}" for c in cut]
            self.problems += [f"[{screen}] zone vide : {r}" for r in loose_rows(window)]

    def assert_clean(self) -> None:
        left = self.problems
        assert not left, "\n".join(["Raw codes, English words or cut text on screen:", *left])


def second_dce(tmp_path: Path) -> list[Path]:
    """vsgp from ../shared/corpus when present, else the example made different (no CCTP, renamed)."""
    vsgp = CORPUS / "vsgp"
    if vsgp.is_dir():
        return sorted(p for p in vsgp.iterdir() if p.is_file())
    other = tmp_path / "autre-dce.zip"
    with zipfile.ZipFile(EXAMPLE_ZIP) as src, zipfile.ZipFile(other, "w") as dst:
        for info in src.infolist():
            if "CCTP" not in info.filename:
                dst.writestr(info, src.read(info))
    return [other]


def import_dce(qtbot: QtBot, window: MainWindow, paths: list[Path]) -> None:
    """Import through the window (as a drop does) and wait until the consultation is shown."""
    view = window.consultation_view
    with qtbot.waitSignals([window.import_finished, view.loaded], timeout=180000):
        window.import_paths(paths)


def import_same_dce_again(qtbot: QtBot, window: MainWindow, paths: list[Path], walk: Walk) -> None:
    """Step "second DCE imported twice" (issue 16): the app says it is already there, names it, and
    "Ouvrir la consultation existante" opens it; no consultation is added."""
    from ui.pages.duplicate_import import DuplicateImportDialog

    ctx, view = window.ctx, window.consultation_view
    before = [r.uuid for r in ctx.runner.call(ctx.backend.consultations)]
    existing = view.uuid
    window.show_page(Page.CONSULTATIONS)
    window.import_paths(paths)
    qtbot.waitUntil(
        lambda: window.duplicate_dialog is not None and window.duplicate_dialog.isVisible(), timeout=120000
    )
    dialog = window.duplicate_dialog
    assert dialog is not None and "déjà dans Maître AO" in dialog.message.text()
    walk.look("Second DCE importé une deuxième fois › déjà là")
    with qtbot.waitSignal(view.loaded, timeout=60000) as opened:
        qtbot.mouseClick(dialog.buttons[DuplicateImportDialog.OPEN], Qt.MouseButton.LeftButton)
    assert opened.args == [existing] and window.stack.currentWidget() is view
    ctx.runner.wait_idle(30)
    walk.look("Second DCE importé une deuxième fois › consultation existante ouverte")
    assert [r.uuid for r in ctx.runner.call(ctx.backend.consultations)] == before


def test_first_hour_shows_no_raw_code_and_no_english_word(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    walk = Walk()
    keyring.set_keyring(ForgetfulKeyring())  # no keychain: a passphrase protects the store
    flow = AppFlow(ctx)
    flow.start()
    window = flow.window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: flow.first_run is not None, timeout=20000)
    dlg = flow.first_run
    assert isinstance(dlg, FirstRunDialog) and dlg.passphrase_mode
    qtbot.addWidget(dlg)
    walk.look("Premier lancement › Bienvenue")

    qtbot.mouseClick(dlg.start_button, Qt.MouseButton.LeftButton)
    walk.look("Premier lancement › Coffre (phrase de passe)")
    dlg.pass1.setText(PASSPHRASE)
    dlg.pass2.setText(PASSPHRASE)
    with qtbot.waitSignal(dlg.store_created, timeout=30000):
        qtbot.mouseClick(dlg.create_button, Qt.MouseButton.LeftButton)
    assert dlg.pages.currentIndex() == 3  # with a passphrase there is no recovery key to keep
    walk.look("Premier lancement › Entreprise")
    qtbot.mouseClick(dlg.later_button, Qt.MouseButton.LeftButton)
    walk.look("Premier lancement › Exemple")

    view = window.consultation_view
    with qtbot.waitSignals([flow.ready, view.loaded], timeout=180000):
        qtbot.mouseClick(dlg.example_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.last_import is not None, timeout=60000)
    ctx.runner.wait_idle(60)
    profile = ctx.runner.call(ctx.backend.load_profile)
    assert profile is not None  # the example company came with the example DCE
    first_title = view.title.text()
    assert first_title

    view.tabs.setCurrentWidget(view.pieces)
    walk.look("Consultation d'exemple › Pièces")
    # The kind of a piece is changed with a list: its choices are French too.
    pieces = view.pieces.table
    pieces.editItem(pieces.item(0, 1))
    qtbot.waitUntil(lambda: pieces.findChild(QComboBox) is not None, timeout=5000)
    editor = pieces.findChild(QComboBox)
    assert editor is not None and editor.count() >= 16
    walk.look("Consultation d'exemple › Pièces (type en cours de modification)")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    view.tabs.setCurrentWidget(view.synthese)
    syn = view.synthese
    assert syn.table.rowCount() > 0
    walk.look("Consultation d'exemple › Synthèse")
    # A source clicked: the page opens in its window, the quote highlighted.
    with qtbot.waitSignal(view.viewer.text.textChanged, timeout=20000):
        assert syn.open_source("deadline")
    qtbot.waitUntil(lambda: view.viewer.isVisible() and view.viewer.highlighted is not None, timeout=10000)
    walk.look("Consultation d'exemple › Synthèse › Source de la date limite")
    view.viewer.close()
    # A value double-clicked to correct it: the question asked in French.
    asked: list[QInputDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        asked.append(dialog)
        walk.look("Consultation d'exemple › Synthèse › Corriger la validité des offres")
        dialog.reject()

    QTimer.singleShot(200, answer)
    syn._double_clicked(FIELD_ROWS["offer_validity_days"], 1)
    assert asked, "no correction asked"

    view.tabs.setCurrentWidget(view.gonogo)
    qtbot.waitUntil(lambda: bool(view.gonogo.overall.text()), timeout=30000)
    assert view.gonogo.table.rowCount() > 0
    walk.look("Consultation d'exemple › Go/No-Go")

    view.tabs.setCurrentWidget(view.exigences)
    qtbot.waitUntil(lambda: view.exigences.table.rowCount() > 0, timeout=30000)
    ctx.runner.wait_idle(30)
    walk.look("Consultation d'exemple › Exigences")

    mem = view.memoire
    view.tabs.setCurrentWidget(mem)
    qtbot.waitUntil(lambda: mem.tree.topLevelItemCount() > 0, timeout=60000)
    mem.select_section(0)
    ctx.runner.wait_idle(30)
    walk.look("Consultation d'exemple › Mémoire")

    view.tabs.setCurrentWidget(view.prix)
    ctx.runner.wait_idle(30)
    walk.look("Consultation d'exemple › Prix")

    view.tabs.setCurrentWidget(view.documents)
    walk.look("Consultation d'exemple › Documents (avant l'export)")
    with qtbot.waitSignal(view.exported, timeout=120000) as exported:
        qtbot.mouseClick(view.documents.export_button, Qt.MouseButton.LeftButton)
    files: list[Path] = exported.args[0]
    names = {p.name for p in files}
    assert {"memoire.docx", "dc1.docx", "dc2.docx", "matrice.xlsx"} <= names
    assert all(p.exists() and p.stat().st_size > 0 for p in files)
    assert all(tmp_path in p.parents for p in files)  # in this test's private data folder
    ctx.runner.wait_idle(30)
    walk.look("Consultation d'exemple › Documents (exportés)")

    # Back to the list: the example consultation is there.
    back = next(b for b in view.findChildren(type(view.analyze_button)) if b.text() == "← Consultations")
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.consultations, timeout=10000)
    ctx.runner.wait_idle(30)
    walk.look("Consultations (une)")

    # A second DCE.
    second = second_dce(tmp_path)
    import_dce(qtbot, window, second)
    ctx.runner.wait_idle(60)
    second_title = view.title.text()
    assert second_title and second_title != first_title
    view.tabs.setCurrentWidget(view.pieces)
    walk.look("Second DCE › Pièces")
    view.tabs.setCurrentWidget(view.synthese)
    walk.look("Second DCE › Synthèse")
    view.tabs.setCurrentWidget(view.gonogo)
    qtbot.waitUntil(lambda: bool(view.gonogo.overall.text()), timeout=30000)
    walk.look("Second DCE › Go/No-Go")

    import_same_dce_again(qtbot, window, second, walk)

    window.show_page(Page.CONSULTATIONS)
    qtbot.waitUntil(lambda: window.consultations.table.rowCount() == 2, timeout=20000)
    ctx.runner.wait_idle(30)
    walk.look("Consultations (deux)")

    # The dashboard counts both.
    window.show_page(Page.DASHBOARD)
    dashboard = window.dashboard
    qtbot.waitUntil(lambda: sum(int(label.text()) for label in dashboard.counts.values()) == 2, timeout=20000)
    ctx.runner.wait_idle(30)
    walk.look("Tableau de bord")

    walk.assert_clean()
    ctx.runner.wait_idle(30)


def test_import_file_dialog_speaks_french(qtbot: QtBot, ctx: AppContext) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    window.show_page(Page.CONSULTATIONS)
    button = next(b for b in window.consultations.findChildren(QPushButton) if b.text() == "Importer un DCE…")
    walk = Walk()
    seen: list[QFileDialog] = []

    def look_and_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog):
            seen.append(dialog)
            walk.look("Consultations › Importer un DCE (choix des fichiers)")
            dialog.reject()

    QTimer.singleShot(300, look_and_cancel)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert seen, "no file dialog shown"
    walk.assert_clean()
    ctx.runner.wait_idle(30)
