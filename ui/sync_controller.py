"""Background sync for the main window: a few seconds after an edit, every N minutes, and again
after a failure with a growing delay. The engine keeps unsent edits dirty, so a failure loses
nothing: the next attempt sends them. The status bar shows the outcome in French."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app.settings import SYNC_INTERVAL_MIN
from ui.backend import Changed, SyncReport
from ui.context import AppContext
from ui.operations import Lane

log = logging.getLogger(__name__)

# An edit is followed by others (typing, a profile saved tab by tab): one sync for the burst.
DEBOUNCE_MS = 4000
# Waiting times after consecutive failures (seconds); the last one repeats.
RETRY_DELAYS_S = (15, 30, 60, 120, 300)


def _tr(text: str) -> str:
    return QCoreApplication.translate("sync", text)


def local_time(iso: str | None, now: datetime | None = None) -> str:
    """ "à 14:32" today, "le 25/11 à 14:32" another day (local time)."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    when = when.astimezone()
    today = (now or datetime.now().astimezone()).date()
    hour = when.strftime("%H:%M")
    return _tr("à %s") % hour if when.date() == today else _tr("le %s à %s") % (when.strftime("%d/%m"), hour)


def state_text(report: SyncReport, retry_at: datetime | None = None) -> str:
    """The status-bar line for a sync outcome."""
    if report.state == "off":
        return _tr("Synchronisation : non connecté")
    if report.state in ("offline", "error"):
        head = _tr("Hors ligne") if report.state == "offline" else _tr("Synchronisation interrompue")
        text = head + _tr(" — nouvelle tentative")
        if retry_at is not None:
            text += " " + _tr("à %s") % retry_at.astimezone().strftime("%H:%M")
        text += "…"
        if report.to_send:
            text += _tr(" (%d modification(s) en attente)") % report.to_send
        return text
    if report.last_sync:
        return _tr("Synchronisé %s") % local_time(report.last_sync)
    return _tr("Jamais synchronisé")


def conflicts_text(count: int) -> str:
    if count <= 0:
        return ""
    return _tr("1 conflit") if count == 1 else _tr("%d conflits") % count


class SyncController(QObject):
    """Owned by the main window; `start()` once the store is open, `stop()` before it closes."""

    state_changed = Signal(str, str)  # status-bar text, tooltip
    conflicts_changed = Signal(int)
    synced = Signal(object)  # SyncReport, after each attempt

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enabled = False
        self.running = False
        self._again = False
        self.failures = 0
        self.last: SyncReport | None = None
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.sync_now)
        self.periodic = QTimer(self)
        self.periodic.setInterval(max(1, int(ctx.settings.get(SYNC_INTERVAL_MIN))) * 60_000)
        self.periodic.timeout.connect(self.sync_now)
        self.retry = QTimer(self)
        self.retry.setSingleShot(True)
        self.retry.timeout.connect(self.sync_now)

    def start(self, first_delay_ms: int = 1500) -> None:
        self.enabled = True
        self.periodic.start()
        # A first sync soon after start, once the window has settled.
        self.debounce.start(first_delay_ms)

    def stop(self) -> None:
        self.enabled = False
        for timer in (self.debounce, self.periodic, self.retry):
            timer.stop()

    def local_change(self, _what: Changed = Changed.NOTHING) -> None:
        """Rows were marked to sync (the window's "what changed" notice): sync a few seconds later
        (restarted by each new edit)."""
        if self.enabled and not self.retry.isActive():
            self.debounce.start(DEBOUNCE_MS)

    def sync_now(self) -> None:
        if not self.enabled:
            return
        if self.running:
            self._again = True  # an edit arrived during the sync: once more afterwards
            return
        self.debounce.stop()
        self.retry.stop()
        self.running = True
        backend = self.ctx.backend
        self.ctx.runner.run(
            _tr("Synchronisation"),
            lambda _c: backend.sync_background(),
            on_success=self._done,
            on_failure=lambda m: self._done(SyncReport("error", message=m)),
            lane=Lane.NET,
        )

    def _done(self, report: SyncReport) -> None:
        self.running = False
        self.last = report
        retry_at = None
        if report.state in ("offline", "error"):
            delay = RETRY_DELAYS_S[min(self.failures, len(RETRY_DELAYS_S) - 1)]
            self.failures += 1
            retry_at = datetime.now(UTC) + timedelta(seconds=delay)
            log.info("sync failed (%s), next attempt in %d s", report.state, delay)
            if self.enabled:
                self.retry.start(delay * 1000)
        else:
            self.failures = 0
        tip = report.message or "\n".join(report.lines)
        self.state_changed.emit(state_text(report, retry_at), tip)
        self.conflicts_changed.emit(report.conflicts)
        self.synced.emit(report)
        if self._again and self.enabled:
            self._again = False
            self.local_change()
