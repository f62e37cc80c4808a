"""Consultations: list with search and status filter; import by button or by drop anywhere."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.rows import ConsultationRow
from app.services import consultations as consultations_svc
from ui.context import AppContext
from ui.pages.dashboard import STATUSES
from ui.style import countdown, fr_date
from ui.widgets import title_label


class ConsultationsPage(QWidget):
    open_requested = Signal(str)
    import_requested = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(title_label(self.tr("Consultations")))
        head.addStretch()
        imp = QPushButton(self.tr("Importer un DCE…"))
        imp.setToolTip(self.tr("Ou déposez un ZIP, un dossier ou des fichiers n'importe où (Ctrl+O)"))
        imp.clicked.connect(self.import_requested)
        head.addWidget(imp)
        lay.addLayout(head)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Rechercher (objet, acheteur, référence, texte des pièces)…"))
        self.search.setAccessibleName(self.tr("Rechercher une consultation"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Filtrer par statut"))
        self.status.addItem(self.tr("Tous les statuts"), "")
        for key, label in STATUSES.items():
            self.status.addItem(self.tr(label), key)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status)
        lay.addLayout(filters)
        # Imports that stopped before committing (app killed, crash, cancel): Reprendre / Supprimer.
        self.interrupted_box = QFrame()
        self.interrupted_box.setObjectName("card")
        self.interrupted_lay = QVBoxLayout(self.interrupted_box)
        self.interrupted_box.hide()
        lay.addWidget(self.interrupted_box)
        self.interrupted: list[ConsultationRow] = []
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Objet"),
                self.tr("Acheteur"),
                self.tr("Référence"),
                self.tr("Remise des offres"),
                self.tr("Statut"),
            ]
        )
        # The object takes what is left; the buyer wraps in a fixed width; reference, deadline and status
        # are as wide as their text (a deadline cut to "juillet 2027 à…" would hide the one date that matters).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(1, 240)
        for col in (2, 3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setAccessibleName(self.tr("Liste des consultations"))
        self.table.cellActivated.connect(self._open)
        self.table.cellDoubleClicked.connect(self._open)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        lay.addWidget(self.table, 1)
        self.empty = QLabel(
            self.tr(
                "Aucune consultation. Déposez le ZIP d'un DCE n'importe où dans la fenêtre pour l'importer."
            )
        )
        self.empty.setObjectName("muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        lay.addWidget(self.empty)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.status.currentIndexChanged.connect(lambda _i: self.refresh())
        self.rows: list[ConsultationRow] = []

    def refresh(self) -> None:
        query, status = self.search.text().strip(), self.status.currentData() or ""
        backend = self.ctx.backend

        def load(_c: Any) -> tuple[list[ConsultationRow], list[ConsultationRow]]:
            rows = backend.consultations(query, status)
            stopped = [
                r
                for r in consultations_svc.list_consultations(backend.require_store())
                if consultations_svc.is_interrupted(r)
            ]
            return rows, stopped

        self.ctx.runner.run(
            self.tr("Liste des consultations"),
            load,
            on_success=self._fill_all,
            on_failure=self.empty.setText,
        )

    def _fill_all(self, result: tuple[list[ConsultationRow], list[ConsultationRow]]) -> None:
        rows, stopped = result
        self._fill_interrupted(stopped)
        stopped_ids = {r.uuid for r in stopped}
        self._fill([r for r in rows if r.uuid not in stopped_ids])

    def _fill_interrupted(self, stopped: list[ConsultationRow]) -> None:
        self.interrupted = stopped
        while self.interrupted_lay.count():
            item = self.interrupted_lay.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for row in stopped:
            line = QWidget()
            h = QHBoxLayout(line)
            h.setContentsMargins(0, 0, 0, 0)
            label = QLabel(
                self.tr("Import interrompu : {title} ({n} pièce(s) déjà lues)").format(
                    title=row.title, n=row.pieces
                )
            )
            label.setWordWrap(True)
            h.addWidget(label, 1)
            resume = QPushButton(self.tr("Reprendre"))
            resume.setAccessibleName(self.tr("Reprendre l'import de {title}").format(title=row.title))
            resume.clicked.connect(lambda _=False, u=row.uuid: self.resume_import(u))
            delete = QPushButton(self.tr("Supprimer"))
            delete.setAccessibleName(
                self.tr("Supprimer l'import interrompu de {title}").format(title=row.title)
            )
            delete.clicked.connect(lambda _=False, u=row.uuid: self.delete_import(u))
            h.addWidget(resume)
            h.addWidget(delete)
            self.interrupted_lay.addWidget(line)
        self.interrupted_box.setVisible(bool(stopped))

    def resume_import(self, uuid: str) -> None:
        store = self.ctx.backend.require_store()
        self.ctx.runner.run(
            self.tr("Reprise de l'import"),
            lambda c: consultations_svc.resume_import(store, uuid, progress=c.progress, cancel=c.cancel),
            on_success=lambda _r: self.refresh(),
            on_failure=self._show_error,
        )

    def delete_import(self, uuid: str) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Supprimer l'import interrompu"),
            self.tr(
                "Supprimer cette consultation et les pièces déjà lues ? Les fichiers d'origine, sur votre "
                "ordinateur, ne sont pas touchés."
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        store = self.ctx.backend.require_store()
        self.ctx.runner.run(
            self.tr("Suppression de l'import interrompu"),
            lambda _c: consultations_svc.delete_import(store, uuid),
            on_success=lambda _r: self.refresh(),
            on_failure=self._show_error,
        )

    def _show_error(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Import interrompu"), message)

    def _fill(self, rows: list[ConsultationRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            deadline = fr_date(r.deadline)
            if r.deadline:
                deadline += f" ({countdown(r.deadline)})"
            for col, text in enumerate(
                (
                    r.title,
                    r.buyer or "",
                    r.reference or "",
                    deadline,
                    self.tr(STATUSES.get(r.status, r.status)),
                )
            ):
                self.table.setItem(i, col, QTableWidgetItem(text))
        self.empty.setVisible(not rows)
        if not rows:
            self.empty.setText(
                self.tr(
                    "Aucune consultation. Déposez le ZIP d'un DCE n'importe où dans la fenêtre pour l'importer."
                )
            )

    # --- status from the list (right click) ------------------------------------------------
    def row_menu(self, row: int) -> QMenu | None:
        """The menu of one row: open it, or set its status (French labels only)."""
        if not 0 <= row < len(self.rows):
            return None
        consultation = self.rows[row]
        menu = QMenu(self)
        menu.addAction(self.tr("Ouvrir"), lambda: self.open_requested.emit(consultation.uuid))
        statuses = menu.addMenu(self.tr("Statut"))
        for key, label in STATUSES.items():
            action = statuses.addAction(self.tr(label))
            action.setCheckable(True)
            action.setChecked(key == consultation.status)
            action.triggered.connect(lambda _=False, k=key: self.set_status(consultation.uuid, k))
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.row_menu(self.table.rowAt(pos.y()))
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def set_status(self, uuid: str, status: str) -> None:
        backend = self.ctx.backend
        self.ctx.runner.run(
            self.tr("Statut"),
            lambda _c: backend.set_status(uuid, status),
            on_success=lambda _r: self.refresh(),
            on_failure=lambda m: QMessageBox.warning(self, self.tr("Statut"), m),
        )

    def _open(self, row: int, _col: int = 0) -> None:
        if 0 <= row < len(self.rows):
            self.open_requested.emit(self.rows[row].uuid)
