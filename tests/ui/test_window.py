"""Window behaviour: state remembered, French standard buttons and dates, shortcuts, accessible names."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.settings import THEME, WINDOW_STATE
from tests.ui.helpers import ready_window
from ui.context import AppContext
from ui.main_window import SIDEBAR, MainWindow
from ui.style import FRENCH, fr_date


def test_window_state_is_remembered(qtbot: QtBot, ctx: AppContext) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    window.resize(760, 560)  # within the offscreen screen (800 × 600)
    window.close()  # saves the state
    assert ctx.settings.get(WINDOW_STATE)
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (760, 560)


def test_french_buttons_dates_and_shortcuts(qtbot: QtBot, ctx: AppContext) -> None:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Save)
    qtbot.addWidget(box)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel is not None and cancel.text().replace("&", "") == "Annuler"  # Qt's own French catalogue
    assert fr_date("2026-07-15T12:00:00+02:00") == "mercredi 15 juillet 2026 à 12:00"
    assert FRENCH.toString(QDate(2026, 7, 15), "d MMMM") == "15 juillet"

    window = ready_window(ctx)
    qtbot.addWidget(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # shortcuts act on the active window
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.profile
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.settings_page

    # Switching to the dark theme is saved and applied.
    window.settings_page.set_theme("dark")
    assert ctx.settings.get(THEME) == "dark"
    assert window.palette().window().color().lightness() < 80
    window.settings_page.set_theme("light")
    ctx.runner.wait_idle(20)


def test_every_input_and_button_can_be_named_by_a_screen_reader(qtbot: QtBot, ctx: AppContext) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    for page in SIDEBAR:
        window.show_page(page)
    ctx.runner.wait_idle(20)
    window.open_consultation("")  # builds the consultation view (empty)
    ctx.runner.wait_idle(20)
    controls = window.findChildren(QLineEdit) + window.findChildren(QPushButton)
    assert len(controls) > 40  # every page was built
    unnamed = [
        w
        for w in controls
        if not (w.accessibleName() or (isinstance(w, QPushButton) and w.text()))
        and not w.objectName().startswith("qt_")
        and type(w.parent()).__name__ not in ("QSpinBox", "QComboBox", "QAbstractSpinBox")
    ]
    assert not unnamed, [
        type(w).__name__ + ":" + (w.placeholderText() if isinstance(w, QLineEdit) else "") for w in unnamed
    ]


def test_claude_key_saved_from_settings_turns_own_key_mode_on(qtbot: QtBot, ctx: AppContext) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    window.sidebar.setCurrentRow(4)
    page = window.settings_page
    page.claude.api_key.setText("sk-ant-api03-une-cle-de-test-0123456789")
    page.claude._save_key()
    qtbot.waitUntil(lambda: "trousseau" in page.claude.claude_status.text(), timeout=20000)
    assert page.claude.api_key.text() == ""  # never left on screen
    mode_of_checked = {b.property("mode") for b in page.claude.mode_group.buttons() if b.isChecked()}
    qtbot.waitUntil(
        lambda: (
            {b.property("mode") for b in page.claude.mode_group.buttons() if b.isChecked()} == {"own_key"}
        ),
        timeout=10000,
    )
    assert mode_of_checked <= {"own_key", "off"}
    qtbot.waitUntil(lambda: window.claude_label.text() == "Claude : prêt", timeout=10000)
    ctx.runner.wait_idle(20)
