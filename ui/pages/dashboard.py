"""Tableau de bord: consultations by status, next deadlines with countdown, expiring documents."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QDate, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
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

if TYPE_CHECKING:
    from app.services.tracking import DeadlineEvent
    from app.services.tracking import Timeline as TrackingTimeline

log = logging.getLogger(__name__)

STATUSES = {s.value: s.label for s in ConsultationStatus}
DEADLINE_KINDS = (
    ("deadline", "Remise des offres"),
    ("questions_deadline", "Questions"),
    ("site_visit_date", "Visite de site"),
)


_DashboardData = tuple[list[ConsultationRow], dict[str, int], "TrackingTimeline", list[tuple[str, str]], str]


def _aware(value: str | None) -> datetime | None:
    when = parse_when(value)
    if when is None:
        return None
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, 23, 59)
    return when if when.tzinfo else when.astimezone()


class Timeline(QWidget):
    """The window that holds the nearest deadlines (at least 8 weeks, from `tracking.timeline`):
    a mark per date (colour by kind), past ones greyed."""

    COLORS: ClassVar[dict[str, str]] = {
        "deadline": "#c62828",
        "questions": "#2f6fd0",
        "site_visit": "#b26a00",
    }
    MARGIN = 36.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        today = datetime.now().date()
        self.start: date = today
        self.end: date = today + timedelta(weeks=8)
        self.events: list[DeadlineEvent] = []
        self.setMinimumHeight(110)
        self.setAccessibleName(self.tr("Frise des échéances"))

    def set_window(self, window: TrackingTimeline) -> None:
        self.start, self.end, self.events = window.start, max(window.end, window.start), window.events
        self.update()

    def x_of(self, day: date) -> float:
        """Where a day falls on the line (left margin to right margin)."""
        left, right = self.MARGIN, self.width() - self.MARGIN
        span = max((self.end - self.start).days, 1)
        return left + (right - left) * (day - self.start).days / span

    def positions(self) -> list[tuple[float, DeadlineEvent]]:
        """(x, event) of every mark drawn, in the widget's coordinates."""
        return [(self.x_of(e.day), e) for e in self.events if self.start <= e.day <= self.end]

    def _ticks(self) -> list[date]:
        span = max((self.end - self.start).days, 1)
        step = 7 if span <= 70 else 14 if span <= 140 else 28
        return [self.start + timedelta(days=d) for d in range(0, span + 1, step)]

    SHORT_KINDS: ClassVar[dict[str, str]] = {
        "deadline": "Remise",
        "questions": "Questions",
        "site_visit": "Visite",
    }

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        left, right, y = self.MARGIN, self.width() - self.MARGIN, self.height() * 0.62
        p.setPen(QPen(pal.mid().color(), 2))
        p.drawLine(QPointF(left, y), QPointF(right, y))
        p.setPen(pal.text().color())
        for day in self._ticks():
            x = self.x_of(day)
            p.drawLine(QPointF(x, y - 4), QPointF(x, y + 4))
            p.drawText(
                QRectF(x - 40, y + 8, 80, 16),
                Qt.AlignmentFlag.AlignHCenter,
                FRENCH.toString(QDate(day), "d MMM"),
            )
        today = datetime.now().date()
        if self.start <= today <= self.end:
            p.setPen(QPen(pal.highlight().color(), 1, Qt.PenStyle.DashLine))
            x = self.x_of(today)
            p.drawLine(QPointF(x, y - 14), QPointF(x, y + 14))
        grey = pal.mid().color()
        metrics = p.fontMetrics()
        ends: list[float] = []  # right end of the last label written on each row above the line
        for x, event in self.positions():
            color = grey if event.past else QColor(self.COLORS.get(event.kind.value, "#666"))
            p.setBrush(color)
            p.setPen(Qt.PenStyle.NoPen)
            p.drawEllipse(QPointF(x, y), 6, 6)
            # Labels of close dates go on the next row up instead of over each other.
            # Which date it is first: three dates of one consultation must not read the same.
            what = self.SHORT_KINDS.get(event.kind.value, "")
            text = metrics.elidedText(f"{self.tr(what)} · {event.title}", Qt.TextElideMode.ElideRight, 190)
            width = metrics.horizontalAdvance(text) + 8
            left_edge = min(max(x - width / 2, 0.0), self.width() - width)
            row = next((i for i, end in enumerate(ends) if end <= left_edge), len(ends))
            if row == len(ends):
                ends.append(0.0)
            ends[row] = left_edge + width
            top = y - 26 - row * (metrics.height() + 2)
            p.setPen(grey if event.past else pal.text().color())
            p.drawText(QRectF(left_edge, top, width, metrics.height()), Qt.AlignmentFlag.AlignHCenter, text)
        p.end()


