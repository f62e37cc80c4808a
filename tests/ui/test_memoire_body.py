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


def test_tables_and_reused_text_are_shown_not_their_markup(qapp: QApplication) -> None:
    from app.drafting.body import reuse_start
    from app.services.profile import read_profile_file
    from tests.drafting.builders import EXAMPLE_PROFILE

    body = (
        "Les moyens mobilisés :\n\n[[TABLE:moyens_materiels]]\n\n"
        + reuse_start("ancien.docx (01/2025), « Moyens »")
        + "\n\nTexte repris d'un ancien mémoire.\n\n| Matériel | Usage |\n| Grue | Levage |\n\n"
        + f"[[IMAGE:{'ab' * 32}]]\n\n[[/REPRIS]]"
    )
    profile = read_profile_file(EXAMPLE_PROFILE)
    doc = QTextDocument()
    body_to_document(body, doc, profile)
    shown = doc.toPlainText()
    assert "[[" not in shown and "| Grue" not in shown
    assert profile.moyens_materiels[0].designation in shown  # the table as the export builds it
    assert "Texte repris de ancien.docx (01/2025), « Moyens » — à relire" in shown
    assert "Illustration du mémoire d'origine" in shown
    assert to_blocks(document_to_body(doc)) == to_blocks(body)  # saved back in the drafting format
    doc = QTextDocument()
    body_to_document(body, doc)  # profile not loaded yet: the table's title, never the token
    assert "[[" not in doc.toPlainText() and "Moyens matériels" in doc.toPlainText()
