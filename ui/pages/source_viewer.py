"""A page of a DCE piece with the quoted passage highlighted (opened from any source link)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.text import find_quote
from ui.context import AppContext
from ui.style import MARKER_BG


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` sits in `text`, found as the grounding check finds it (app.domain.text)."""
    span = find_quote(text, quote)
    words = quote.split()
    if span is None and len(words) > 6:  # an unverified long quote: its first words, to show where
        span = find_quote(text, " ".join(words[:6]))
    return span


class SourceViewer(QDialog):
    """Non-modal: the user keeps working while reading the source."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Source"))
        self.resize(760, 640)
        self.uuid = ""
        self.file = ""
        self.quote = ""
        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        self.where = QLabel()
        self.where.setWordWrap(True)
        head.addWidget(self.where, 1)
        head.addWidget(QLabel(self.tr("Page :")))
        self.page = QSpinBox()
        self.page.setMinimum(1)
        self.page.setMaximum(9999)
        self.page.setAccessibleName(self.tr("Numéro de page"))
        self.page.valueChanged.connect(lambda _v: self._load())
        head.addWidget(self.page)
        lay.addLayout(head)
        self.text = QTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName(self.tr("Texte de la page"))
        lay.addWidget(self.text, 1)
        self.status = QLabel()
        self.status.setObjectName("muted")
        lay.addWidget(self.status)
        close = QPushButton(self.tr("Fermer"))
        close.clicked.connect(self.close)
        lay.addWidget(close, alignment=Qt.AlignmentFlag.AlignRight)
        self.highlighted: tuple[int, int] | None = None

    def show_source(self, uuid: str, file: str, page: int | None, quote: str = "") -> None:
        self.uuid, self.file, self.quote = uuid, file, quote
        self.page.blockSignals(True)
        self.page.setValue(page or 1)
        self.page.blockSignals(False)
        self._load()
        self.show()
        self.raise_()

    def _load(self) -> None:
        page = self.page.value()
        self.where.setText(f"<b>{self.file}</b>")
        self.setWindowTitle(self.tr("Source — %s, page %d") % (self.file, page))
        backend, uuid, file = self.ctx.backend, self.uuid, self.file
        self.ctx.runner.run(
            self.tr("Lecture de la page"),
            lambda _c: backend.page_text(uuid, file, page),
            on_success=self._show_text,
            on_failure=self._failed,
        )

    def _failed(self, message: str) -> None:
        self.text.setPlainText("")
        self.status.setText(message)

    def _show_text(self, text: str) -> None:
        self.text.setPlainText(text)
        self.highlighted = None
        self.text.setExtraSelections([])
        if not self.quote:
            self.status.setText("")
            return
        span = quote_span(text, self.quote)
        if span is None:
            self.status.setText(self.tr("Citation non retrouvée sur cette page (valeur non vérifiée)."))
            return
        self.highlighted = span
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        sel = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(MARKER_BG)
        fmt.setForeground(QColor("#000000"))
        sel.format = fmt
        sel.cursor = cursor
        self.text.setExtraSelections([sel])
        view = QTextCursor(self.text.document())
        view.setPosition(span[0])
        self.text.setTextCursor(view)
        self.text.ensureCursorVisible()
        self.status.setText(self.tr("Citation surlignée."))
