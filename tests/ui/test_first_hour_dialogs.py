"""First hour in the app (issue 16, part A): the first-run dialog, Qt's own dialogs in French, the
passphrase and API-key messages, the unlock dialog and the layouts a newcomer sees first."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QLabel,
    QMessageBox,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.domain.profile import CompanyProfile
from tests.support.keyrings import ForgetfulKeyring
from tests.ui.helpers import EXAMPLE_PROFILE, EXAMPLE_ZIP, drop_files
from tests.ui.visible_text import english_words, visible_texts
from ui.context import AppContext
from ui.first_run import FirstRunDialog, UnlockDialog
from ui.main import AppFlow
from ui.main_window import MainWindow, Page

PASSPHRASE = "une phrase secrète assez longue"


def _widget_texts(root: QWidget) -> list[str]:
    """Every text a user reads in `root` (tests/ui/visible_text.py's walker, tooltips included)."""
    return [seen.text for seen in visible_texts(root, tooltips=True)]


def _first_run(qtbot: QtBot, ctx: AppContext) -> tuple[AppFlow, FirstRunDialog]:
    flow = AppFlow(ctx)
    flow.start()
    assert flow.window is not None
    qtbot.addWidget(flow.window)
    qtbot.waitUntil(lambda: flow.first_run is not None, timeout=20000)
    dlg = flow.first_run
    assert isinstance(dlg, FirstRunDialog)
    qtbot.addWidget(dlg)
    return flow, dlg


def _to_profile_step(qtbot: QtBot, dlg: FirstRunDialog) -> None:
    qtbot.mouseClick(dlg.start_button, Qt.MouseButton.LeftButton)
    if dlg.passphrase_mode:
        dlg.pass1.setText(PASSPHRASE)
        dlg.pass2.setText(PASSPHRASE)
    with qtbot.waitSignal(dlg.store_created, timeout=20000):
        qtbot.mouseClick(dlg.create_button, Qt.MouseButton.LeftButton)
    if dlg.pages.currentIndex() == 2:  # a recovery key to keep
        dlg.kept.setChecked(True)
        qtbot.mouseClick(dlg.key_next, Qt.MouseButton.LeftButton)
    assert dlg.pages.currentIndex() == 3


# --- Dead end: the first-run dialog imports a profile JSON -------------------------------------------
def test_dead_end_first_run_imports_a_company_profile_json(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    flow, dlg = _first_run(qtbot, ctx)
    _to_profile_step(qtbot, dlg)
    assert dlg.profile_import.text().replace("&", "") == "Importer un profil…"

    # A bad file: a French message, the dialog stays on the step, nothing saved.
    bad = tmp_path / "profil.json"
    bad.write_text('{"raison_sociale": "Sans SIRET"', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(bad), ""))
    qtbot.mouseClick(dlg.profile_import, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dlg.profile_error.text()), timeout=20000)
    assert "JSON" in dlg.profile_error.text() or "fichier" in dlg.profile_error.text()
    assert "Traceback" not in dlg.profile_error.text() and "Error" not in dlg.profile_error.text()
    assert dlg.pages.currentIndex() == 3
    assert ctx.runner.call(ctx.backend.load_profile) is None

    # The example company's JSON: imported, said, and what the app then shows.
    expected = json.loads(EXAMPLE_PROFILE.read_text(encoding="utf-8"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(EXAMPLE_PROFILE), ""))
    qtbot.mouseClick(dlg.profile_import, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.pages.currentIndex() == 4, timeout=20000)
    assert expected["raison_sociale"] in dlg.example_note.text()
    assert dlg.example_button.text() == "Explorer l'exemple"  # kept as is

    with qtbot.waitSignal(flow.ready, timeout=20000) as shown:
        qtbot.mouseClick(dlg.skip_button, Qt.MouseButton.LeftButton)
    window = shown.args[0]
    assert isinstance(window, MainWindow)
    window.show_page(Page.PROFILE)
    qtbot.waitUntil(lambda: window.profile.f_name.text() == expected["raison_sociale"], timeout=20000)
    assert window.profile.f_siret.text() == expected["siret"].replace(" ", "")
    ctx.runner.wait_idle(30)


