"""Mémoire: outline tree + rich-text section editor, offline / Claude drafting, library insert,
words and pages against the RC's limit, `[à compléter : …]` markers highlighted, autosave.

Autosave: each edit restarts a short debounce; when it fires the section is saved through the
proposals service into the encrypted store (WAL, one transaction), on the DB worker. A crash loses
at most the last debounce interval; no plaintext copy of the mémoire is left outside the store.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QKeySequence,
    QSyntaxHighlighter,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextListFormat,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTextEdit,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.drafting.body import TABLE_RE, table_token, to_blocks
from app.drafting.markers import MARKER_RE
from ui.backend import BlockRow, SectionRow
from ui.context import AppContext
from ui.operations import Lane, Operation
from ui.style import FRENCH, MARKER_BG

WORDS_PER_PAGE = 450  # a typical mémoire page in 11 pt with headings
AUTOSAVE_MS = 700


def count_words(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def body_to_document(body: str, doc: QTextDocument) -> None:
    """Show a section body (the drafting format of app.drafting.body) as editable rich text."""
    doc.clear()
    cursor = QTextCursor(doc)
    first = True
    for block in to_blocks(body):
        if not first:
            cursor.insertBlock()
        first = False
        fmt = QTextBlockFormat()
        fmt.setBottomMargin(6)
        char = QTextCharFormat()
        if block.kind == "heading":
            fmt.setHeadingLevel(3)
            char.setFontWeight(QFont.Weight.Bold)
            char.setFontPointSize(13)
        cursor.setBlockFormat(fmt)
        cursor.setCharFormat(char)
        text = table_token(block.text) if block.kind == "table" else block.text
        if block.kind == "bullet":
            cursor.createList(QTextListFormat.Style.ListDisc)
        cursor.insertText(text, char)


def document_to_body(doc: QTextDocument) -> str:
    """The editor's text in the drafting format the exporter reads (paragraphs, "- " bullets,
    "### " sub-headings, table tokens): what the user sees is what the DOCX gets."""
    out: list[str] = []
    previous_bullet = False
    block = doc.begin()
    while block.isValid():
        text = block.text().strip()
        if text:
            bullet = block.textList() is not None
            if block.blockFormat().headingLevel() > 0:
                line = f"### {text}"
            elif bullet:
                line = f"- {text}"
            else:
                line = text
            sep = "\n" if bullet and previous_bullet else "\n\n"
            out.append((sep if out else "") + line)
            previous_bullet = bullet
        block = block.next()
    return "".join(out)


class MarkerHighlighter(QSyntaxHighlighter):
    def highlightBlock(self, text: str) -> None:
        fmt = QTextCharFormat()
        fmt.setBackground(MARKER_BG)
        fmt.setForeground(QColor("#5d4300"))
        fmt.setFontWeight(QFont.Weight.DemiBold)
        for m in MARKER_RE.finditer(text):
            self.setFormat(m.start(), m.end() - m.start(), fmt)
        if TABLE_RE.match(text.strip()):  # a table the export builds from the profile
            table = QTextCharFormat()
            table.setFontItalic(True)
            table.setForeground(QColor("#2f6fd0"))
            self.setFormat(0, len(text), table)


class SectionEditor(QTextEdit):
    """Rich text; dropped files go to the window's import, not into the text."""

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        if source.hasUrls() and any(u.isLocalFile() for u in source.urls()):
            return False
        return super().canInsertFromMimeData(source)


