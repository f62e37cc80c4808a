"""The Prix tab: the buyer's price schedules (BPU, DPGF, DQE) as a grid where the user types unit or
lump-sum prices, kept in the encrypted store at once; our total and the lines still without a price.
Calls the typed `app.services.prices` functions on the store's worker (never on the UI thread)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import numbers
from app.export.schedule import PriceLine, euros, parse_euros
from app.services import consultations as consultations_service
from app.services import lots as lots_service
from app.services import prices as prices_service
from app.services.prices import ScheduleView
from ui.operations import OperationRunner

COLUMNS = ("Désignation", "Unité", "Quantité", "Colonne de prix", "Prix € HT", "Montant € HT")
PRICE_COL = 4


def quantity_text(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if not float(value).is_integer() else f"{int(value):,}"
    return text.replace(",", "\u202f").replace(".", ",")


def value_text(line: PriceLine, value: float | None) -> str:
    """A price in euros; a value the buyer asks besides the prices in its own unit ("2 %", "0,98")."""
    if value is None:
        return ""
    if line.entry and "€" not in line.unit:
        return numbers.percent(value) if line.unit == "%" else numbers.number(value)
    return euros(value)


class PrixTab(QWidget):
    message = Signal(str, str)  # text, level ("info" or "error")

    def __init__(
        self, runner: OperationRunner, store: Callable[[], Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.store = store
        self.uuid = ""
        self.views: list[ScheduleView] = []
        self._filling = False
        lay = QVBoxLayout(self)
        self.lots_row = QHBoxLayout()
        self.lots_label = QLabel(self.tr("Lots auxquels vous répondez :"))
        self.lots_row.addWidget(self.lots_label)
        self.lot_boxes: list[QCheckBox] = []
        self.lots_row.addStretch()
        lay.addLayout(self.lots_row)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Bordereau :")))
        self.choice = QComboBox()
        self.choice.setAccessibleName(self.tr("Bordereau de prix de l'acheteur"))
        self.choice.currentIndexChanged.connect(self._show)
        top.addWidget(self.choice, 1)
        self.reuse = QPushButton(self.tr("Reprendre les prix d'une autre consultation…"))
        self.reuse.clicked.connect(self._reuse)
        top.addWidget(self.reuse)
        lay.addLayout(top)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName(self.tr("Lignes du bordereau"))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.itemChanged.connect(self._edited)
        lay.addWidget(self.table, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        hint = QLabel(
            self.tr(
                "Saisissez les prix en euros HT (ex. 1 234,50). Ils sont écrits à l'export dans une copie du "
                "bordereau de l'acheteur : ses formules et sa mise en forme restent les siennes."
            )
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        lay.addWidget(hint)

    # --- loading ----------------------------------------------------------------------------
    def load(self, uuid: str) -> None:
        self.uuid = uuid
        store = self.store()

        def work(_c: object) -> tuple[list[ScheduleView], list[tuple[int, str]], list[int]]:
            analysis = consultations_service.get_analysis(store, uuid)
            lots = [(lot.number, lot.title) for lot in analysis.lots] if analysis else []
            return prices_service.schedules(store, uuid), lots, lots_service.chosen_lots(store, uuid)

        def done(result: tuple[list[ScheduleView], list[tuple[int, str]], list[int]]) -> None:
            views, lots, chosen = result
            self.set_lots(lots, chosen)
            self.set_views(views)

        self.runner.run(
            self.tr("Lecture des bordereaux de prix"),
            work,
            on_success=done,
            on_failure=lambda m: self.summary.setText(m),
        )

    def set_lots(self, lots: list[tuple[int, str]], chosen: list[int]) -> None:
        """One box per lot of the consultation; nothing ticked until the user chooses (DC1)."""
        for box in self.lot_boxes:
            self.lots_row.removeWidget(box)
            box.deleteLater()
        self.lot_boxes = []
        for number, title in lots:
            box = QCheckBox(self.tr("Lot %d") % number)
            box.setToolTip(title)
            box.setChecked(number in chosen)
            box.setProperty("lot", number)
            box.toggled.connect(self._lots_changed)
            self.lots_row.insertWidget(self.lots_row.count() - 1, box)
            self.lot_boxes.append(box)
        self.lots_label.setVisible(bool(lots))

    def chosen_lots(self) -> list[int]:
        return [int(b.property("lot")) for b in self.lot_boxes if b.isChecked()]

    def _lots_changed(self, _checked: bool) -> None:
        store, uuid, lots = self.store(), self.uuid, self.chosen_lots()
        self.runner.run(
            self.tr("Choix des lots"),
            lambda _c: lots_service.choose_lots(store, uuid, lots),
            on_failure=lambda m: self.message.emit(m, "error"),
        )

    def set_views(self, views: list[ScheduleView]) -> None:
        self.views = views
        self.choice.blockSignals(True)
        self.choice.clear()
        for v in views:
            kind = v.schedule.kind or self.tr("bordereau")
            self.choice.addItem(f"{kind} — {v.file_name}")
        self.choice.blockSignals(False)
        self.reuse.setEnabled(bool(views))
        if not views:
            self.table.setRowCount(0)
            self.summary.setText(self.tr("Aucun bordereau de prix Excel (BPU, DPGF, DQE) dans ce DCE."))
            return
        self._show(0)

    def current(self) -> ScheduleView | None:
        i = self.choice.currentIndex()
        return self.views[i] if 0 <= i < len(self.views) else None

    def _show(self, _index: int) -> None:
        view = self.current()
        if view is None:
            return
        self._filling = True
        lines = view.schedule.lines
        several_sheets = len({line.sheet for line in lines}) > 1
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            price = view.price(line)
            cells = (
                f"{line.sheet} — {line.designation}" if several_sheets else line.designation,
                line.unit or "—",
                quantity_text(line.quantity),
                line.price_label,
                value_text(line, price),
                euros(line.total(price)) if line.total(price) is not None else "—",
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col != PRICE_COL:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if col >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if col == 0 and line.section:
                    item.setToolTip(line.section)
                self.table.setItem(row, col, item)
        self._filling = False
        self._summarize(view)

    def _summarize(self, view: ScheduleView) -> None:
        totals = view.totals()
        missing = len(totals.missing)
        parts = []
        if view.schedule.has_quantities:
            parts.append(self.tr("Total (somme des lignes) : %s HT") % euros(totals.total))
        priced = [ln for ln in view.schedule.lines if not ln.entry]
        parts.append(self.tr("%d ligne(s) sur %d sans prix") % (missing, len(priced)))
        asked = [ln for ln in view.schedule.lines if ln.entry and view.price(ln) is None]
        if asked:
            # Coefficients, totals to carry over…: the buyer asks them in cells of the prices' colour.
            parts.append(self.tr("%d autre(s) case(s) demandée(s) par l'acheteur à remplir") % len(asked))
        differing = [c for c in totals.lines if c.differs] + [t for t in totals.totals if t.differs]
        if differing:
            parts.append(self.tr("⚠ %d écart(s) avec les formules de l'acheteur") % len(differing))
        self.summary.setText(" · ".join(parts))

    # --- editing ----------------------------------------------------------------------------
    def _edited(self, item: QTableWidgetItem) -> None:
        view = self.current()
        if self._filling or view is None or item.column() != PRICE_COL:
            return
        line = view.schedule.lines[item.row()]
        try:
            price = parse_euros(item.text())
        except ValueError:
            self.message.emit(self.tr("Prix illisible : « %s » (exemple : 1 234,50).") % item.text(), "error")
            self._show(self.choice.currentIndex())
            return
        store, uuid = self.store(), self.uuid
        row = item.row()

        def saved(_result: object) -> None:
            self._filling = True
            item.setText(value_text(line, price))
            total = line.total(price)
            montant = self.table.item(row, PRICE_COL + 1)
            if montant is not None:
                montant.setText(euros(total) if total is not None else "—")
            self._filling = False
            self._summarize(view)

        self.runner.run(
            self.tr("Enregistrement du prix"),
            lambda _c: prices_service.set_prices(store, uuid, view, {line.key: price}),
            on_success=saved,
            on_failure=lambda m: self.message.emit(m, "error"),
        )

    def _reuse(self) -> None:
        store, uuid = self.store(), self.uuid
        rows = [
            r
            for r in self.runner.call(lambda: consultations_service.list_consultations(store))
            if r.uuid != uuid
        ]
        if not rows:
            self.message.emit(self.tr("Aucune autre consultation dont reprendre les prix."), "info")
            return
        labels = [f"{r.title} ({r.reference or r.uuid[:8]})" for r in rows]
        label, ok = QInputDialog.getItem(
            self, self.tr("Reprendre les prix"), self.tr("Consultation d'origine :"), labels, 0, False
        )
        if ok:
            self.reuse_from(rows[labels.index(label)].uuid)

    def reuse_from(self, other: str) -> None:
        store, uuid = self.store(), self.uuid

        def done(count: int) -> None:
            self.message.emit(self.tr("%d prix repris (mêmes désignations).") % count, "info")
            self.load(uuid)

        self.runner.run(
            self.tr("Reprise des prix"),
            lambda _c: prices_service.import_prices(store, uuid, other),
            on_success=done,
            on_failure=lambda m: self.message.emit(m, "error"),
        )