# --- English: Qt's own dialogs ---------------------------------------------------------------------
def test_english_qt_dialogs_file_dialog_and_message_box_speak_french(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "pieces").mkdir()
    (tmp_path / "rc.pdf").write_bytes(b"%PDF-1.4\n")
    monkeypatch.chdir(tmp_path)  # the import dialog opens in the current folder
    ctx.runner.call(ctx.backend.create_store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    seen: dict[str, list[str]] = {}
    tries = [0]

    def read_dialog() -> None:
        """Once the dialog lists the folder (its model fills in a thread), read it and close it."""
        tries[0] += 1
        dialog = QApplication.activeModalWidget()
        listed = isinstance(dialog, QFileDialog) and any(
            v.model().rowCount(v.rootIndex()) >= 2 and v.model().index(0, 2, v.rootIndex()).data()
            for v in dialog.findChildren(QTreeView)
        )
        if isinstance(dialog, QFileDialog) and (listed or tries[0] > 200):
            seen["file"] = _widget_texts(dialog)
            dialog.reject()
        else:
            QTimer.singleShot(25, read_dialog)

    QTimer.singleShot(0, read_dialog)
    window.choose_import()  # the app's own "Importer un DCE" dialog, as a user opens it
    texts = seen["file"]
    assert not english_words(texts), english_words(texts)
    for french in ("Voir dans", "Fichiers de type", "Nom de fichier", "Dossier", "Annuler", "Ouvrir"):
        assert any(french in t.replace("&", "") for t in texts), french

    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Maître AO",
        "Importer ?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
        window,
    )
    buttons = [b.text().replace("&", "") for b in box.buttons()]
    assert sorted(buttons) == ["Annuler", "Non", "Oui"]


# --- Messages: API key, passphrase, unlock dialog --------------------------------------------------
def test_messages_api_key_in_passphrase_mode_says_the_truth(qtbot: QtBot, ctx: AppContext) -> None:
    keyring.set_keyring(ForgetfulKeyring())  # no keychain: the store is protected by a passphrase
    ctx.runner.call(lambda: ctx.backend.create_store(PASSPHRASE))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_page(Page.SETTINGS)
    tab = window.settings_page.claude
    tab.api_key.setText("sk-ant-api03-cle-de-test-0123456789")
    tab._save_key()
    qtbot.waitUntil(lambda: "enregistrée" in tab.claude_status.text(), timeout=20000)
    message = tab.claude_status.text()
    assert "n'a pas été enregistrée" in message  # what really happened to the key
    assert "Vos données ne sont pas touchées" in message
    assert "serait perdue" not in message and "coffre serait" not in message
    assert "maitre-ao" not in message and "--" not in message  # no command line in the app
    assert ctx.runner.call(ctx.backend.consultations) == []  # the store is still open and usable
    ctx.runner.wait_idle(30)


def test_messages_one_wording_for_the_passphrase(qtbot: QtBot, ctx: AppContext) -> None:
    keyring.set_keyring(ForgetfulKeyring())
    _flow, dlg = _first_run(qtbot, ctx)
    assert dlg.passphrase_mode
    dlg.pages.setCurrentIndex(1)
    dlg.pass1.setText(PASSPHRASE)
    dlg.pass2.setText("une autre")
    dlg._do_create()
    texts = " ".join(_widget_texts(dlg))
    assert "phrase secrète" in texts and "phrases secrètes diffèrent" in texts
    assert "phrase de passe" not in texts.lower()
    dlg.reject()


def _unlock_after_wrong_passphrase(qtbot: QtBot, ctx: AppContext) -> UnlockDialog:
    keyring.set_keyring(ForgetfulKeyring())
    ctx.runner.call(lambda: ctx.backend.create_store(PASSPHRASE))
    ctx.runner.call(ctx.backend.close)
    flow = AppFlow(ctx)
    flow.start()
    assert flow.window is not None
    qtbot.addWidget(flow.window)
    qtbot.waitUntil(lambda: flow.unlock is not None, timeout=20000)
    dlg = flow.unlock
    assert isinstance(dlg, UnlockDialog) and dlg.passphrase_mode
    qtbot.addWidget(dlg)
    assert "phrase secrète" in dlg.info.text() and dlg.key.placeholderText() == "Phrase secrète"
    dlg.key.setText("pas la bonne phrase")
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dlg.error.text()) and dlg.ok.isEnabled(), timeout=20000)
    qtbot.wait(50)  # the layout settles
    return dlg