class DashboardPage(QWidget):
    open_requested = Signal(str)
    refreshed = Signal()  # counts, timeline and deadlines on screen
    calendar_written = Signal(str)  # the .ics file written

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
        heading = QHBoxLayout()
        heading.addWidget(QLabel(self.tr("<b>Prochaines échéances</b>")))
        heading.addStretch()
        self.calendar_button = QPushButton(self.tr("Exporter les échéances…"))
        self.calendar_button.setToolTip(
            self.tr(
                "Enregistre chaque date limite, date des questions et visite de site dans un fichier "
                "de calendrier (.ics) à ouvrir dans Outlook, Google Agenda ou Calendrier."
            )
        )
        self.calendar_button.clicked.connect(self.choose_calendar_file)
        heading.addWidget(self.calendar_button)
        lay.addLayout(heading)
        self.calendar_status = QLabel()
        self.calendar_status.setObjectName("muted")
        self.calendar_status.setWordWrap(True)
        self.calendar_status.hide()
        lay.addWidget(self.calendar_status)
        self.timeline = Timeline()
        lay.addWidget(self.timeline)
        self.deadlines = QTableWidget(0, 4)
        self.deadlines.setHorizontalHeaderLabels(
            [self.tr("Consultation"), self.tr("Échéance"), self.tr("Date"), self.tr("Reste")]
        )
        self.deadlines.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            self.deadlines.horizontalHeader().setSectionResizeMode(
                col, QHeaderView.ResizeMode.ResizeToContents
            )
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

        def work(_c: object) -> _DashboardData:
            rows = backend.consultations()
            counts = backend.status_counts()
            window = backend.deadline_timeline()
            note = ""
            try:
                expiring = backend.expiring()
            except Exception as exc:
                log.warning("expiring documents unavailable", exc_info=True)
                expiring, note = [], user_message(exc)
            return rows, counts, window, expiring, note

        self.ctx.runner.run(
            self.tr("Tableau de bord"),
            work,
            on_success=self._fill,
            on_failure=self.error.setText,
        )

    def _fill(self, data: _DashboardData) -> None:
        rows, counts, window, expiring, note = data
        self.error.setText(note)
        for key, count in self.counts.items():
            count.setText(FRENCH.toString(counts.get(key, 0)))
        self.timeline.set_window(window)
        now = datetime.now().astimezone()
        events: list[tuple[datetime, str, str, ConsultationRow, str]] = []
        for r in rows:
            for attr, kind_label in DEADLINE_KINDS:
                value = getattr(r, attr)
                when = _aware(value)
                if when is not None and when >= now - timedelta(days=1):
                    events.append((when, attr, kind_label, r, value))
        events.sort(key=lambda e: e[0])
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
        self.refreshed.emit()

    # --- calendar -------------------------------------------------------------------------
    def choose_calendar_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Exporter les échéances"),
            str(Path.home() / "echeances-maitre-ao.ics"),
            self.tr("Calendrier iCalendar (*.ics)"),
        )
        if path:
            if not path.lower().endswith(".ics"):
                path += ".ics"
            self.export_calendar(Path(path))

    def export_calendar(self, path: Path) -> None:
        """Every deadline, questions date and site visit written to `path` (off the UI thread)."""
        backend = self.ctx.backend

        def ok(count: int) -> None:
            if count:
                text = self.tr(
                    "{n} date(s) enregistrée(s) dans {file} : ouvrez ce fichier avec votre agenda."
                )
            else:
                text = self.tr("Aucune date connue pour l'instant ; {file} a été créé vide.")
            self._calendar_message(text.format(n=FRENCH.toString(count), file=path.name))
            self.calendar_written.emit(str(path))

        def fail(message: str) -> None:
            self._calendar_message(self.tr("Les échéances n'ont pas pu être exportées : ") + message)

        self.ctx.runner.run(
            self.tr("Export des échéances"),
            lambda _c: backend.write_calendar(path),
            on_success=ok,
            on_failure=fail,
        )

    def _calendar_message(self, text: str) -> None:
        self.calendar_status.setText(text)
        self.calendar_status.show()

    def _open_row(self, row: int, _col: int) -> None:
        if 0 <= row < len(self._rows):
            self.open_requested.emit(self._rows[row])
