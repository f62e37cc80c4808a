"""Mémoire: outline tree + rich-text section editor, offline / Claude drafting, library insert,
words and pages against the RC's limit, `[à compléter : …]` markers highlighted, autosave.

Autosave: each edit restarts a short debounce; when it fires the section is saved through the
proposals service into the encrypted store (WAL, one transaction), on the DB worker. A crash loses
at most the last debounce interval; no plaintext copy of the mémoire is left outside the store.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

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
    QTextFormat,
    QTextListFormat,
    QTextTableFormat,
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

from app.domain.profile import CompanyProfile
from app.drafting.body import REUSE_END, TABLE_RE, reuse_start, table_token, to_blocks
from app.drafting.markers import MARKER_RE
from app.export import pagecount
from ui.backend import Backend, ClaudeDraftJob, OutlineRow
from ui.context import AppContext
from ui.operations import Lane, OpContext, Operation
from ui.style import FRENCH, MARKER_BG

if TYPE_CHECKING:
    from app.analysis.claude.usage import CallUsage

AUTOSAVE_MS = 700


def count_words(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


# Table frames and reuse marks carry what they stand for in a user property of their format.
TABLE_PROPERTY = QTextFormat.Property.UserProperty + 1  # "table:references" or "grid"
REUSE_PROPERTY = QTextFormat.Property.UserProperty + 2  # origin of the reused text, "" for its end
IMAGE_PROPERTY = QTextFormat.Property.UserProperty + 3  # sha256 of a library picture
TABLE_LABELS = {
    "references": "Références",
    "moyens_humains": "Moyens humains",
    "moyens_materiels": "Moyens matériels",
    "chiffre_affaires": "Chiffre d'affaires",
    "certifications": "Certifications et qualifications",
}
REUSE_COLOR = QColor("#6a4c93")


def _insert_table(
    cursor: QTextCursor, header: list[str], rows: list[list[str]], kind: str, read_only: bool
) -> None:
    fmt = QTextTableFormat()
    fmt.setProperty(TABLE_PROPERTY, kind)
    fmt.setBorder(0.5)
    fmt.setCellPadding(3)
    fmt.setCellSpacing(0)
    fmt.setHeaderRowCount(1)
    width = max(1, max(len(r) for r in [header, *rows]))
    table = cursor.insertTable(len(rows) + 1, width, fmt)
    head = QTextCharFormat()
    head.setFontWeight(QFont.Weight.Bold)
    body = QTextCharFormat()
    if read_only:  # filled from the profile at export: shown as it will be, edits are not kept
        body.setForeground(QColor("#2f4f7f"))
        head.setForeground(QColor("#2f4f7f"))
    for r, row in enumerate([header, *rows]):
        for c in range(width):
            text = row[c] if c < len(row) else ""
            table.cellAt(r, c).firstCursorPosition().insertText(text, head if r == 0 else body)


def body_to_document(body: str, doc: QTextDocument, profile: CompanyProfile | None = None) -> None:
    """Show a section body (the drafting format of app.drafting.body) as editable rich text.

    A profile table ([[TABLE:…]]) is shown as the table the export will build (from `profile`, or
    its title when the profile is not known yet); a table of text is an editable table; the text
    reused from the library is framed by two notes saying where it comes from."""
    from app.drafting.tables import profile_table

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
        if block.kind in ("table", "grid"):
            cursor.setBlockFormat(fmt)
            if block.kind == "grid":
                rows = block.rows
                _insert_table(cursor, rows[0], rows[1:], "grid", read_only=False)
            else:
                label = TABLE_LABELS.get(block.text, block.text)
                header, rows = (
                    profile_table(block.text, profile)
                    if profile is not None
                    else ([f"Tableau « {label} »"], [["rempli depuis le profil de l'entreprise à l'export"]])
                )
                _insert_table(cursor, header, rows or [["—"] * len(header)], f"table:{block.text}", True)
            cursor.movePosition(QTextCursor.MoveOperation.End)
            continue
        if block.kind == "image":
            fmt.setProperty(IMAGE_PROPERTY, block.text)
            char.setForeground(REUSE_COLOR)
            cursor.setBlockFormat(fmt)
            cursor.setCharFormat(char)
            cursor.insertText("▣ Illustration du mémoire d'origine (insérée à l'export)", char)
            continue
        if block.kind in ("reuse", "reuse_end"):
            fmt.setProperty(REUSE_PROPERTY, block.text)
            char.setFontItalic(True)
            char.setForeground(REUSE_COLOR)
            text = (
                f"▸ Texte repris de {block.text} — à relire et adapter"
                if block.kind == "reuse"
                else "◂ Fin du texte repris"
            )
            cursor.setBlockFormat(fmt)
            cursor.setCharFormat(char)
            cursor.insertText(text, char)
            continue
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
    "### " sub-headings, table tokens, reuse marks): what the user sees is what the DOCX gets."""
    out: list[str] = []
    previous_bullet = False
    done_tables: set[int] = set()
    block = doc.begin()
    while block.isValid():
        table = QTextCursor(block).currentTable()
        if table is not None:
            if id(table) not in done_tables and table.firstPosition() not in done_tables:
                done_tables.add(table.firstPosition())
                kind = str(table.format().property(TABLE_PROPERTY) or "grid")
                if kind.startswith("table:"):
                    line = table_token(kind[6:])
                else:
                    line = "\n".join(
                        "| "
                        + " | ".join(
                            table.cellAt(r, c).firstCursorPosition().block().text().replace("|", "/").strip()
                            for c in range(table.columns())
                        )
                        + " |"
                        for r in range(table.rows())
                    )
                out.append(("\n\n" if out else "") + line)
                previous_bullet = False
            block = block.next()
            continue
        picture = block.blockFormat().property(IMAGE_PROPERTY)
        if picture and block.text().startswith("▣"):
            out.append(("\n\n" if out else "") + f"[[IMAGE:{picture}]]")
            previous_bullet = False
            block = block.next()
            continue
        origin = block.blockFormat().property(REUSE_PROPERTY)
        if origin is not None and block.text().startswith(("▸", "◂")):
            line = reuse_start(str(origin)) if origin else REUSE_END
            out.append(("\n\n" if out else "") + line)
            previous_bullet = False
            block = block.next()
            continue
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
    saved = Signal(str)  # section key, after an autosave reached the store
    streamed = Signal(str)  # each piece of text Claude streams into the editor
    message = Signal(str, str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.uuid = ""
        self.sections: list[OutlineRow] = []
        self.current: OutlineRow | None = None
        self.page_limit: int | None = None
        self.profile: CompanyProfile | None = None  # the tables' rows, for the page count
        self.questions: dict[str, str] = {}  # section key → the buyer's question
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
        # The buyer's own question, kept as a reminder under the statement title.
        self.question = QLabel()
        self.question.setObjectName("muted")
        self.question.setWordWrap(True)
        self.question.setAccessibleName(self.tr("Question de l'acheteur"))
        rl.addWidget(self.question)
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

        def work(_c: object) -> tuple[list[OutlineRow], CompanyProfile | None, dict[str, str]]:
            from app.services import profile, proposals

            store = backend.require_store()
            # The profile fills the tables shown in the editor and counted in its pages.
            return backend.outline(uuid), profile.load(store), proposals.outline_questions(store, uuid)

        def done(result: tuple[list[OutlineRow], CompanyProfile | None, dict[str, str]]) -> None:
            self.profile, self.questions = result[1], result[2]
            self._fill(result[0])

        self.ctx.runner.run(
            self.tr("Plan du mémoire"), work, on_success=done, on_failure=self._outline_failed
        )

    def _outline_failed(self, message: str) -> None:
        self.tree.clear()
        self.section_title.setText(message)
        self._set_enabled(False)

    def _fill(self, sections: list[OutlineRow]) -> None:
        self.sections = sections
        self.tree.blockSignals(True)
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for s in sections:
            parent = items.get(s.parent_key or "")
            weight = f"{FRENCH.toString(s.weight_percent, 'f', 0)} %" if s.weight_percent is not None else ""
            item = QTreeWidgetItem([s.title, weight])
            item.setToolTip(0, s.title)  # long titles are cut to the outline's width
            item.setData(0, Qt.ItemDataRole.UserRole, s.key)
            if parent is not None:
                parent.addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            items[s.key] = item
        self.tree.expandAll()
        self.tree.blockSignals(False)
        self._update_counts()
        if sections:
            keep = self.current.key if self.current else None
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
        self.current = next((s for s in self.sections if s.key == uuid), None)
        if self.current is None:
            return
        self._loading = True
        body_to_document(self.current.body, self.editor.document(), self.profile)
        self._loading = False
        self.section_title.setText(self.current.title)
        asked = self.questions.get(self.current.key, "")
        self.question.setText(self.tr("Question de l'acheteur : %s") % asked if asked else "")
        self.question.setVisible(bool(asked))
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
        updated = replace(self.current, body=body)
        self.sections = [updated if s is self.current else s for s in self.sections]
        self.current = updated
        uuid, section = self.uuid, self.current.key
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
        # The export's own page count (app.export.pagecount): text, tables and styles, body only.
        current = document_to_body(self.editor.document()) if self.current is not None else ""
        pages = pagecount.body_pages(
            [(s.level, s.title, current if s is self.current else s.body) for s in self.sections],
            self.profile,
        )
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
        uuid, section = self.uuid, self.current.key
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
        body_to_document(body, self.editor.document(), self.profile)  # textChanged → autosave

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
        uuid, section = self.uuid, self.current.key
        backend = self.ctx.backend
        self.editor.clear()
        self._streaming(True)

        def chunk(text: str) -> None:
            cursor = self.editor.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            cursor.insertText(text)
            self.streamed.emit(text)

        def end() -> None:
            self._streaming(False)
            self._draft_op = None
            self.flush()

        def fail(message: str) -> None:
            self.message.emit(message, "error")

        def saved(_r: object) -> None:
            self.saved.emit(section)

        def keep(result: tuple[ClaudeDraftJob, str, list[CallUsage]]) -> None:
            job, text, usage = result
            self.ctx.runner.run(
                self.tr("Enregistrement de la section"),
                lambda _c: backend.save_claude_draft(job, text, usage),
                on_success=saved,
                on_failure=fail,
            )

        def stream(job: ClaudeDraftJob) -> None:
            # The network lane only talks to Claude; the DB lane then keeps the text and its usage.
            def work(c: OpContext) -> tuple[ClaudeDraftJob, str, list[CallUsage]]:
                text, usage = Backend.draft_claude(job, c.emit_text, c.cancel)
                return job, text, usage

            op = self.ctx.runner.run(
                self.tr("Rédaction avec Claude"),
                work,
                on_text=chunk,
                on_success=keep,
                on_failure=fail,
                lane=Lane.NET,
            )
            op.finished.connect(end)
            self._draft_op = op

        def not_started(message: str) -> None:
            fail(message)
            end()

        self._draft_op = self.ctx.runner.run(
            self.tr("Rédaction avec Claude"),
            lambda _c: backend.claude_job(uuid, section),
            on_success=stream,
            on_failure=not_started,
            on_cancel=end,
        )

    def _streaming(self, on: bool) -> None:
        self._actions[self.claude_button].setVisible(not on)
        self._actions[self.stop_button].setVisible(on)
        self.offline_button.setEnabled(not on)

    def stop_drafting(self) -> None:
        """Cancel the stream: what already came stays in the editor and is saved."""
        if self._draft_op is not None:
            self._draft_op.cancel()

    def insert_from_library(self) -> None:
        backend, uuid = self.ctx.backend, self.uuid
        key = self.current.key if self.current else ""

        def work(_c: object) -> list[tuple[str, str]]:
            from app.services import proposals

            # The blocks that fit this section first (score and origin), then the whole library.
            try:
                best = proposals.library_proposals(backend.require_store(), uuid, key) if key else []
            except Exception:  # no analysis or profile yet: the plain list still helps
                best = []
            out = [(f"★ {p.score:.1f} — {p.title} ({p.origin})".replace(".", ",", 1), p.body) for p in best]
            shown = {p.title for p in best}
            out += [(b.title, b.body) for b in backend.blocks("") if b.title not in shown]
            return out

        self.ctx.runner.run(
            self.tr("Bibliothèque"),
            work,
            on_success=self._pick_block,
            on_failure=lambda m: self.message.emit(m, "error"),
        )

    def _pick_block(self, blocks: list[tuple[str, str]]) -> None:
        if not blocks:
            self.message.emit(self.tr("La bibliothèque est vide."), "info")
            return
        names = [label for label, _ in blocks]
        name, ok = QInputDialog.getItem(self, self.tr("Insérer un bloc"), self.tr("Bloc :"), names, 0, False)
        if ok:
            self.insert_block(blocks[names.index(name)][1])

    def insert_block(self, body: str) -> None:
        self.editor.textCursor().insertText(body)
