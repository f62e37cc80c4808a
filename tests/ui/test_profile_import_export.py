"""Dead end (issue 16): with no company profile, the Profil page itself imports a profile JSON and
exports it again (same format as `maitre-ao profile import`), through Qt's file dialogs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests.ui.helpers import EXAMPLE_PROFILE
from ui.context import AppContext
from ui.main_window import MainWindow, Page
from ui.pages.profile import ProfilePage


def test_profile_imported_and_exported_from_the_profile_page(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ctx.runner.call(ctx.backend.create_store)  # a store, no profile yet
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_page(Page.PROFILE)
    page = window.page(Page.PROFILE)
    assert isinstance(page, ProfilePage)
    expected = json.loads(EXAMPLE_PROFILE.read_text(encoding="utf-8"))["raison_sociale"]

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(EXAMPLE_PROFILE), ""))
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.f_name.text() == expected, timeout=20000)
    assert "Profil importé" in page.status.text()
    assert ctx.runner.call(ctx.backend.load_profile).raison_sociale == expected

    out = tmp_path / "profil.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), ""))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(out.exists, timeout=20000)
    assert json.loads(out.read_text(encoding="utf-8"))["raison_sociale"] == expected
