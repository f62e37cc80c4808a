"""Bibliothèque: reusable blocks with tags, search, and review dates ("à revoir")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
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
        self._notice = ""  # shown above the list once it is refreshed (result of the last action)
        self.last_import: tuple[int, int] | None = None  # blocks added, already there
        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(title_label(self.tr("Bibliothèque")))
        head.addStretch()
        imp = QPushButton(self.tr("Importer un mémoire passé…"))
        imp.setToolTip(
            self.tr(
                "Découpe un mémoire (DOCX, ODT, PDF) en blocs à ses titres ; un fichier déjà importé n'ajoute rien."
            )
        )
        imp.clicked.connect(self.import_files)
        head.addWidget(imp)
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
        # Several blocks can be selected (Ctrl/Maj + clic) to merge them.
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
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
        self.source = QLabel()
        self.source.setWordWrap(True)
        form.addRow(self.tr("Titre :"), self.title)
        form.addRow(self.tr("Étiquettes :"), self.tags)
        form.addRow(self.tr("Texte :"), self.body)
        form.addRow(self.tr("Revue :"), self.review)
        form.addRow(self.tr("Source :"), self.source)
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
        edit = QHBoxLayout()
        merge = QPushButton(self.tr("Fusionner la sélection"))
        merge.setToolTip(
            self.tr("Réunit les blocs sélectionnés (Ctrl + clic) en un seul, dans l'ordre de la liste.")
        )
        merge.clicked.connect(self.merge_selected)
        split_here = QPushButton(self.tr("Couper au curseur"))
        split_here.setToolTip(self.tr("Coupe le bloc en deux au paragraphe où se trouve le curseur."))
        split_here.clicked.connect(self.split_at_cursor)
        edit.addWidget(merge)
        edit.addWidget(split_here)
        form.addRow(edit)
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
            self._notice
            if blocks
            else self.tr(
                "Aucun bloc. Importez vos mémoires passés ou créez vos textes réutilisables "
                "(présentation, QSE, méthodologie…)."
            )
        )
        self._notice = ""
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
        self.source.setText("")
        uuid = b.uuid

        def shown(text: str) -> None:
            if self.current is not None and self.current.uuid == uuid:
                self.source.setText(text)

        self.ctx.runner.run(
            self.tr("Source du bloc"), lambda _c: _source_text(self._store(), uuid), on_success=shown
        )

    # --- past mémoires, merge and split (app.services.library, called directly) ----------------------
    def _store(self) -> Any:
        """The open store (held by the window's backend until issue 17 gives pages their own handle)."""
        return self.ctx.backend.require_store()

    def import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Importer des mémoires passés"),
            str(Path.home()),
            self.tr("Mémoires (*.docx *.odt *.pdf)"),
        )
        if not paths:
            return
        from app.services import library

        def work(_c: object) -> tuple[int, int]:
            store = self._store()
            reports = [library.import_file(store, Path(p)) for p in paths]
            return sum(len(r.added) for r in reports), sum(r.already_there for r in reports)

        def done(result: tuple[int, int]) -> None:
            added, there = result
            self.last_import = result
            self._notice = self.tr("%d bloc(s) ajouté(s), %d déjà dans la bibliothèque.") % (added, there)
            self.status.setText(self._notice)
            self.refresh()

        self.ctx.runner.run(
            self.tr("Import de mémoires passés"), work, on_success=done, on_failure=self.status.setText
        )

    def merge_selected(self) -> None:
        rows = sorted(i.row() for i in self.list.selectedIndexes())
        uuids = [self.blocks[r].uuid for r in rows if 0 <= r < len(self.blocks)]
        if len(uuids) < 2:
            self.status.setText(self.tr("Sélectionnez au moins deux blocs (Ctrl + clic) pour les fusionner."))
            return
        from app.services import library

        self.current = None
        self.ctx.runner.run(
            self.tr("Fusion des blocs"),
            lambda _c: library.merge(self._store(), uuids),
            on_success=chain(lambda: self.status.setText(self.tr("Blocs fusionnés.")), self.refresh),
            on_failure=self.status.setText,
        )

    def split_at_cursor(self) -> None:
        if not (self.current and self.current.uuid):
            return
        before = self.body.toPlainText()[: self.body.textCursor().position()]
        # The paragraphs before the cursor's stay; the cursor's paragraph starts the second block.
        at = len([p for p in before.split("\n\n")[:-1] if p.strip()])
        from app.services import library

        uuid = self.current.uuid
        self.ctx.runner.run(
            self.tr("Découpe du bloc"),
            lambda _c: library.split(self._store(), uuid, at),
            on_success=chain(lambda: self.status.setText(self.tr("Bloc coupé en deux.")), self.refresh),
            on_failure=self.status.setText,
        )

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


def _source_text(store: Any, block_uuid: str) -> str:
    """ "memoire_2024.docx (mémoire du 12/03/2024) — Ville de Chessy": where an imported block comes from."""
    from app.services import library

    block = library.get(store, block_uuid)
    if not block.source_file:
        return ""
    day = f" (mémoire du {block.source_date:%d/%m/%Y})" if block.source_date else ""
    buyer = (block.source_facts or {}).get("buyer")
    return f"{block.source_file}{day}" + (f" — {buyer}" if buyer else "")
