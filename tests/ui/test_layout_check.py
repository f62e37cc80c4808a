"""The clipping checks of the tour (ui.layout_check) on tiny windows made for the test: a label
squeezed narrower than its text, a wrapped label lower than its lines, a squeezed button, a cut table
cell, a cut column title and a row far higher than its text are reported; the same widgets with room
(or a tooltip, or rows fitted to their text) are not."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)
from pytestqt.qtbot import QtBot

from ui.layout_check import clipped_texts, elided_cells, loose_rows

LONG = "Attestation de régularité fiscale et sociale à renouveler avant la date limite"


def _dialog(qtbot: QtBot, *, squeezed: bool) -> QDialog:
    dlg = QDialog()
    lay = QVBoxLayout(dlg)
    one_line = QLabel(LONG)
    one_line.setObjectName("uneLigne")
    wrapped = QLabel(" ".join([LONG] * 4))
    wrapped.setObjectName("plusieursLignes")
    wrapped.setWordWrap(True)
    button = QPushButton("Enregistrer la clé en PDF…")
    check = QCheckBox("Synchroniser le mémoire de cette consultation")
    for w in (one_line, wrapped, button, check):
        lay.addWidget(w)
    table = QTableWidget(1, 1)
    table.setCellWidget(0, 0, QLabel(LONG))  # sized by its cell: not a layout's clipping
    lay.addWidget(table)
    if squeezed:
        one_line.setFixedWidth(120)
        wrapped.setFixedSize(200, 30)
        button.setFixedWidth(60)
    qtbot.addWidget(dlg)
    dlg.resize(900, 500)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_room_enough_is_not_clipped(qtbot: QtBot) -> None:
    assert clipped_texts(_dialog(qtbot, squeezed=False)) == []


def test_squeezed_label_wrapped_label_and_button_are_reported(qtbot: QtBot) -> None:
    found = clipped_texts(_dialog(qtbot, squeezed=True))
    assert len(found) == 3, found
    one, wrapped, button = found
    assert one.startswith("QLabel#uneLigne 'Attestation") and "trop étroit" in one
    assert wrapped.startswith("QLabel#plusieursLignes") and "trop bas" in wrapped
    assert button.startswith("QPushButton 'Enregistrer la clé") and "trop étroit" in button


def _table(qtbot: QtBot, *, narrow: bool, tooltip: bool = False) -> QDialog:
    dlg = QDialog()
    lay = QVBoxLayout(dlg)
    table = QTableWidget(2, 2)
    table.setAccessibleName("Pièces")
    table.setHorizontalHeaderLabels(["Remise des offres", "Type"])
    table.setWordWrap(False)
    cut = QTableWidgetItem(LONG)
    if tooltip:
        cut.setToolTip(LONG)
    table.setItem(0, 0, cut)
    table.setItem(1, 1, QTableWidgetItem("RC"))
    table.setColumnWidth(0, 60 if narrow else 900)
    lay.addWidget(table)
    qtbot.addWidget(dlg)
    dlg.resize(1100, 300)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_cut_cell_and_cut_column_title_are_reported(qtbot: QtBot) -> None:
    assert elided_cells(_table(qtbot, narrow=False)) == []
    found = elided_cells(_table(qtbot, narrow=True))
    assert len(found) == 2, found
    assert found[0].startswith("Pièces en-tête 1 'Remise des offres'") and "trop étroit" in found[0]
    assert found[1].startswith("Pièces ligne 1 colonne 1 'Attestation") and "trop étroite" in found[1]
    # The whole text in the tooltip: the user can read it.
    assert elided_cells(_table(qtbot, narrow=True, tooltip=True)) == [found[0]]


def test_row_far_higher_than_its_text_is_reported(qtbot: QtBot) -> None:
    dlg = _table(qtbot, narrow=False)
    table = dlg.findChild(QTableWidget)
    assert table is not None
    table.resizeRowsToContents()
    assert loose_rows(dlg) == []
    table.setRowHeight(1, 160)  # "RC" alone in a row sized for eight lines
    found = loose_rows(dlg)
    assert (
        len(found) == 1
        and found[0].startswith("Pièces ligne 2 : ")
        and "px vides (160 px de haut)" in found[0]
    )
