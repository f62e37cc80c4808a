"""Synthèse: every field of the analysis with its source, verification state and manual correction;
criteria weights drawn as a bar chart (QPainter: no QtCharts in the Essentials wheel)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QInputDialog,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.analysis import PROCEDURE_LABELS, Analysis, Criterion, Engine, Evidence, lots_label
from app.domain.kinds import REQUIRED_DOCUMENT_LABELS
from ui.style import BAD, GOOD, WARN, fr_date, fr_number

FIELDS: tuple[tuple[str, str], ...] = (
    ("object", "Objet"),
    ("buyer", "Acheteur"),
    ("reference", "Référence"),
    ("procedure", "Procédure"),
    ("deadline", "Date limite de remise des offres"),
    ("questions_deadline", "Date limite des questions"),
    ("site_visit", "Visite de site"),
    ("lots", "Lots"),
    ("variants_allowed", "Variantes autorisées"),
    ("pse_allowed", "Prestations supplémentaires éventuelles (PSE)"),
    ("offer_validity_days", "Validité des offres"),
    ("memoire_page_limit", "Limite de pages du mémoire"),
    ("required_documents", "Pièces à remettre"),
    ("criteria", "Critères de jugement"),
)
INT_FIELDS = {"offer_validity_days", "memoire_page_limit"}
BOOL_FIELDS = {"variants_allowed", "pse_allowed"}
VISIT = {"mandatory": "Obligatoire", "optional": "Facultative", "none": "Aucune"}


def display_value(analysis: Analysis, name: str) -> str:
    value: Any = getattr(analysis, name)
    if name == "lots" and value == [] and "lots" in analysis.evidence:
        return "Marché non alloti"  # read in the DCE, as the CLI's fiche says it
    if value is None or value == []:
        return "—"
    if name in ("deadline",):
        return fr_date(value)
    if name == "questions_deadline":
        return fr_date(value) if value[:4].isdigit() else str(value)
    if name == "procedure":
        return PROCEDURE_LABELS.get(value, str(value))
    if name == "site_visit":
        text = VISIT.get(str(getattr(value, "value", value)), str(value))
        return f"{text} — {fr_date(analysis.site_visit_date)}" if analysis.site_visit_date else text
    if name == "lots":
        return "\n".join(f"Lot {lot.number} : {lot.title}" for lot in value)
    if name in BOOL_FIELDS:
        return "Oui" if value else "Non"
    if name == "offer_validity_days":
        return f"{value} jours"
    if name == "memoire_page_limit":
        return f"{value} pages"
    if name == "required_documents":
        return "\n".join(REQUIRED_DOCUMENT_LABELS.get(d, str(d)) for d in value)
    if name == "criteria":
        out: list[str] = []
        for numbers, criteria in analysis.criteria_groups():
            indent = "    " if numbers else ""
            if numbers:
                out.append(f"{lots_label(numbers)} :")
            out.extend(
                f"{indent}{c.name} : {fr_number(c.weight_percent, 0) + ' %' if c.weight_percent is not None else 'sans pondération'}"
                for c in criteria
            )
        return "\n".join(out)
    return str(value)


def source_text(ev: Evidence | None) -> str:
    if ev is None:
        return ""
    return f"{ev.file}, p. {ev.page}" if ev.page else ev.file


class CriteriaChart(QWidget):
    """Horizontal bars: each criterion's weight, sub-criteria indented under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, float | None, int]] = []
        self.setMinimumHeight(120)
        self.setAccessibleName(self.tr("Pondération des critères"))

    def set_criteria(self, criteria: list[Criterion]) -> None:
        self.rows = []
        for c in criteria:
            self.rows.append((c.name, c.weight_percent, 0))
            for s in c.subcriteria:
                self.rows.append((s.name, s.weight_percent, 1))
        self.setMinimumHeight(max(120, 28 * len(self.rows) + 20))
        self.setAccessibleDescription(
            "; ".join(f"{n} {w if w is not None else 'sans pondération'} %" for n, w, _l in self.rows)
        )
        self.update()

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        if not self.rows:
            p.setPen(pal.placeholderText().color())
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Aucun critère trouvé"))
            p.end()
            return
        label_w = min(360.0, self.width() * 0.45)
        bar_x = label_w + 16
        bar_w = max(40.0, self.width() - bar_x - 70)
        colors = [QColor("#2f6fd0"), QColor("#7aa7eb")]
        y = 10.0
        for name, weight, level in self.rows:
            font = QFont(self.font())
            font.setBold(level == 0)
            p.setFont(font)
            p.setPen(pal.text().color())
            indent = 16.0 * level
            metrics = p.fontMetrics()
            p.drawText(
                QRectF(indent, y, label_w - indent, 22),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(label_w - indent)),
            )
            if weight is not None:
                w = bar_w * max(0.0, min(weight, 100.0)) / 100.0
                p.fillRect(QRectF(bar_x, y + 3, w, 16), QBrush(colors[level]))
                p.drawText(
                    QRectF(bar_x + w + 6, y, 64, 22),
                    Qt.AlignmentFlag.AlignVCenter,
                    f"{fr_number(weight, 1 if weight % 1 else 0)} %",
                )
            else:
                p.setPen(pal.placeholderText().color())
                p.drawText(
                    QRectF(bar_x, y, bar_w, 22), Qt.AlignmentFlag.AlignVCenter, self.tr("sans pondération")
                )
            y += 28
        p.end()


