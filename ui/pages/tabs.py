"""Consultation tabs: Pièces, Go/No-Go, Exigences, Documents."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.kinds import PIECE_KIND_LABELS, PieceKind
from app.domain.labels import short_piece_label
from app.domain.rows import PieceRow
from ui.backend import CheckRow, RequirementRow
from ui.style import BAD, GOOD, WARN


def _table(headers: list[str], stretch: int, widths: dict[int, int] | None = None) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for col, width in (widths or {}).items():
        t.setColumnWidth(col, width)
    t.verticalHeader().hide()
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    t.setWordWrap(True)
    return t


def _link_item(text: str, tooltip: str = "") -> QTableWidgetItem:
    """A source link: the file's name and page; the full path in the tooltip."""
    item = QTableWidgetItem(text.rsplit("/", 1)[-1])
    if text:
        font = item.font()
        font.setUnderline(True)
        item.setFont(font)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            item.setForeground(app.palette().link())
        item.setToolTip(tooltip or text)
    return item


def piece_kind_text(kind: PieceKind | str) -> str:
    """What the Pièces tab shows for a kind: the abbreviation buyers use with its meaning
    ("RC — Règlement de la consultation"), else the French label ("Cadre de réponse technique",
    "Autre pièce"), never the stored code (CADRE_REPONSE, AUTRE)."""
    try:
        member = PieceKind(kind)
    except ValueError:
        return str(kind)
    full, short = PIECE_KIND_LABELS[member], short_piece_label(member)
    if short.isupper():  # RC, CCAP, DC1…
        return full if short in full else f"{short} — {full}"
    return max(full, short, key=len)


class KindDelegate(QStyledItemDelegate):
    """The piece kind is edited with a list built only when the user edits (cheap tables)."""

    def createEditor(
        self, parent: QWidget, _option: QStyleOptionViewItem, _index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(self.tr("Type de pièce"))
        for kind in PieceKind:
            combo.addItem(piece_kind_text(kind), kind.value)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.UserRole))))

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, QComboBox)
        kind = editor.currentData()
        if kind != index.data(Qt.ItemDataRole.UserRole):
            model.setData(index, kind, Qt.ItemDataRole.UserRole)
            model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)


