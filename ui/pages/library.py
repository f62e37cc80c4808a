"""Bibliothèque: reusable blocks with tags, search, and review dates ("à revoir")."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.backend import BlockRow
from ui.context import AppContext
from ui.style import WARN, fr_short_date
from ui.widgets import chain, title_label


class LibraryPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.blocks: list[BlockRow] = []
        self.local_ids: set[str] = set()
        self.current: BlockRow | None = None
        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(title_label(self.tr("Bibliothèque")))
        head.addStretch()
        new = QPushButton(self.tr("Nouveau bloc"))
        new.clicked.connect(self.new_block)
        head.addWidget(new)
        lay.addLayout(head)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Rechercher dans les blocs (titre, étiquettes, texte)…"))
        self.search.setAccessibleName(self.tr("Rechercher un bloc"))
        self.search.setClearButtonEnabled(True)
        lay.addWidget(self.search)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        split = QSplitter()
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Blocs"))
        self.list.currentRowChanged.connect(self._select)
        split.addWidget(self.list)
        editor = QWidget()
        form = QFormLayout(editor)
        self.title = QLineEdit()
        self.title.setAccessibleName(self.tr("Titre du bloc"))
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(self.tr("qualité, sécurité, BTP…"))
        self.tags.setAccessibleName(self.tr("Étiquettes"))
        self.body = QTextEdit()
        self.body.setAcceptRichText(False)
        self.body.setAccessibleName(self.tr("Texte du bloc"))
        self.review = QLabel()
        form.addRow(self.tr("Titre :"), self.title)
        form.addRow(self.tr("Étiquettes :"), self.tags)
        form.addRow(self.tr("Texte :"), self.body)
        form.addRow(self.tr("Revue :"), self.review)
        # Per-record opt-out: this block stays on this computer whatever the account syncs.
        self.local_only = QCheckBox(self.tr("Ne pas synchroniser (garder ce bloc sur cet ordinateur)"))
        self.local_only.setAccessibleName(self.tr("Ne pas synchroniser ce bloc"))
        self.local_only.setEnabled(False)
        self.local_only.clicked.connect(self.set_local_only)
        form.addRow("", self.local_only)
        buttons = QHBoxLayout()
        save = QPushButton(self.tr("Enregistrer"))
        save.clicked.connect(self.save)
        reviewed = QPushButton(self.tr("Marquer comme revu"))
        reviewed.clicked.connect(self.mark_reviewed)
        delete = QPushButton(self.tr("Supprimer"))
        delete.clicked.connect(self.delete)
        for b in (save, reviewed, delete):
            buttons.addWidget(b)
        form.addRow(buttons)
        split.addWidget(editor)
        split.setSizes([320, 700])
        lay.addWidget(split, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())

    def refresh(self) -> None:
        query, backend = self.search.text().strip(), self.ctx.backend

        def work(_c: object) -> tuple[list[BlockRow], set[str]]:
            return backend.blocks(query), backend.local_only("library_blocks")

        self.ctx.runner.run(
            self.tr("Bibliothèque"),
            work,
            on_success=lambda r: self._fill(*r),
            on_failure=self.status.setText,
        )

    def _fill(self, blocks: list[BlockRow], local_ids: set[str] | None = None) -> None:
        self.blocks = blocks
        self.local_ids = local_ids or set()
        self.status.setText(
            ""
            if blocks
            else self.tr("Aucun bloc. Créez vos textes réutilisables (présentation, QSE, méthodologie…).")
        )
        self.list.blockSignals(True)
        self.list.clear()
        for b in blocks:
            item = QListWidgetItem(b.title + (self.tr("  — à revoir") if b.needs_review else ""))
            if b.needs_review:
                item.setForeground(WARN)
            item.setToolTip(b.tags)
            if b.uuid in self.local_ids:
                item.setText(item.text() + self.tr("  — non synchronisé"))
            self.list.addItem(item)
        self.list.blockSignals(False)
        if blocks:
            # The block being edited stays selected after a save or a switch.
            current = self.current.uuid if self.current else ""
            ids = [b.uuid for b in blocks]
            self.list.setCurrentRow(ids.index(current) if current in ids else 0)

    def _select(self, row: int) -> None:
        if not 0 <= row < len(self.blocks):
            return
        b = self.blocks[row]
        self.current = b
        self.title.setText(b.title)
        self.tags.setText(b.tags)
        self.body.setPlainText(b.body)
        text = (
            self.tr("revu le %s") % fr_short_date(b.reviewed_on) if b.reviewed_on else self.tr("jamais revu")
        )
        if b.needs_review:
            text += self.tr(" — à revoir")
        self.review.setText(text)
        self.local_only.setEnabled(True)
        self.local_only.setChecked(b.uuid in self.local_ids)

    def new_block(self) -> None:
        self.current = BlockRow(uuid="", title="")
        self.list.clearSelection()
        self.title.clear()
        self.tags.clear()
        self.body.clear()
        self.review.setText("")
        self.local_only.setChecked(False)
        self.local_only.setEnabled(False)  # saved first: the switch applies to a stored block
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        block = BlockRow(
            uuid=self.current.uuid if self.current else "",
            title=self.title.text().strip(),
            tags=self.tags.text().strip(),
            body=self.body.toPlainText(),
        )
        if not block.title:
            self.status.setText(self.tr("Donnez un titre au bloc."))
            return
        backend = self.ctx.backend
        self.ctx.runner.run(
            self.tr("Enregistrement du bloc"),
            lambda _c: backend.save_block(block),
            on_success=chain(lambda: self.status.setText(self.tr("Bloc enregistré.")), self.refresh),
            on_failure=self.status.setText,
        )

    def mark_reviewed(self) -> None:
        if self.current and self.current.uuid:
            uuid, backend = self.current.uuid, self.ctx.backend
            self.ctx.runner.run(
                self.tr("Revue du bloc"),
                lambda _c: backend.mark_reviewed(uuid),
                on_success=lambda _r: self.refresh(),
                on_failure=self.status.setText,
            )

    def delete(self) -> None:
        if self.current and self.current.uuid:
            uuid, backend = self.current.uuid, self.ctx.backend
            self.ctx.runner.run(
                self.tr("Suppression du bloc"),
                lambda _c: backend.delete_block(uuid),
                on_success=lambda _r: self.refresh(),
                on_failure=self.status.setText,
            )

    def set_local_only(self, keep_local: bool) -> None:
        if not (self.current and self.current.uuid):
            return
        uuid, backend = self.current.uuid, self.ctx.backend
        done = (
            self.tr("Ce bloc reste sur cet ordinateur : il ne sera pas synchronisé.")
            if keep_local
            else self.tr("Ce bloc sera synchronisé avec votre compte.")
        )
        self.ctx.runner.run(
            self.tr("Synchronisation du bloc"),
            lambda _c: backend.set_record_sync("library_blocks", uuid, keep_local),
            on_success=chain(lambda: self.status.setText(done), self.refresh),
            on_failure=self.status.setText,
        )