class MemoireTab(QWidget):
    saved = Signal(str)  # section uuid, after an autosave reached the store
    message = Signal(str, str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.uuid = ""
        self.sections: list[SectionRow] = []
        self.current: SectionRow | None = None
        self.page_limit: int | None = None
        self._dirty = False
        self._loading = False
        self._draft_op: Operation | None = None
        self.save_count = 0

        lay = QVBoxLayout(self)
        split = QSplitter()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Plan du mémoire"), self.tr("Poids")])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 56)
        self.tree.setAccessibleName(self.tr("Plan du mémoire"))
        self.tree.currentItemChanged.connect(self._select)
        split.addWidget(self.tree)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.section_title = QLabel()
        self.section_title.setStyleSheet("font-size: 16px; font-weight: 600")
        self.section_title.setWordWrap(True)
        rl.addWidget(self.section_title)
        self.toolbar = QToolBar()
        self.editor = SectionEditor()
        self.editor.setAccessibleName(self.tr("Texte de la section"))
        self.editor.setAcceptRichText(True)
        self.highlighter = MarkerHighlighter(self.editor.document())
        for text, tip, slot in (
            (self.tr("Paragraphe"), "Ctrl+0", self._paragraph),
            (self.tr("Sous-titre"), "Ctrl+3", self._heading),
            (self.tr("Liste à puces"), "Ctrl+Shift+L", self._bullets),
        ):
            act = QAction(text, self)
            act.setShortcut(QKeySequence(tip))
            act.setToolTip(f"{text} ({tip})")
            act.triggered.connect(slot)
            self.toolbar.addAction(act)
        self.toolbar.addSeparator()
        self.offline_button = QPushButton(self.tr("Rédiger hors ligne"))
        self.offline_button.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.offline_button.clicked.connect(self.draft_offline)
        self.claude_button = QPushButton(self.tr("Rédiger avec Claude"))
        self.claude_button.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.claude_button.clicked.connect(self.draft_claude)
        self.stop_button = QPushButton(self.tr("Arrêter"))
        self.stop_button.setAccessibleName(self.tr("Arrêter la rédaction (le texte reçu est gardé)"))
        self.stop_button.clicked.connect(self.stop_drafting)
        self.library_button = QPushButton(self.tr("Insérer depuis la bibliothèque…"))
        self.library_button.clicked.connect(self.insert_from_library)
        # Widgets in a tool bar are shown and hidden through their actions.
        self._actions = {
            b: self.toolbar.addWidget(b)
            for b in (self.offline_button, self.claude_button, self.stop_button, self.library_button)
        }
        self._actions[self.stop_button].setVisible(False)
        rl.addWidget(self.toolbar)
        rl.addWidget(self.editor, 1)
        foot = QHBoxLayout()
        self.counts = QLabel()
        self.counts.setAccessibleName(self.tr("Mots et pages"))
        self.markers = QLabel()
        self.markers.setStyleSheet("color: #b26a00")
        self.save_state = QLabel()
        self.save_state.setWordWrap(True)
        self.save_state.setObjectName("muted")
        foot.addWidget(self.counts)
        foot.addWidget(self.markers)
        foot.addStretch()
        foot.addWidget(self.save_state)
        rl.addLayout(foot)
        split.addWidget(right)
        split.setSizes([300, 800])
        lay.addWidget(split)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.flush)
        self.editor.textChanged.connect(self._edited)
        self._set_enabled(False)

    # --- loading --------------------------------------------------------------------------
    def load(self, uuid: str, page_limit: int | None) -> None:
        self.flush()
        self.uuid = uuid
        self.page_limit = page_limit
        backend = self.ctx.backend
        self.ctx.runner.run(
            self.tr("Plan du mémoire"),
            lambda _c: backend.outline(uuid),
            on_success=self._fill,
            on_failure=self._outline_failed,
        )

    def _outline_failed(self, message: str) -> None:
        self.tree.clear()
        self.section_title.setText(message)
        self._set_enabled(False)

    def _fill(self, sections: list[SectionRow]) -> None:
        self.sections = sections
        self.tree.blockSignals(True)
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for s in sections:
            parent = items.get(s.parent_uuid or "")
            weight = f"{FRENCH.toString(s.weight_percent, 'f', 0)} %" if s.weight_percent is not None else ""
            item = QTreeWidgetItem([s.title, weight])
            item.setData(0, Qt.ItemDataRole.UserRole, s.uuid)
            if parent is not None:
                parent.addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            items[s.uuid] = item
        self.tree.expandAll()
        self.tree.blockSignals(False)
        self._update_counts()
        if sections:
            keep = self.current.uuid if self.current else None
            target = items.get(keep or "") or self.tree.topLevelItem(0)
            self.current = None
            # The editor fills on the next turn: tree and text never freeze the window together.
            if target is not None:
                QTimer.singleShot(0, lambda: self.current is None and self.tree.setCurrentItem(target))
        else:
            self.section_title.setText(self.tr("Le plan est vide : lancez d'abord l'analyse."))

    def _select(self, item: QTreeWidgetItem | None, _prev: QTreeWidgetItem | None) -> None:
        if item is None:
            return
        self.flush()
        uuid = item.data(0, Qt.ItemDataRole.UserRole)
        self.current = next((s for s in self.sections if s.uuid == uuid), None)
        if self.current is None:
            return
        self._loading = True
        body_to_document(self.current.body, self.editor.document())
        self._loading = False
        self.section_title.setText(self.current.title)
        self._set_enabled(True)
        self._update_counts()

    def select_section(self, index: int) -> None:
        items = self._all_items()
        if 0 <= index < len(items):
            self.tree.setCurrentItem(items[index])

    def _all_items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []

        def walk(item: QTreeWidgetItem) -> None:
            out.append(item)
            for i in range(item.childCount()):
                child = item.child(i)
                if child is not None:
                    walk(child)

        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is not None:
                walk(top)
        return out

    def _set_enabled(self, on: bool) -> None:
        for w in (self.editor, self.offline_button, self.claude_button, self.library_button):
            w.setEnabled(on)

    # --- editing and autosave -------------------------------------------------------------
    def _edited(self) -> None:
        self._update_counts()
        if self._loading or self.current is None:
            return
        self._dirty = True
        self.save_state.setText(self.tr("Modifications non enregistrées…"))
        self._autosave.start()

    def flush(self) -> None:
        """Save the current section now if it changed (on debounce, section switch, close)."""
        self._autosave.stop()
        if not self._dirty or self.current is None:
            return
        self._dirty = False
        body = document_to_body(self.editor.document())
        self.current.body = body
        uuid, section = self.uuid, self.current.uuid
        backend = self.ctx.backend

        def ok(_r: object) -> None:
            self.save_count += 1
            self.save_state.setText(self.tr("Enregistré"))
            self.saved.emit(section)

        def fail(message: str) -> None:
            self._dirty = True
            self.save_state.setText(self.tr("Échec de l'enregistrement : ") + message)

        self.ctx.runner.run(
            self.tr("Enregistrement de la section"),
            lambda _c: backend.save_section(uuid, section, body),
            on_success=ok,
            on_failure=fail,
        )

    def _update_counts(self) -> None:
        words = count_words(self.editor.toPlainText())
        total = sum(count_words(s.body) for s in self.sections if s is not self.current) + words
        pages = total / WORDS_PER_PAGE
        text = self.tr("%s mots dans la section · mémoire : %s mots ≈ %s pages") % (
            FRENCH.toString(words),
            FRENCH.toString(total),
            FRENCH.toString(pages, "f", 1),
        )
        if self.page_limit:
            text += self.tr(" / limite %d pages") % self.page_limit
            over = pages > self.page_limit
            self.counts.setStyleSheet("color: #c62828; font-weight: 600" if over else "")
        self.counts.setText(text)
        n = len(MARKER_RE.findall(self.editor.toPlainText()))
        self.markers.setText(self.tr("%d élément(s) à compléter") % n if n else "")

    def marker_count(self) -> int:
        return len(MARKER_RE.findall(self.editor.toPlainText()))

    def _paragraph(self) -> None:
        cursor = self.editor.textCursor()
        lst = cursor.currentList()
        if lst is not None:
            lst.remove(cursor.block())
        fmt = QTextBlockFormat()
        cursor.setBlockFormat(fmt)
        char = QTextCharFormat()
        char.setFontWeight(QFont.Weight.Normal)
        char.setFontPointSize(self.editor.document().defaultFont().pointSizeF())
        cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
        cursor.mergeCharFormat(char)

    def _heading(self) -> None:
        cursor = self.editor.textCursor()
        fmt = cursor.blockFormat()
        fmt.setHeadingLevel(3)
        cursor.setBlockFormat(fmt)
        char = QTextCharFormat()
        char.setFontWeight(QFont.Weight.Bold)
        char.setFontPointSize(13)
        cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
        cursor.mergeCharFormat(char)

    def _bullets(self) -> None:
        self.editor.textCursor().createList(QTextListFormat.Style.ListDisc)

    # --- drafting -------------------------------------------------------------------------
    def draft_offline(self) -> None:
        if self.current is None:
            return
        uuid, section = self.uuid, self.current.uuid
        backend = self.ctx.backend
        self.offline_button.setEnabled(False)

        def ok(text: str) -> None:
            self.offline_button.setEnabled(True)
            self._replace_text(text)

        def fail(message: str) -> None:
            self.offline_button.setEnabled(True)
            self.message.emit(message, "error")

        self.ctx.runner.run(
            self.tr("Rédaction hors ligne"),
            lambda _c: backend.draft_offline(uuid, section),
            on_success=ok,
            on_failure=fail,
        )

    def _replace_text(self, body: str) -> None:
        body_to_document(body, self.editor.document())  # textChanged → autosave

    def draft_claude(self) -> None:
        """Draft the current section with Claude, once sending this DCE's text is agreed."""
        if self.current is None:
            return
        from ui.pages.consent_dialog import with_consent

        with_consent(
            self.ctx,
            self,
            self.uuid,
            "claude",
            "rédaction",
            self._draft_claude_now,
            on_refused=lambda m: self.message.emit(m, "error"),
        )

    def _draft_claude_now(self) -> None:
        if self.current is None:
            return
        uuid, section = self.uuid, self.current.uuid
        backend = self.ctx.backend
        self.editor.clear()
        self._streaming(True)

        def chunk(text: str) -> None:
            cursor = self.editor.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            cursor.insertText(text)

        def end() -> None:
            self._streaming(False)
            self._draft_op = None
            self.flush()

        def fail(message: str) -> None:
            self.message.emit(message, "error")

        op = self.ctx.runner.run(
            self.tr("Rédaction avec Claude"),
            lambda c: backend.draft_claude(uuid, section, c.emit_text, c.cancel),
            on_text=chunk,
            on_failure=fail,
            lane=Lane.NET,
        )
        op.finished.connect(end)
        self._draft_op = op

    def _streaming(self, on: bool) -> None:
        self._actions[self.claude_button].setVisible(not on)
        self._actions[self.stop_button].setVisible(on)
        self.offline_button.setEnabled(not on)

    def stop_drafting(self) -> None:
        """Cancel the stream: what already came stays in the editor and is saved."""
        if self._draft_op is not None:
            self._draft_op.cancel()

    def insert_from_library(self) -> None:
        backend = self.ctx.backend
        self.ctx.runner.run(
            self.tr("Bibliothèque"),
            lambda _c: backend.blocks(""),
            on_success=self._pick_block,
            on_failure=lambda m: self.message.emit(m, "error"),
        )

    def _pick_block(self, blocks: list[BlockRow]) -> None:
        if not blocks:
            self.message.emit(self.tr("La bibliothèque est vide."), "info")
            return
        names = [b.title for b in blocks]
        name, ok = QInputDialog.getItem(self, self.tr("Insérer un bloc"), self.tr("Bloc :"), names, 0, False)
        if ok:
            self.insert_block(blocks[names.index(name)].body)

    def insert_block(self, body: str) -> None:
        self.editor.textCursor().insertText(body)