class SyntheseTab(QWidget):
    source_requested = Signal(str, object, str)  # file, page, quote
    correction_requested = Signal(str, object)  # field, value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.analysis: Analysis | None = None
        lay = QVBoxLayout(self)
        self.info = QLabel(
            self.tr(
                "Cliquez sur une source pour ouvrir la page, citation surlignée. "
                "Double-cliquez sur une valeur pour la corriger : la correction est gardée "
                "même si l'analyse est relancée."
            )
        )
        self.info.setWordWrap(True)
        self.info.setObjectName("muted")
        lay.addWidget(self.info)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #b26a00")
        lay.addWidget(self.warnings)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Champ"), self.tr("Valeur"), self.tr("Source"), self.tr("État")]
        )
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(2, 260)
        self.table.setColumnWidth(3, 120)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName(self.tr("Fiche de synthèse"))
        self.table.cellClicked.connect(self._clicked)
        self.table.cellDoubleClicked.connect(self._double_clicked)
        split.addWidget(self.table)
        chart_box = QWidget()
        cl = QVBoxLayout(chart_box)
        cl.addWidget(QLabel(self.tr("<b>Critères de jugement et pondérations</b>")))
        self.chart = CriteriaChart()
        cl.addWidget(self.chart, 1)
        split.addWidget(chart_box)
        split.setSizes([420, 220])
        lay.addWidget(split, 1)

    def _show_warnings(self, text: str) -> None:
        """No warning: no empty line between the hint and the table."""
        self.warnings.setText(text)
        self.warnings.setVisible(bool(text))

    def set_analysis(self, analysis: Analysis | None) -> None:
        self.analysis = analysis
        if analysis is None:
            self.table.setRowCount(0)
            self.chart.set_criteria([])
            self._show_warnings(self.tr("Pas encore d'analyse : lancez-la depuis l'en-tête."))
            return
        self._show_warnings("\n".join(analysis.warnings))
        self.table.setRowCount(len(FIELDS))
        for row, (name, label) in enumerate(FIELDS):
            ev = analysis.evidence.get(name)
            if name == "criteria" and ev is None and analysis.criteria:
                ev = analysis.criteria[0].evidence
            self.table.setItem(row, 0, QTableWidgetItem(self.tr(label)))
            value = QTableWidgetItem(display_value(analysis, name))
            value.setToolTip(self.tr("Double-cliquez pour corriger"))
            self.table.setItem(row, 1, value)
            src = QTableWidgetItem(source_text(ev).rsplit("/", 1)[-1])
            if ev is not None:
                src.setForeground(self.palette().link())
                font = src.font()
                font.setUnderline(True)
                src.setFont(font)
                src.setToolTip(f"« {ev.quote} »")
            self.table.setItem(row, 2, src)
            doubtful = analysis.doubtful(name)
            state = QTableWidgetItem(self._state(ev, getattr(analysis, name), doubtful))
            color = (
                GOOD if ev is not None and ev.verified and not doubtful else WARN if ev is not None else BAD
            )
            if ev is not None and ev.engine == Engine.MANUAL:
                color = GOOD
            if getattr(analysis, name) in (None, []) and ev is None:
                color = self.palette().placeholderText().color()
            state.setForeground(color)
            self.table.setItem(row, 3, state)
        self.table.resizeRowsToContents()
        self.chart.set_criteria(analysis.criteria)

    def _state(self, ev: Evidence | None, value: object, doubtful: bool = False) -> str:
        if value in (None, []) and ev is None:
            return self.tr("Non trouvé")
        if ev is None:
            return self.tr("Sans source")
        if ev.engine == Engine.MANUAL:
            return self.tr("Corrigé à la main")
        if doubtful:
            return self.tr("⚠ À vérifier")
        return self.tr("Vérifié") if ev.verified else self.tr("⚠ Non vérifié")

    def evidence_for(self, name: str) -> Evidence | None:
        if self.analysis is None:
            return None
        ev = self.analysis.evidence.get(name)
        if ev is None and name == "criteria" and self.analysis.criteria:
            ev = self.analysis.criteria[0].evidence
        return ev

    def open_source(self, name: str) -> bool:
        ev = self.evidence_for(name)
        if ev is None:
            return False
        self.source_requested.emit(ev.file, ev.page, ev.quote)
        return True

    def _clicked(self, row: int, col: int) -> None:
        if col == 2 and 0 <= row < len(FIELDS):
            self.open_source(FIELDS[row][0])

    def _double_clicked(self, row: int, col: int) -> None:
        if col != 1 or self.analysis is None or not 0 <= row < len(FIELDS):
            return
        name, label = FIELDS[row]
        if name in ("lots", "required_documents", "criteria", "procedure", "site_visit"):
            self.info.setText(self.tr("Ce champ se corrige depuis sa source : utilisez les onglets dédiés."))
            return
        current = getattr(self.analysis, name)
        text, ok = QInputDialog.getText(
            self, self.tr("Corriger"), self.tr(label) + " :", text="" if current is None else str(current)
        )
        if ok:
            self.request_correction(name, text)

    def request_correction(self, name: str, text: str) -> None:
        value: object = text.strip() or None
        if name in INT_FIELDS and value is not None:
            digits = "".join(ch for ch in str(value) if ch.isdigit())
            value = int(digits) if digits else None
        if name in BOOL_FIELDS and value is not None:
            value = str(value).lower() in ("oui", "o", "true", "1", "yes")
        self.correction_requested.emit(name, value)
