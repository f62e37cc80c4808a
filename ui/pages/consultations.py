"""Consultations: list with search and status filter; import by button or by drop anywhere."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.rows import ConsultationRow
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
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setAccessibleName(self.tr("Liste des consultations"))
        self.table.cellActivated.connect(self._open)
        self.table.cellDoubleClicked.connect(self._open)
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
        self.ctx.runner.run(
            self.tr("Liste des consultations"),
            lambda _c: backend.consultations(query, status),
            on_success=self._fill,
            on_failure=self.empty.setText,
        )

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

    def _open(self, row: int, _col: int = 0) -> None:
        if 0 <= row < len(self.rows):
            self.open_requested.emit(self.rows[row].uuid)
