"""The DCE being imported is already there: open the existing consultation, import it as a new
version (*modificatif*), or cancel.

Shown by `MainWindow.import_paths` (window-modal, not blocking: `open()`); `choice` holds the answer
when `finished` fires. Scripts drive it by clicking the button whose text is one of the constants
below (`dialog.buttons[DuplicateImportDialog.OPEN].click()`).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.rows import ConsultationRow
from ui.style import fr_date

Choice = Literal["open", "new_version", "keep", "cancel"]


class DuplicateImportDialog(QDialog):
    OPEN: ClassVar[str] = "Ouvrir la consultation existante"
    NEW_VERSION: ClassVar[str] = "Importer comme nouvelle version (modificatif)"
    CANCEL: ClassVar[str] = "Annuler"
    KEEP: ClassVar[str] = "Garder les deux consultations"

    def __init__(
        self, existing: ConsultationRow, *, same_content: bool, parent: QWidget | None = None
    ) -> None:
        """`same_content`: the pieces are the very same (content hash); else only the buyer's
        reference (or the file name) matches, and keeping both is offered too."""
        super().__init__(parent)
        self.existing = existing
        self.same_content = same_content
        self.choice: Choice = "cancel"
        self.setWindowTitle(self.tr("DCE déjà importé") if same_content else self.tr("Même consultation ?"))
        lay = QVBoxLayout(self)
        imported = fr_date(existing.created_at, with_time=False)
        what = f"« {existing.title} »"
        if existing.reference:
            what += self.tr(" (réf. {ref})").format(ref=existing.reference)
        if same_content:
            text = self.tr(
                "Ce DCE est déjà dans Maître AO : {what}, importé le {date}. "
                "Ses pièces sont identiques ; rien n'a été ajouté."
            )
        else:
            text = self.tr(
                "Une consultation de même référence est déjà dans Maître AO : {what}, importée le "
                "{date}. Les pièces diffèrent : s'agit-il d'un modificatif du DCE ?"
            )
        self.message = QLabel(text.format(what=what, date=imported))
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(420)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch()
        self.buttons: dict[str, QPushButton] = {}
        choices: list[tuple[str, Choice]] = [(self.OPEN, "open"), (self.NEW_VERSION, "new_version")]
        if not same_content:
            choices.append((self.KEEP, "keep"))
        choices.append((self.CANCEL, "cancel"))
        for text_, choice in choices:
            button = QPushButton(self.tr(text_))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            row.addWidget(button)
            self.buttons[text_] = button
        self.buttons[self.OPEN].setDefault(True)
        lay.addLayout(row)

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        if choice == "cancel":
            self.reject()
        else:
            self.accept()
