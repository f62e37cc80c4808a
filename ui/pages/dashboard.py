"""Tableau de bord: consultations by status, next deadlines with countdown, expiring documents."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import ClassVar

from PySide6.QtCore import QDate, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.rows import ConsultationRow, ConsultationStatus
from ui.context import AppContext
from ui.operations import user_message
from ui.style import FRENCH, countdown, fr_date, fr_short_date, parse_when
from ui.widgets import title_label

log = logging.getLogger(__name__)

STATUSES = {s.value: s.label for s in ConsultationStatus}
DEADLINE_KINDS = (
    ("deadline", "Remise des offres"),
    ("questions_deadline", "Questions"),
    ("site_visit_date", "Visite de site"),
)


def _aware(value: str | None) -> datetime | None:
    when = parse_when(value)
    if when is None:
        return None
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, 23, 59)
    return when if when.tzinfo else when.astimezone()


class Timeline(QWidget):
    """The next 60 days with a mark per deadline (colour by kind)."""

    COLORS: ClassVar[dict[str, str]] = {
        "deadline": "#c62828",
        "questions_deadline": "#2f6fd0",
        "site_visit_date": "#b26a00",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.events: list[tuple[datetime, str, str]] = []
        self.setMinimumHeight(90)
        self.setAccessibleName(self.tr("Frise des échéances"))

    def set_events(self, events: list[tuple[datetime, str, str]]) -> None:
        self.events = events
        self.update()

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        now = datetime.now().astimezone()
        span = timedelta(days=60)
        left, right, y = 36.0, self.width() - 36.0, self.height() / 2
        p.setPen(QPen(pal.mid().color(), 2))
        p.drawLine(QPointF(left, y), QPointF(right, y))
        p.setPen(pal.text().color())
        for week in range(0, 61, 7):
            x = left + (right - left) * week / 60
            p.drawLine(QPointF(x, y - 4), QPointF(x, y + 4))
            p.drawText(
                QRectF(x - 40, y + 8, 80, 16),
                Qt.AlignmentFlag.AlignHCenter,
                FRENCH.toString(QDate((now + timedelta(days=week)).date()), "d MMM"),
            )
        for when, kind, title in self.events:
            frac = (when - now) / span
            if not 0 <= frac <= 1:
                continue
            x = left + (right - left) * frac
            p.setBrush(QColor(self.COLORS.get(kind, "#666")))
            p.setPen(Qt.PenStyle.NoPen)
            p.drawEllipse(QPointF(x, y), 6, 6)
            p.setPen(pal.text().color())
            p.drawText(QRectF(x - 60, y - 28, 120, 16), Qt.AlignmentFlag.AlignHCenter, title[:18])
        p.end()


class DashboardPage(QWidget):
    open_requested = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.addWidget(title_label(self.tr("Tableau de bord")))
        self.error = QLabel()
        self.error.setObjectName("muted")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        cards = QGridLayout()
        self.counts: dict[str, QLabel] = {}
        for i, (key, label) in enumerate(STATUSES.items()):
            frame = QFrame()
            frame.setObjectName("card")
            fl = QVBoxLayout(frame)
            num = QLabel("0")
            num.setStyleSheet("font-size: 26px; font-weight: 600")
            num.setAccessibleName(self.tr("Consultations : %s") % label)
            fl.addWidget(num)
            fl.addWidget(QLabel(self.tr(label)))
            self.counts[key] = num
            cards.addWidget(frame, 0, i)
        lay.addLayout(cards)
        lay.addWidget(QLabel(self.tr("<b>Prochaines échéances</b>")))
        self.timeline = Timeline()
        lay.addWidget(self.timeline)
        self.deadlines = QTableWidget(0, 4)
        self.deadlines.setHorizontalHeaderLabels(
            [self.tr("Consultation"), self.tr("Échéance"), self.tr("Date"), self.tr("Reste")]
        )
        self.deadlines.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.deadlines.verticalHeader().hide()
        self.deadlines.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.deadlines.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.deadlines.setAccessibleName(self.tr("Prochaines échéances"))
        self.deadlines.cellDoubleClicked.connect(self._open_row)
        lay.addWidget(self.deadlines, 2)
        row = QHBoxLayout()
        lay.addLayout(row)
        lay.addWidget(QLabel(self.tr("<b>Certifications et attestations qui expirent bientôt</b>")))
        self.expiring = QListWidget()
        self.expiring.setAccessibleName(self.tr("Documents qui expirent"))
        self.expiring.setMaximumHeight(140)
        lay.addWidget(self.expiring, 1)
        self._rows: list[str] = []

    def refresh(self) -> None:
        backend = self.ctx.backend

        def work(_c: object) -> tuple[list[ConsultationRow], list[tuple[str, str]], str]:
            rows = backend.consultations()
            note = ""
            try:
                expiring = backend.expiring(60)
            except Exception as exc:
                log.warning("expiring documents unavailable", exc_info=True)
                expiring, note = [], user_message(exc)
            return rows, expiring, note

        self.ctx.runner.run(
            self.tr("Tableau de bord"),
            work,
            on_success=self._fill,
            on_failure=self.error.setText,
        )

    def _fill(self, data: tuple[list[ConsultationRow], list[tuple[str, str]], str]) -> None:
        rows, expiring, note = data
        self.error.setText(note)
        for key, count in self.counts.items():
            count.setText(FRENCH.toString(sum(1 for r in rows if r.status == key)))
        now = datetime.now().astimezone()
        events: list[tuple[datetime, str, str, ConsultationRow, str]] = []
        for r in rows:
            for attr, kind_label in DEADLINE_KINDS:
                value = getattr(r, attr)
                when = _aware(value)
                if when is not None and when >= now - timedelta(days=1):
                    events.append((when, attr, kind_label, r, value))
        events.sort(key=lambda e: e[0])
        self.timeline.set_events([(w, k, r.title) for w, k, _l, r, _v in events])
        self.deadlines.setRowCount(len(events))
        self._rows = []
        if not events:
            self.deadlines.setRowCount(1)
            self.deadlines.setItem(0, 0, QTableWidgetItem(self.tr("Aucune échéance à venir.")))
        for i, (_w, _k, kind_label, r, value) in enumerate(events):
            for col, text in enumerate((r.title, self.tr(kind_label), fr_date(value), countdown(value))):
                self.deadlines.setItem(i, col, QTableWidgetItem(text))
            self._rows.append(r.uuid)
        self.expiring.clear()
        for what, expires in expiring:
            self.expiring.addItem(f"{what} — expire le {fr_short_date(expires)}")
        if not expiring:
            self.expiring.addItem(self.tr("Rien n'expire dans les 60 prochains jours."))

    def _open_row(self, row: int, _col: int) -> None:
        if 0 <= row < len(self._rows):
            self.open_requested.emit(self._rows[row])