def test_messages_unlock_dialog_after_a_wrong_passphrase_shows_every_label_whole(
    qtbot: QtBot, ctx: AppContext
) -> None:
    dlg = _unlock_after_wrong_passphrase(qtbot, ctx)
    assert "phrase" in dlg.error.text()  # the French reason is there…
    labels = [label for label in dlg.findChildren(QLabel) if label.isVisible() and label.text()]
    assert dlg.error in labels
    for label in labels:  # …and every label shows all its text, accents included
        if label.wordWrap():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
        else:
            assert label.width() >= label.sizeHint().width(), label.text()
            assert label.height() >= label.sizeHint().height(), label.text()
        assert dlg.rect().contains(QRect(label.mapTo(dlg, label.rect().topLeft()), label.size())), (
            label.text()
        )


# --- Layout -----------------------------------------------------------------------------------------
def test_layout_welcome_dialog_without_keychain_is_compact(qtbot: QtBot, ctx: AppContext) -> None:
    keyring.set_keyring(ForgetfulKeyring())
    _flow, dlg = _first_run(qtbot, ctx)
    assert dlg.passphrase_mode
    for index in (0, 1, 4):  # welcome, passphrase, ready
        dlg.pages.setCurrentIndex(index)
        qtbot.wait(20)
        page = dlg.pages.currentWidget()
        layout = page.layout()
        assert layout is not None
        content = layout.totalHeightForWidth(page.width())
        content = content if content > 0 else layout.sizeHint().height()
        margins = dlg.layout().contentsMargins()  # type: ignore[union-attr]
        # No empty box: the dialog is as tall as what the page shows, plus its margins.
        assert dlg.height() <= content + margins.top() + margins.bottom() + 24, (index, dlg.height(), content)
        # and the page's last widget (its button row) ends near the dialog's bottom edge.
        bottom = max(w.mapTo(dlg, w.rect().bottomLeft()).y() for w in page.findChildren(QAbstractButton))
        assert dlg.height() - bottom <= 40, (index, dlg.height(), bottom)
    dlg.reject()


def test_layout_go_no_go_rows_top_aligned_with_a_small_profile(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.runner.call(ctx.backend.create_store)
    small = CompanyProfile(raison_sociale="Petite Entreprise SARL", siret="73282932000074")
    ctx.runner.call(lambda: ctx.backend.save_profile(small))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    view = window.consultation_view
    with qtbot.waitSignal(view.loaded, timeout=90000):
        drop_files(window, [EXAMPLE_ZIP])
    table = view.gonogo.table
    qtbot.waitUntil(lambda: table.rowCount() > 3, timeout=30000)  # set while the tab is hidden
    ctx.runner.wait_idle(30)
    view.tabs.setCurrentWidget(view.gonogo)
    qtbot.wait(50)
    assert table.rowViewportPosition(0) == 0  # the rows start at the top
    widths = [table.columnWidth(c) for c in range(table.columnCount())]
    metrics = QFontMetrics(table.font())
    for r in range(table.rowCount()):
        needed = max(
            metrics.boundingRect(
                QRect(0, 0, widths[c] - 8, 10000), int(Qt.TextFlag.TextWordWrap), table.item(r, c).text()
            ).height()
            for c in range(table.columnCount())
        )
        # No empty band around a row: the gap to the next row's text is at most 24 px.
        assert table.rowHeight(r) - needed <= 24, (table.item(r, 0).text(), table.rowHeight(r), needed)
        if r:
            assert table.rowViewportPosition(r) == table.rowViewportPosition(r - 1) + table.rowHeight(r - 1)
    ctx.runner.wait_idle(30)


def test_the_committed_qt_french_gaps_catalogue_is_built_from_its_source(tmp_path: Path) -> None:
    """ui/resources/qt_french_gaps.qm is what `python -m ui.french_gaps` builds from QT_FRENCH_GAPS:
    a string added to the table without rebuilding the catalogue would never reach the screen."""
    from ui.french_gaps import GAPS_QM, compile_to

    assert compile_to(tmp_path / "gaps.qm").read_bytes() == GAPS_QM.read_bytes()
