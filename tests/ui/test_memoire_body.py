"""The editor keeps the drafting body format: what is shown is what the export gets back."""

from __future__ import annotations

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from app.drafting.body import to_blocks
from ui.pages.memoire import body_to_document, count_words, document_to_body

BODY = (
    "L'équipe affectée à l'opération est la suivante :\n\n"
    "[[TABLE:moyens_humains]]\n\n"
    "### Organisation\n\n"
    "- un conducteur de travaux ;\n"
    "- deux chefs de chantier.\n\n"
    "Interlocuteur : [à compléter : nom et fonction]"
)


def test_body_round_trip(qapp: QApplication) -> None:
    doc = QTextDocument()
    body_to_document(BODY, doc)
    assert "### " not in doc.toPlainText()  # shown as a heading, not as markup
    again = document_to_body(doc)
    assert to_blocks(again) == to_blocks(BODY)
    assert count_words("Deux mots, l'équipe") == 3
