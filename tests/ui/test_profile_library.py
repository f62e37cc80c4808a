"""Profil entreprise edits and the Bibliothèque (blocks searched, reviewed, inserted in a section)."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from tests.ui.helpers import ready_window
from ui.context import AppContext
from ui.main_window import Page


def test_profile_edit_is_saved_and_a_bad_siret_is_refused(qtbot: QtBot, ctx: AppContext) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    window.show_page(Page.PROFILE)
    page = window.profile
    qtbot.waitUntil(lambda: page.f_siret.text() != "", timeout=20000)

    page.f_siret.setText("123")
    page.save()
    assert "non enregistré" in page.status.text()

    page.f_siret.setText("812 475 630 00016")
    page.f_phone.setText("01 02 03 04 05")
    table = page.certifications.table
    page.certifications.add_row()
    row = table.rowCount() - 1
    for col, text in enumerate(("MASE", "UIMM", "M-42", "01/01/2025", "15/03/2030")):
        table.setItem(row, col, type(table.item(0, 0))(text))
    page.save()
    qtbot.waitUntil(lambda: page.status.text() == "Profil enregistré.", timeout=20000)
    saved = ctx.runner.call(ctx.backend.load_profile)
    assert saved.telephone == "01 02 03 04 05"
    mase = next(c for c in saved.certifications if c.name == "MASE")
    assert mase.valid_to == date(2030, 3, 15)


def test_library_block_found_and_inserted(qtbot: QtBot, ctx: AppContext) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    window.show_page(Page.LIBRARY)
    lib = window.library
    lib.new_block()
    lib.title.setText("Gestion des déchets de chantier")
    lib.tags.setText("environnement, déchets")
    lib.body.setPlainText("Tri sélectif en cinq flux sur la base vie.")
    lib.save()
    qtbot.waitUntil(
        lambda: any(b.title == "Gestion des déchets de chantier" for b in lib.blocks), timeout=20000
    )

    lib.search.setText("dechets")  # accent-insensitive search
    qtbot.waitUntil(lambda: len(lib.blocks) == 1 and "déchets" in lib.blocks[0].title, timeout=20000)
    lib.search.setText("inexistant")
    qtbot.waitUntil(lambda: lib.blocks == [], timeout=20000)
