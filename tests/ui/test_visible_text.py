"""The walker of visible texts and its two checks, on a tiny window made for the test: a planted raw
code and a planted English button are caught, their French neighbours are not."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.ui.visible_text import english_words, raw_codes, screen_problems, visible_texts


def _window(qtbot: QtBot, *, planted: bool) -> QDialog:
    dlg = QDialog()
    dlg.setWindowTitle("Pièces du DCE")
    lay = QVBoxLayout(dlg)
    lay.addWidget(QLabel("Une autre pièce : le RC et le DC1 — Lettre de candidature."))
    box = QGroupBox("Assurances")
    inner = QVBoxLayout(box)
    inner.addWidget(QCheckBox("Responsabilité civile professionnelle"))
    lay.addWidget(box)
    combo = QComboBox()
    combo.addItems(["À analyser", "En cours", "a_analyser" if planted else "Déposée"])
    lay.addWidget(combo)
    edit = QLineEdit()
    edit.setPlaceholderText("Rechercher (titre, acheteur)")
    lay.addWidget(edit)
    tabs = QTabWidget()
    tabs.addTab(QWidget(), "Synthèse")
    tabs.addTab(QWidget(), "Mémoire")
    lay.addWidget(tabs)
    model = QStandardItemModel(0, 2)
    model.setHorizontalHeaderLabels(["Fichier", "Type"])
    model.appendRow([QStandardItem("cadre.docx"), QStandardItem("AUTRE" if planted else "Autre pièce")])
    model.appendRow([QStandardItem("kbis.pdf"), QStandardItem("Extrait K-bis")])
    table = QTableView()
    table.setModel(model)
    lay.addWidget(table)
    listed = QListWidget()
    listed.addItems(["Tableau de bord", "Consultations"])
    lay.addWidget(listed)
    lay.addWidget(QPushButton("&Cancel" if planted else "&Annuler"))
    hidden = QLabel("rc_pro")  # not on screen: never reported
    lay.addWidget(hidden)
    hidden.hide()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_walker_reads_every_kind_of_visible_text(qtbot: QtBot) -> None:
    dlg = _window(qtbot, planted=False)
    texts = [s.text for s in visible_texts(dlg)]
    for expected in (
        "Pièces du DCE",  # window title
        "Assurances",  # group box
        "Responsabilité civile professionnelle",  # check box
        "Déposée",  # combo item
        "Rechercher (titre, acheteur)",  # placeholder
        "Synthèse",  # tab
        "Type",  # table header
        "Extrait K-bis",  # cell
        "&Annuler",  # button
        "Consultations",  # list item
    ):
        assert expected in texts, expected
    assert "rc_pro" not in texts  # hidden
    assert raw_codes(visible_texts(dlg)) == []
    assert english_words(visible_texts(dlg)) == []


def test_planted_raw_code_and_english_button_are_caught(qtbot: QtBot) -> None:
    dlg = _window(qtbot, planted=True)
    seen = visible_texts(dlg)
    codes = raw_codes(seen)
    assert any("'a_analyser'" in c and "QComboBox" in c for c in codes), codes
    assert any("'AUTRE'" in c and "QTableView" in c for c in codes), codes
    english = english_words(seen)
    assert len(english) == 1 and "'Cancel'" in english[0] and "QPushButton" in english[0]
    problems = screen_problems("essai")
    assert len(problems) == 3 and all(p.startswith("[essai] ") for p in problems)


def test_checks_on_plain_texts() -> None:
    assert raw_codes(["Statut : en_cours", "Assurance rc_pro", "CADRE_REPONSE", "attestation_urssaf"])
    assert len(raw_codes(["Statut : en_cours", "Assurance rc_pro", "CADRE_REPONSE", "x"])) == 3
    # Abbreviations a user reads as such, French words inside a sentence, file names: not codes.
    assert raw_codes(["RC", "DC1", "DUME", "une autre pièce", "Perdue", "kbis.pdf", "Annexe 2"]) == []
    assert english_words(["Look in:", "Files of type:", "&Yes", "Restore Defaults"]) == [
        ": 'Look in:' → English 'Look in'",
        ": 'Files of type:' → English 'Files of type'",
        ": '&Yes' → English 'Yes'",
        ": 'Restore Defaults' → English 'Restore Defaults'",
    ]
    assert english_words(["Annuler", "Ouvrir", "Nouveau", "Copier", "Note", "Opening"]) == []