class PiecesTab(QWidget):
    kind_changed = Signal(str, str)  # path, kind
    page_requested = Signal(str, object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.table = _table(
            [self.tr("Pièce"), self.tr("Type"), self.tr("Pages"), self.tr("OCR"), self.tr("Non lu")],
            0,
            {1: 300, 2: 60, 3: 90, 4: 300},
        )
        self.table.setAccessibleName(self.tr("Pièces du DCE"))
        self.table.setItemDelegateForColumn(1, KindDelegate(self.table))
        self.table.setEditTriggers(
            QTableWidget.EditTrigger.DoubleClicked
            | QTableWidget.EditTrigger.SelectedClicked
            | QTableWidget.EditTrigger.EditKeyPressed
        )
        self.table.cellDoubleClicked.connect(self._open)
        self.table.itemChanged.connect(self._item_changed)
        lay.addWidget(self.table, 1)
        hint = QLabel(
            self.tr(
                "Double-cliquez sur une pièce pour lire ses pages ; double-cliquez sur son type "
                "pour le changer (F2 au clavier)."
            )
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.pieces: list[PieceRow] = []
        self._filling = False

    def set_pieces(self, pieces: list[PieceRow]) -> None:
        self._filling = True
        self.pieces = pieces
        self.table.setRowCount(len(pieces))
        unread = sum(1 for p in pieces if p.unread_reason or p.error)
        ocr = sum(1 for p in pieces if p.needs_ocr)
        has_rc = any(p.kind == PieceKind.RC.value for p in pieces)
        text = self.tr("%d pièces · %d non lues · %d avec des pages à passer en OCR") % (
            len(pieces),
            unread,
            ocr,
        )
        if pieces and not has_rc:
            text += self.tr(" · ⚠ aucun règlement de la consultation (RC) trouvé")
        self.summary.setText(text)
        for i, p in enumerate(pieces):
            name = QTableWidgetItem(p.path)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(i, 0, name)
            kind = QTableWidgetItem(piece_kind_text(p.kind))
            kind.setData(Qt.ItemDataRole.UserRole, p.kind)
            kind.setToolTip(
                self.tr("Double-cliquez pour changer le type")
                + (self.tr(" (modifié à la main)") if p.kind_manual else "")
            )
            self.table.setItem(i, 1, kind)
            for col, text_ in (
                (2, "" if p.pages is None else str(p.pages)),
                (3, self.tr("%d page(s)") % p.ocr_pages if p.needs_ocr else ""),
                (4, p.error or p.unread_reason or ""),
            ):
                item = QTableWidgetItem(text_)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if col == 3:
                    item.setForeground(WARN)
                self.table.setItem(i, col, item)
        self._filling = False

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 1 or not 0 <= item.row() < len(self.pieces):
            return
        kind = item.data(Qt.ItemDataRole.UserRole)
        piece = self.pieces[item.row()]
        if kind and kind != piece.kind:
            self.pieces[item.row()] = replace(piece, kind=PieceKind(kind))
            self.kind_changed.emit(piece.path, kind)

    def _open(self, row: int, col: int) -> None:
        if col != 1 and 0 <= row < len(self.pieces) and self.pieces[row].pages:
            self.page_requested.emit(self.pieces[row].path, 1, "")


VERDICTS = {
    "ok": ("✔ OK", GOOD),
    "a_verifier": ("? À vérifier", WARN),
    "bloquant": ("✖ Bloquant", BAD),
    "go": ("GO", GOOD),
    "go_sous_reserve": ("GO sous réserve", WARN),
    "no_go": ("NO GO", BAD),
}


def verdict_text(value: str) -> tuple[str, object]:
    key = value.lower().replace("-", "_").replace(" ", "_").replace("à", "a")
    return VERDICTS.get(key, (value, WARN))


class GoNoGoTab(QWidget):
    source_requested = Signal(str, object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.overall = QLabel()
        self.overall.setWordWrap(True)
        self.overall.setStyleSheet("font-size: 18px; font-weight: 600")
        self.overall.setAccessibleName(self.tr("Verdict global"))
        lay.addWidget(self.overall)
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setAccessibleName(self.tr("Raisons du verdict"))
        lay.addWidget(self.reasons)
        self.table = _table(
            [self.tr("Contrôle"), self.tr("Verdict"), self.tr("Détail"), self.tr("Source")],
            2,
            {0: 200, 1: 130, 3: 260},
        )
        self.table.setAccessibleName(self.tr("Contrôles Go/No-Go"))
        # Each row as tall as its text in the columns' current widths: the result is often set while
        # the tab is hidden (narrow columns), and rows sized then stayed ~150 px tall once shown.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellClicked.connect(self._clicked)
        lay.addWidget(self.table, 1)
        self.checks: list[CheckRow] = []

    def set_result(self, overall: str, checks: list[CheckRow]) -> None:
        self.checks = checks
        verdict, _sep, reasons = overall.partition(" — ")
        text, color = verdict_text(verdict)
        self.overall.setText(self.tr("Verdict : %s") % text if overall else "")
        self.reasons.setText(reasons)
        self.overall.setStyleSheet(f"font-size: 18px; font-weight: 600; color: {color.name()}")  # type: ignore[attr-defined]
        self.table.setRowCount(len(checks))
        for i, c in enumerate(checks):
            self.table.setItem(i, 0, QTableWidgetItem(c.label))
            vt, vc = verdict_text(c.verdict)
            item = QTableWidgetItem(vt)
            item.setForeground(vc)  # type: ignore[arg-type]
            self.table.setItem(i, 1, item)
            self.table.setItem(i, 2, QTableWidgetItem(c.detail))
            self.table.setItem(i, 3, _link_item(c.source))

    def show_message(self, message: str) -> None:
        self.overall.setText(message)
        self.overall.setStyleSheet("")
        self.reasons.clear()
        self.table.setRowCount(0)

    def _clicked(self, row: int, col: int) -> None:
        if col == 3 and 0 <= row < len(self.checks) and self.checks[row].file:
            c = self.checks[row]
            self.source_requested.emit(c.file, c.page, c.quote)


COVERAGE = {
    "couverte": ("Couverte", GOOD),
    "covered": ("Couverte", GOOD),
    "partielle": ("Partielle", WARN),
    "partial": ("Partielle", WARN),
    "non_couverte": ("Non couverte", BAD),
    "missing": ("Non couverte", BAD),
    "uncovered": ("Non couverte", BAD),
}


class ExigencesTab(QWidget):
    source_requested = Signal(str, object, str)
    move_requested = Signal(str, str)  # requirement text, section key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Couverture :")))
        self.filter = QComboBox()
        self.filter.setAccessibleName(self.tr("Filtrer par couverture"))
        for label, data in (
            (self.tr("Toutes"), ""),
            (self.tr("Couvertes"), "Couverte"),
            (self.tr("Partielles"), "Partielle"),
            (self.tr("Non couvertes"), "Non couverte"),
        ):
            self.filter.addItem(label, data)
        self.filter.currentIndexChanged.connect(lambda _i: self._apply())
        row.addWidget(self.filter)
        self.stats = QLabel()
        self.stats.setWordWrap(True)
        row.addWidget(self.stats, 1)
        lay.addLayout(row)
        self.table = _table(
            [self.tr("Exigence"), self.tr("Couverture"), self.tr("Section du mémoire"), self.tr("Source")],
            0,
            {1: 110, 2: 280, 3: 240},
        )
        self.table.setAccessibleName(self.tr("Matrice des exigences"))
        self.table.setWordWrap(False)
        self.table.cellClicked.connect(self._clicked)
        lay.addWidget(self.table, 1)
        # A requirement put under the wrong section moves to the one that answers it.
        move = QHBoxLayout()
        move.addWidget(QLabel(self.tr("Traiter l'exigence sélectionnée dans la section :")))
        self.target = QComboBox()
        self.target.setAccessibleName(self.tr("Section où traiter l'exigence"))
        move.addWidget(self.target, 1)
        self.move_button = QPushButton(self.tr("Déplacer"))
        self.move_button.clicked.connect(self._move)
        move.addWidget(self.move_button)
        lay.addLayout(move)
        self.rows: list[RequirementRow] = []
        self.shown: list[RequirementRow] = []

    def set_sections(self, sections: list[tuple[str, str]]) -> None:
        """(key, label) of the mémoire's sections, in order."""
        self.target.clear()
        for key, label in sections:
            self.target.addItem(label, key)

    def _move(self) -> None:
        row = self.table.currentRow()
        key = self.target.currentData()
        if 0 <= row < len(self.shown) and key:
            self.move_requested.emit(self.shown[row].text, str(key))

    def set_rows(self, rows: list[RequirementRow]) -> None:
        self.rows = rows
        self._apply()

    def show_message(self, message: str) -> None:
        self.rows = []
        self._apply()
        self.stats.setText(message)

    def _apply(self) -> None:
        wanted = self.filter.currentData() or ""
        labelled = [
            (r, COVERAGE.get(r.coverage.lower().replace(" ", "_"), (r.coverage, WARN))) for r in self.rows
        ]
        shown = [(r, lc) for r, lc in labelled if not wanted or lc[0] == wanted]
        self.shown = [r for r, _ in shown]
        counts = {
            k: sum(1 for _r, lc in labelled if lc[0] == k) for k in ("Couverte", "Partielle", "Non couverte")
        }
        self.stats.setText(
            self.tr("%d exigences : %d couvertes, %d partielles, %d non couvertes")
            % (len(self.rows), counts["Couverte"], counts["Partielle"], counts["Non couverte"])
        )
        self.table.setRowCount(len(shown))
        for i, (r, (label, color)) in enumerate(shown):
            # One line per requirement (full text in the tooltip): fast on long matrices.
            text_item = QTableWidgetItem(" ".join(r.text.split()))
            text_item.setToolTip(r.text)
            self.table.setItem(i, 0, text_item)
            item = QTableWidgetItem(self.tr(label))
            item.setForeground(color)
            self.table.setItem(i, 1, item)
            section = QTableWidgetItem(r.section)
            section.setToolTip(r.section)  # one line too: the whole title on hover
            self.table.setItem(i, 2, section)
            src = f"{r.file}, p. {r.page}" if r.file and r.page else (r.file or "")
            self.table.setItem(i, 3, _link_item(src))

    def _clicked(self, row: int, col: int) -> None:
        if col == 3 and 0 <= row < len(self.shown) and self.shown[row].file:
            r = self.shown[row]
            self.source_requested.emit(r.file, r.page, r.text)


EXPORT_LABELS = {
    "memoire.docx": "Mémoire technique (DOCX)",
    "dc1.docx": "DC1 — Lettre de candidature",
    "dc2.docx": "DC2 — Déclaration du candidat",
    "matrice.xlsx": "Matrice des exigences (XLSX)",
    "checklist.docx": "Liste des pièces à remettre",
    "dossier_de_remise.zip": "Dossier de remise (ZIP à déposer)",
    "annexe_reponses_non_placees.docx": "Réponses à reporter à la main dans le cadre",
    "valeurs_acte_engagement.docx": "Valeurs à recopier dans l'acte d'engagement",
}


class DocumentsTab(QWidget):
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder: Path | None = None
        lay = QVBoxLayout(self)
        info = QLabel(
            self.tr(
                "Produisez les documents de votre réponse : mémoire technique (DOCX), DC1, DC2, DC4, "
                "matrice des exigences (XLSX), liste des pièces à remettre, et les documents de l'acheteur "
                "remplis sous leur nom d'origine (cadre de réponse, acte d'engagement, bordereaux de prix "
                "de l'onglet Prix), rangés dans un dossier de remise et son ZIP. Ce qui est saisi dans "
                "le mémoire est enregistré avant l'export ; les pièces à signer restent à signer par vous."
            )
        )
        info.setWordWrap(True)
        lay.addWidget(info)
        row = QHBoxLayout()
        self.export_button = QPushButton(self.tr("Exporter les documents"))
        self.export_button.setAccessibleName(self.tr("Exporter tous les documents de la réponse"))
        self.export_button.clicked.connect(self.export_requested)
        open_b = QPushButton(self.tr("Ouvrir le dossier d'export"))
        open_b.clicked.connect(self.open_folder)
        row.addWidget(self.export_button)
        row.addWidget(open_b)
        row.addStretch()
        lay.addLayout(row)
        lay.addWidget(QLabel(self.tr("<b>Fichiers produits</b> (double-clic pour ouvrir)")))
        self.files = QListWidget()
        self.files.setAccessibleName(self.tr("Fichiers produits"))
        self.files.itemDoubleClicked.connect(self._open_file)
        lay.addWidget(self.files, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)

    def set_folder(self, folder: Path) -> None:
        self.folder = folder
        self.files.clear()
        self.status.clear()
        if folder.is_dir():
            for f in sorted(folder.iterdir()):
                if f.is_file() and not f.name.startswith("."):
                    self.add_file(f)

    def add_file(self, path: Path) -> None:
        for i in range(self.files.count()):
            item = self.files.item(i)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == str(path):
                return
        label = EXPORT_LABELS.get(path.name)
        item = QListWidgetItem(f"{self.tr(label)} — {path.name}" if label else path.name)
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        item.setToolTip(str(path))
        self.files.addItem(item)

    def open_folder(self) -> None:
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def _open_file(self, item: QListWidgetItem) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(item.data(Qt.ItemDataRole.UserRole)))
