"""The Sous-traitants tab of a consultation: the sub-contractors declared (one DC4 each at export),
added, edited and removed here; kept in the encrypted store through the Backend, on its worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
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

from app.export.schedule import euros, parse_euros
from ui.widgets import SiretEdit

if TYPE_CHECKING:
    from app.domain.subcontracting import Subcontractor
    from ui.context import AppContext

COLUMNS = ("Raison sociale", "SIRET", "Prestations sous-traitées", "Montant € HT", "Paiement direct")


def siret_text(siret: str) -> str:
    """14 digits → '123 456 789 00012' (SIREN, then the establishment)."""
    digits = "".join(ch for ch in siret if ch.isdigit())
    if len(digits) != 14:
        return siret
    return f"{digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}"


class SubcontractorsTab(QWidget):
    message = Signal(str, str)  # text, level ("info" or "error")
    changed = Signal()  # the list shown was reloaded from the store

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.uuid = ""
        self.rows: list[Subcontractor] = []
        lay = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Les entreprises à qui vous sous-traitez une partie des prestations : une déclaration "
                "DC4 est écrite pour chacune à l'export (à signer par les deux entreprises)."
            )
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setAccessibleName(self.tr("Sous-traitants déclarés"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        lay.addWidget(self.table, 1)

        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Raison sociale du sous-traitant"))
        form.addRow(self.tr("Raison sociale"), self.name)
        self.siret = SiretEdit()
        form.addRow(self.tr("SIRET"), self.siret)
        form.addRow("", self.siret.feedback)
        self.services = QLineEdit()
        self.services.setAccessibleName(self.tr("Prestations sous-traitées"))
        self.services.setPlaceholderText(self.tr("ex. : étanchéité de la toiture"))
        form.addRow(self.tr("Prestations sous-traitées"), self.services)
        self.amount = QLineEdit()
        self.amount.setAccessibleName(self.tr("Montant sous-traité en euros hors taxes"))
        self.amount.setPlaceholderText(self.tr("ex. : 42 500,00"))
        form.addRow(self.tr("Montant € HT"), self.amount)
        self.direct = QCheckBox(self.tr("Paiement direct par l'acheteur"))
        self.direct.setChecked(True)
        form.addRow("", self.direct)
        lay.addLayout(form)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Ajouter"))
        self.add_button.clicked.connect(self.add)
        self.save_button = QPushButton(self.tr("Enregistrer les modifications"))
        self.save_button.clicked.connect(self.save_selected)
        self.remove_button = QPushButton(self.tr("Retirer"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.clear_button = QPushButton(self.tr("Nouveau"))
        self.clear_button.clicked.connect(self.clear_form)
        for b in (self.add_button, self.save_button, self.remove_button, self.clear_button):
            buttons.addWidget(b)
        buttons.addStretch()
        lay.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Message des sous-traitants"))
        lay.addWidget(self.status)
        self._selected()

    # --- loading --------------------------------------------------------------------------
    def load(self, uuid: str) -> None:
        if uuid != self.uuid:
            self.clear_form()  # nothing typed for another consultation is saved into this one
        self.uuid = uuid
        backend = self.ctx.backend
        self.ctx.runner.run(
            self.tr("Sous-traitants"),
            lambda _c: backend.subcontractors(uuid),
            on_success=self.set_rows,
            on_failure=self.status.setText,
        )

    def set_rows(self, rows: list[Subcontractor]) -> None:
        self.rows = list(rows)
        self.table.setRowCount(len(self.rows))
        for r, sub in enumerate(self.rows):
            cells = (
                sub.raison_sociale,
                siret_text(sub.siret),
                sub.prestations,
                euros(sub.montant_ht) if sub.montant_ht is not None else "—",
                self.tr("oui") if sub.paiement_direct else self.tr("non"),
            )
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self._selected()
        self.changed.emit()

    # --- editing --------------------------------------------------------------------------
    def _selected(self) -> None:
        row = self.current()
        self.save_button.setEnabled(row is not None)
        self.remove_button.setEnabled(row is not None)
        if row is None:
            return
        self.name.setText(row.raison_sociale)
        self.siret.setText(siret_text(row.siret))
        self.services.setText(row.prestations)
        self.amount.setText(
            euros(row.montant_ht).replace("\u00a0€", "") if row.montant_ht is not None else ""
        )
        self.direct.setChecked(row.paiement_direct)

    def current(self) -> Subcontractor | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) and self.table.selectedItems() else None

    def clear_form(self) -> None:
        self.table.clearSelection()
        for edit in (self.name, self.siret, self.services, self.amount):
            edit.clear()
        self.direct.setChecked(True)
        self.status.clear()

    def _fields(self) -> dict[str, object] | None:
        """The form's values, or None after saying in French what is wrong."""
        problems: list[str] = []
        if not self.name.text().strip():
            problems.append(self.tr("la raison sociale est vide"))
        if not self.siret.is_valid():
            problems.append(self.tr("SIRET : %s") % (self.siret.feedback.text() or self.tr("à saisir")))
        if not self.services.text().strip():
            problems.append(self.tr("les prestations sous-traitées sont vides"))
        amount: float | None = None
        try:
            amount = parse_euros(self.amount.text())
        except ValueError:
            problems.append(self.tr("montant « %s » non reconnu (ex. : 42 500,00)") % self.amount.text())
        if amount is not None and amount < 0:
            problems.append(self.tr("le montant ne peut pas être négatif"))
        if problems:
            self.status.setText(self.tr("Sous-traitant non enregistré : %s.") % " ; ".join(problems))
            return None
        return {
            "raison_sociale": self.name.text().strip(),
            "siret": self.siret.text(),
            "prestations": self.services.text().strip(),
            "montant_ht": amount,
            "paiement_direct": self.direct.isChecked(),
        }

    def add(self) -> None:
        fields = self._fields()
        if fields is not None:
            self._save(fields, self.tr("Sous-traitant ajouté : une DC4 sera écrite à l'export."))

    def save_selected(self) -> None:
        row = self.current()
        fields = self._fields()
        if row is None or fields is None:
            return
        # The other fields of the declaration (address, representative…) are kept as they were.
        full = {**row.model_dump(), **fields}
        self._save(full, self.tr("Sous-traitant modifié."))

    def _save(self, fields: dict[str, object], done: str) -> None:
        backend, uuid = self.ctx.backend, self.uuid

        def work(_c: object) -> list[Subcontractor]:
            backend.save_subcontractor(uuid, fields)
            return backend.subcontractors(uuid)

        def ok(rows: list[Subcontractor]) -> None:
            self.clear_form()
            self.set_rows(rows)
            self.status.setText(done)

        self.ctx.runner.run(self.tr("Sous-traitant"), work, on_success=ok, on_failure=self.status.setText)

    def remove_selected(self) -> None:
        row = self.current()
        if row is None or row.uuid is None:
            return
        backend, uuid, sub_uuid = self.ctx.backend, self.uuid, row.uuid

        def work(_c: object) -> list[Subcontractor]:
            backend.remove_subcontractor(uuid, sub_uuid)
            return backend.subcontractors(uuid)

        def ok(rows: list[Subcontractor]) -> None:
            self.clear_form()
            self.set_rows(rows)
            self.status.setText(self.tr("Sous-traitant retiré : pas de DC4 pour lui."))

        self.ctx.runner.run(self.tr("Sous-traitant"), work, on_success=ok, on_failure=self.status.setText)
