"""Navigation (issue 16): after opening a consultation, "← Consultations" and the sidebar's own
"Consultations" item both lead back to the list (the item was already selected: no change signal)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from tests.ui.helpers import EXAMPLE_ZIP, drop_files, ready_window
from ui.context import AppContext
from ui.main_window import SIDEBAR, Page


def test_back_button_and_sidebar_item_leave_the_consultation(qtbot: QtBot, ctx: AppContext) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    view = window.consultation_view
    with qtbot.waitSignal(view.loaded, timeout=60000):
        drop_files(window, [EXAMPLE_ZIP])
    assert window.stack.currentWidget() is view
    back = next(b for b in view.findChildren(QPushButton) if b.text() == "← Consultations")
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.consultations

    uuid = view.uuid
    assert uuid
    window.open_consultation(uuid)
    assert window.stack.currentWidget() is view
    item = window.sidebar.item(SIDEBAR.index(Page.CONSULTATIONS))
    rect = window.sidebar.visualItemRect(item)
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.stack.currentWidget() is window.consultations
