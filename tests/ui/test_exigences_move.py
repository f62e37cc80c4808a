"""Exigences: a requirement moved to another section stays there (offscreen Qt, example DCE)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from tests.ui.helpers import EXAMPLE_ZIP, drop_files, ready_window
from ui.context import AppContext

WORKS = (
    Path(__file__).resolve().parents[2]
    / "app/resources/example/library/memoire_travaux_groupe_scolaire_2025.docx"
)


def test_move_a_requirement_to_another_section(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    view = window.consultation_view
    with qtbot.waitSignal(view.loaded, timeout=60000):
        drop_files(window, [EXAMPLE_ZIP])
    qtbot.waitUntil(lambda: view.memoire.tree.topLevelItemCount() > 0, timeout=30000)
    # The editor shows the statement title with the buyer's question under it.
    mem = view.memoire
    mem.select_section(1)
    qtbot.waitUntil(lambda: mem.current is not None and mem.current.key == "1.1", timeout=10000)
    assert mem.section_title.text().startswith("1.1 Organisation du chantier en site occupé")
    assert mem.question.text().startswith("Question de l'acheteur : 1.1 Décrivez l'organisation")
    # Insert from the library: the blocks that fit the section come first, with score and origin.
    from app.services import library

    ctx.runner.call(lambda: library.import_file(ctx.backend.require_store(), WORKS))
    offered: list[list[str]] = []

    def pick(_parent: object, _title: str, _label: str, items: list[str], *_a: object) -> tuple[str, bool]:
        offered.append(items)
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    mem.insert_from_library()
    qtbot.waitUntil(lambda: bool(offered), timeout=20000)
    assert offered[0][0].startswith("★ ") and "Organisation du chantier en site occupé" in offered[0][0]
    assert "Le chantier est organisé pour que les usagers" in mem.editor.toPlainText()
    tab = view.exigences
    view.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: any("500 lux" in r.text for r in tab.rows), timeout=30000)
    qtbot.waitUntil(lambda: tab.target.count() == 10, timeout=10000)
    row = next(i for i, r in enumerate(tab.shown) if "500 lux" in r.text)
    before = tab.shown[row].section
    assert "quipe" not in before  # a lighting level is not a staffing question
    tab.table.setCurrentCell(row, 0)
    tab.target.setCurrentIndex(tab.target.findData("2.2"))
    tab._move()
    qtbot.waitUntil(
        lambda: any("500 lux" in r.text and r.section.startswith("2.2") for r in tab.rows), timeout=30000
    )
