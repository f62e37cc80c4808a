"""Explorer l'exemple (issue 16): with no company entered, the example company comes with the
example DCE, and the banner says so — Go/No-Go, Exigences and Mémoire then have a profile."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.paths import example_dir
from ui.context import AppContext
from ui.first_run import FirstRunDialog
from ui.main import AppFlow


def test_explore_the_example_loads_the_example_company_and_says_so(qtbot: QtBot, ctx: AppContext) -> None:
    flow = AppFlow(ctx)
    flow.start()
    assert flow.window is not None
    qtbot.addWidget(flow.window)
    qtbot.waitUntil(lambda: flow.first_run is not None, timeout=20000)
    dlg = flow.first_run
    assert isinstance(dlg, FirstRunDialog)
    qtbot.addWidget(dlg)
    qtbot.mouseClick(dlg.start_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dlg.store_created, timeout=20000):
        qtbot.mouseClick(dlg.create_button, Qt.MouseButton.LeftButton)
    if dlg.pages.currentIndex() == 2:  # a recovery key to keep (no passphrase)
        dlg.kept.setChecked(True)
        qtbot.mouseClick(dlg.key_next, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dlg.later_button, Qt.MouseButton.LeftButton)  # no company entered
    window = flow.window
    view = window.consultation_view
    with qtbot.waitSignal(view.loaded, timeout=90000):
        qtbot.mouseClick(dlg.example_button, Qt.MouseButton.LeftButton)
    expected = json.loads((example_dir() / "profile.json").read_text(encoding="utf-8"))["raison_sociale"]
    profile = ctx.runner.call(ctx.backend.load_profile)
    assert profile is not None and profile.raison_sociale == expected
    assert "entreprise d'exemple" in window.banner.label.text()
