"""Bibliothèque: a past mémoire imported with the button, blocks merged and split (offscreen Qt)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.helpers import ready_window
from ui.context import AppContext

WORKS = (
    Path(__file__).resolve().parents[2]
    / "app"
    / "resources"
    / "example"
    / "library"
    / "memoire_travaux_groupe_scolaire_2025.docx"
)


def test_import_merge_and_split_from_the_library_page(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    window = ready_window(ctx)
    qtbot.addWidget(window)
    window.sidebar.setCurrentRow(3)
    lib = window.library
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(WORKS)], ""))
    lib.import_files()
    qtbot.waitUntil(lambda: lib.last_import == (18, 0), timeout=30000)
    qtbot.waitUntil(lambda: len(lib.blocks) >= 18, timeout=30000)
    lib.last_import = None
    lib.import_files()  # the same file again adds nothing
    qtbot.waitUntil(lambda: lib.last_import == (0, 18), timeout=30000)
    assert (
        "0 bloc(s) ajouté(s), 18 déjà dans la bibliothèque." in lib.status.text() or lib.status.text() == ""
    )
    assert len(lib.blocks) == 18

    waste = next(i for i, b in enumerate(lib.blocks) if b.title.startswith("Gestion et tri"))
    lib.list.setCurrentRow(waste)
    qtbot.waitUntil(lambda: "memoire_travaux_groupe_scolaire_2025.docx" in lib.source.text(), timeout=30000)
    assert "Commune de Coupvray" in lib.source.text()

    # Split at the second paragraph, then merge the two halves back.
    text = lib.body.toPlainText()
    cursor = lib.body.textCursor()
    cursor.setPosition(text.index("\n\n") + 2)
    lib.body.setTextCursor(cursor)
    lib.split_at_cursor()
    qtbot.waitUntil(lambda: len(lib.blocks) == 19, timeout=30000)
    halves = [i for i, b in enumerate(lib.blocks) if b.title.startswith("Gestion et tri")]
    assert len(halves) == 2
    lib.list.clearSelection()
    for i in halves:
        lib.list.item(i).setSelected(True)
    lib.merge_selected()
    qtbot.waitUntil(lambda: len(lib.blocks) == 18, timeout=30000)
