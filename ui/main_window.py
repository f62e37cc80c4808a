"""The main window: sidebar, pages, status bar, and drop-anywhere import of a DCE."""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStatusBar,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.settings import WINDOW_STATE
from ui.backend import Changed, CheckedImportOutcome, ImportOutcome, SyncReport
from ui.context import AppContext
from ui.operations import Lane, OpContext
from ui.pages.dashboard import DashboardPage
from ui.status import status_parts
from ui.sync_controller import SyncController, conflicts_text, state_text
from ui.widgets import OperationBar, run_in_turns

if TYPE_CHECKING:
    from app.domain.analysis import Analysis
    from app.domain.rows import ConsultationRow
    from app.services.account import AccountStatus
    from ui.pages.consultation_view import ConsultationView
    from ui.pages.consultations import ConsultationsPage
    from ui.pages.duplicate_import import DuplicateImportDialog
    from ui.pages.library import LibraryPage
    from ui.pages.profile import ProfilePage
    from ui.pages.settings_page import SettingsPage

log = logging.getLogger(__name__)

# Service modules loaded on the DB worker soon after start: their first import (python-docx, lxml,
# openpyxl…) holds the GIL for tens of ms, better spent before the user's first drop than during it.


def _warm_up_services() -> None:
    """Load what the first import and the consultation view need (on the DB lane, at start)."""
    import app.domain.analysis
    import app.domain.profile
    import app.drafting.body
    import app.services.account
    import app.services.consultations
    import app.services.library
    import app.services.proposals  # noqa: F401


def _load_synthese() -> None:
    import ui.pages.synthese  # noqa: F401


def _load_memoire() -> None:
    import ui.pages.memoire  # noqa: F401


def _load_consultation_view() -> None:
    import ui.pages.consultation_view  # noqa: F401


WARM_UP_DELAY_MS = 300


class Page(Enum):
    """The window's pages, addressed by name; the value is the sidebar label ("" when not listed)."""

    DASHBOARD = "Tableau de bord"
    CONSULTATIONS = "Consultations"
    PROFILE = "Profil entreprise"
    LIBRARY = "Bibliothèque"
    SETTINGS = "Paramètres"
    CONSULTATION = ""  # one consultation, opened from a list (the sidebar shows "Consultations")


SIDEBAR = (Page.DASHBOARD, Page.CONSULTATIONS, Page.PROFILE, Page.LIBRARY, Page.SETTINGS)


def _local_files(mime: QMimeData) -> list[Path]:
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []


class MessageBanner(QWidget):
    """A dismissible message at the top of the window (errors, import reports): never modal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        lay = QHBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(self.tr("Message"))
        close = QPushButton(self.tr("Fermer"))
        close.clicked.connect(self.hide)
        lay.addWidget(self.label, 1)
        lay.addWidget(close, alignment=Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        colors = {"error": "#c62828", "warning": "#b26a00", "info": "#2f6fd0"}
        self.setStyleSheet(f"QWidget#banner {{ border-left: 4px solid {colors.get(kind, '#2f6fd0')}; }}")
        self.label.setText(text)
        self.show()


RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000  # the DCE purge, daily while the app runs


class MainWindow(QMainWindow):
    consultation_opened = Signal(str)
    store_erased = Signal()
    import_finished = Signal(object)  # ImportOutcome or None on failure (or a duplicate not kept)
    # Every import's outcome checked against the consultations already there (CheckedImportOutcome),
    # and the dialog asking what to do with a DCE already there (DuplicateImportDialog).
    import_checked = Signal(object)
    duplicate_asked = Signal(object)
    # What an edit changed (Changed flags), told by the backend on the DB lane and delivered here:
    # the sync controller schedules a sync, the read-only views on screen refresh.
    changed = Signal(object)

    def __init__(self, ctx: AppContext, *, load: bool = True) -> None:
        """`load=False`: the store is not open yet; `store_ready()` loads the data when it is."""
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(self.tr("Maître AO"))
        self.setAcceptDrops(True)

        self.resize(1280, 820)
        self.last_import: ImportOutcome | None = None
        self.duplicate_dialog: DuplicateImportDialog | None = None

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        self.banner = MessageBanner()
        outer.addWidget(self.banner)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(body, 1)

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(210)
        self.sidebar.setAccessibleName(self.tr("Navigation"))
        for listed in SIDEBAR:
            QListWidgetItem(self.tr(listed.value), self.sidebar)
        body.addWidget(self.sidebar)

        # Pages are built when first shown: the window appears sooner, imports stay lazy.
        self.stack = QStackedWidget()
        self._pages: dict[Page, QWidget] = {}
        self.dashboard = DashboardPage(ctx)
        self._install(Page.DASHBOARD, self.dashboard)
        self.dashboard.open_requested.connect(self.open_consultation)
        body.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.sidebar.currentRowChanged.connect(self._navigate)
        self.sidebar.itemClicked.connect(self._sidebar_clicked)

        # Background sync while logged in (the account service decides what leaves the machine).
        self.sync = SyncController(ctx, self)
        self.changed.connect(self.sync.local_change)
        self.changed.connect(self._refresh_views)
        self._notify = self.changed.emit
        ctx.backend.on_change = self._notify
        self._status_bar()
        self.sync.state_changed.connect(self._sync_state)
        self.sync.conflicts_changed.connect(self._show_conflicts)
        self.sync.synced.connect(self._synced)
        from ui.pages.policy_dialog import PolicyWatcher

        self.policy = PolicyWatcher(ctx, self)
        self._shortcuts()
        self._restore_state()
        self._store_open = False
        self.retention_timer = QTimer(self)
        self.retention_timer.setInterval(RETENTION_INTERVAL_MS)
        self.retention_timer.timeout.connect(self.run_retention)
        self.show_page(Page.DASHBOARD)
        if load:
            QTimer.singleShot(0, self.store_ready)
        QTimer.singleShot(0, self._prepare_workers)

    def _prepare_workers(self) -> None:
        """The DCE reader's worker processes start now (~0.4 s, on the network lane: the store's
        worker stays free), so that the first drop does not wait for them."""
        backend = self.ctx.backend
        self.ctx.runner.run(
            self.tr("Préparation de l'import"), lambda _c: backend.prepare_workers(), lane=Lane.NET
        )

    def store_ready(self) -> None:
        self._store_open = True
        self.refresh()
        QTimer.singleShot(WARM_UP_DELAY_MS, self._warm_up)
        self.sync.start()
        self.retention_timer.start()

    def run_retention(self) -> None:
        """The DCE retention rule, once a day while the app runs (it also runs at every store open)."""
        from app.services import store as store_service

        if not self._store_open:
            return
        backend = self.ctx.backend

        def done(report: object) -> None:
            if getattr(report, "applied", False):
                self.refresh()

        self.ctx.runner.run(
            self.tr("Conservation des DCE"),
            lambda _c: store_service.purge_quietly(backend.require_store()),
            on_success=done,
        )

    # --- chrome ---------------------------------------------------------------------------
    # --- lazily built pages ---------------------------------------------------------------
    def _watch_drops(self, root: QWidget) -> None:
        """Text fields would take a dropped file as text: their drops come to the window."""
        for field in (
            root.findChildren(QLineEdit) + root.findChildren(QTextEdit) + root.findChildren(QPlainTextEdit)
        ):
            field.installEventFilter(self)

    def _install(self, name: Page, page: QWidget) -> None:
        self._watch_drops(page)
        self.stack.addWidget(page)
        self._pages[name] = page

    def show_page(self, name: Page) -> None:
        """Select a sidebar page (its `refresh` runs), or show the consultation view."""
        if name in SIDEBAR:
            row = SIDEBAR.index(name)
            if self.sidebar.currentRow() == row:
                self._navigate(row)  # already selected (a consultation was open): no change signal
            else:
                self.sidebar.setCurrentRow(row)
        else:
            self.stack.setCurrentWidget(self.page(name))

    def _sidebar_clicked(self, item: QListWidgetItem) -> None:
        """A click on the item already selected still leaves the consultation view for its page."""
        row = self.sidebar.row(item)
        if 0 <= row < len(SIDEBAR) and self.stack.currentWidget() is not self._pages.get(SIDEBAR[row]):
            self._navigate(row)

    def _select_quietly(self, name: Page) -> None:
        """The sidebar shows `name` without navigating (the consultation view stays on screen)."""
        self.sidebar.blockSignals(True)
        self.sidebar.setCurrentRow(SIDEBAR.index(name))
        self.sidebar.blockSignals(False)

    def page(self, name: Page) -> QWidget:
        if name in self._pages:
            return self._pages[name]
        page: QWidget
        if name is Page.DASHBOARD:
            return self.dashboard
        if name is Page.CONSULTATIONS:
            from ui.pages.consultations import ConsultationsPage

            page = ConsultationsPage(self.ctx)
            page.open_requested.connect(self.open_consultation)
            page.import_requested.connect(self.choose_import)
        elif name is Page.PROFILE:
            from ui.pages.profile import ProfilePage

            page = ProfilePage(self.ctx)
            page.message.connect(self.banner.show_message)
        elif name is Page.LIBRARY:
            from ui.pages.library import LibraryPage

            page = LibraryPage(self.ctx)
        elif name is Page.SETTINGS:
            from ui.pages.settings_page import SettingsPage

            page = SettingsPage(self.ctx)
            page.appearance.theme_changed.connect(self._theme_changed)
            for tab in (page.claude, page.account, page.data):
                tab.data_changed.connect(self.refresh)
            page.account.store_erased.connect(self._erased)
            page.data.store_erased.connect(self._erased)
            page.account.sync_requested.connect(self.sync.sync_now)
            page.account.conflicts_changed.connect(self._show_conflicts)
            page.account.account_deleted.connect(lambda _wiped: self.refresh_status())
        else:
            from ui.pages.consultation_view import ConsultationView

            page = ConsultationView(self.ctx)
            page.back_requested.connect(lambda: self.show_page(Page.CONSULTATIONS))
            page.message.connect(self.banner.show_message)
        self._install(name, page)
        return page

    @property
    def consultations(self) -> ConsultationsPage:
        return cast("ConsultationsPage", self.page(Page.CONSULTATIONS))

    @property
    def profile(self) -> ProfilePage:
        return cast("ProfilePage", self.page(Page.PROFILE))

    @property
    def library(self) -> LibraryPage:
        return cast("LibraryPage", self.page(Page.LIBRARY))

    @property
    def settings_page(self) -> SettingsPage:
        return cast("SettingsPage", self.page(Page.SETTINGS))

    @property
    def consultation_view(self) -> ConsultationView:
        return cast("ConsultationView", self.page(Page.CONSULTATION))

    def _status_bar(self) -> None:
        bar = QStatusBar()
        self.setStatusBar(bar)
        self.sync_label = QLabel(self.tr("Synchronisation : non connecté"))
        self.sync_label.setAccessibleName(self.tr("État de la synchronisation"))
        # "3 conflits": a click opens the list in Paramètres › Compte et synchronisation.
        self.conflicts_button = QToolButton()
        self.conflicts_button.setAutoRaise(True)
        self.conflicts_button.setStyleSheet("color: #b26a00; font-weight: 600")
        self.conflicts_button.setAccessibleName(self.tr("Conflits de synchronisation à départager"))
        self.conflicts_button.setToolTip(self.tr("Voir les conflits et choisir la version à garder"))
        self.conflicts_button.clicked.connect(self.show_conflicts)
        self.conflicts_button.hide()
        self.claude_label = QLabel(self.tr("Claude : désactivé"))
        self.claude_label.setAccessibleName(self.tr("État de Claude"))
        self.ops_label = QLabel()
        self.ops_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.ops_label.setAccessibleName(self.tr("Opérations en cours"))
        self.op_bar = OperationBar()
        bar.addWidget(self.ops_label, 1)
        bar.addPermanentWidget(self.op_bar)
        bar.addPermanentWidget(self.claude_label)
        bar.addPermanentWidget(self.sync_label)
        bar.addPermanentWidget(self.conflicts_button)
        self.ctx.runner.running_changed.connect(self._ops_changed)

    def _ops_changed(self, titles: list[str]) -> None:
        self.ops_label.setText(self.tr("En cours : %s") % ", ".join(titles) if titles else "")

    def _shortcuts(self) -> None:
        for i, listed in enumerate(SIDEBAR):
            act = QAction(self)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.triggered.connect(lambda _c=False, name=listed: self.show_page(name))
            self.addAction(act)
        imp = QAction(self.tr("Importer un DCE…"), self)
        imp.setShortcut(QKeySequence.StandardKey.Open)
        imp.triggered.connect(self.choose_import)
        self.addAction(imp)
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_search)
        self.addAction(find)
        quit_ = QAction(self)
        quit_.setShortcut(QKeySequence.StandardKey.Quit)
        quit_.triggered.connect(self.close)
        self.addAction(quit_)

    def _focus_search(self) -> None:
        self.show_page(Page.CONSULTATIONS)
        self.consultations.search.setFocus()

    def _navigate(self, row: int) -> None:
        if not 0 <= row < len(SIDEBAR):
            return
        page = self.page(SIDEBAR[row])
        self.stack.setCurrentWidget(page)
        refresh = getattr(page, "refresh", None)
        if callable(refresh) and self._store_open:
            refresh()

    def refresh(self) -> None:
        self._navigate(self.sidebar.currentRow())
        self.refresh_status()

    def refresh_status(self) -> None:
        backend = self.ctx.backend

        def show(parts: tuple[str, AccountStatus | None]) -> None:
            claude, account = parts
            self.claude_label.setText(claude)
            if account is None:
                return
            last = self.sync.last
            if last is not None and last.state in ("offline", "error") and account.logged_in:
                return  # "Hors ligne — nouvelle tentative…" stays until a sync succeeds
            report = SyncReport(
                "ok" if account.logged_in else "off",
                last_sync=account.last_sync,
                to_send=account.to_send,
                conflicts=account.open_conflicts,
            )
            self.sync_label.setText(state_text(report))
            self._show_conflicts(report.conflicts)

        self.ctx.runner.run(self.tr("État"), lambda _c: status_parts(backend), on_success=show)

    def _sync_state(self, text: str, tooltip: str) -> None:
        self.sync_label.setText(text)
        self.sync_label.setToolTip(tooltip)

    def _show_conflicts(self, count: int) -> None:
        self.conflicts_button.setText(conflicts_text(count))
        self.conflicts_button.setVisible(count > 0)

    def _synced(self, report: SyncReport) -> None:
        """Records came from another device: the page on screen shows them (not the open
        consultation, whose editor the user may be typing in)."""
        if report.received and self.stack.currentWidget() is not self._pages.get(Page.CONSULTATION):
            page = self.stack.currentWidget()
            refresh = getattr(page, "refresh", None)
            if callable(refresh):
                refresh()
        if Page.SETTINGS in self._pages:
            self.settings_page.sync_finished(report)
        self.policy.check()  # a privacy policy version not acknowledged yet (found by this sync)

    def show_conflicts(self) -> None:
        self.show_page(Page.SETTINGS)
        self.settings_page.show_account()

    def _refresh_views(self, what: Changed) -> None:
        """The dashboard and the consultations list show what an edit changed (editors are left alone)."""
        current = self.stack.currentWidget()
        views = (self.dashboard, self._pages.get(Page.CONSULTATIONS))
        if what & (Changed.CONSULTATIONS | Changed.PROFILE) and current in views and self._store_open:
            refresh = getattr(current, "refresh", None)
            if callable(refresh):
                refresh()

    def _stop_listening(self) -> None:
        if self.ctx.backend.on_change is self._notify:
            self.ctx.backend.on_change = None

    def _erased(self) -> None:
        self.sync.stop()
        self._stop_listening()
        self.store_erased.emit()

    def _warm_up(self) -> None:
        # Then the consultation view is built while nothing else runs (GIL free): a first import
        # does not pay for its construction.
        steps: list[Callable[[], object]] = [
            _load_synthese,
            _load_memoire,
            _load_consultation_view,
            lambda: self.page(Page.CONSULTATION),
        ]
        self.ctx.runner.run(
            self.tr("Préparation"),
            lambda _c: _warm_up_services(),
            on_success=lambda _r: run_in_turns(self, steps),
        )

    def _theme_changed(self, _theme: str) -> None:
        if Page.CONSULTATION in self._pages:
            self.consultation_view.theme_changed()

    # --- window state ---------------------------------------------------------------------
    def _restore_state(self) -> None:
        raw = self.ctx.settings.get(WINDOW_STATE)
        if raw and "|" in raw:
            geo, state = raw.split("|", 1)
            self.restoreGeometry(QByteArray.fromBase64(geo.encode()))
            self.restoreState(QByteArray.fromBase64(state.encode()))

    def save_state(self) -> None:
        geo = bytes(self.saveGeometry().toBase64().data()).decode()
        state = bytes(self.saveState().toBase64().data()).decode()
        self.ctx.settings.set(WINDOW_STATE, f"{geo}|{state}")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sync.stop()
        self._stop_listening()
        if Page.CONSULTATION in self._pages:
            self.consultation_view.flush()
        self.save_state()
        super().closeEvent(event)

    # --- consultations --------------------------------------------------------------------
    def open_consultation(self, uuid: str) -> None:
        self._select_quietly(Page.CONSULTATIONS)
        view = self.consultation_view
        self.stack.setCurrentWidget(view)
        view.load(uuid)
        self.consultation_opened.emit(uuid)

    # --- import ---------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Files dropped on a text field of this window are imported (the field would otherwise
        take the drop and insert the file's path)."""
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            drag = cast(QDropEvent, event)
            if _local_files(drag.mimeData()):
                if kind == QEvent.Type.Drop:
                    self.dropEvent(drag)
                else:
                    drag.acceptProposedAction()
                return True
        return super().eventFilter(watched, event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _local_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _local_files(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def choose_import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Importer un DCE"),
            "",
            self.tr("DCE (*.zip *.pdf *.docx *.xlsx *.odt *.ods *.doc *.xls);;Tous les fichiers (*)"),
        )
        if files:
            self.import_paths([Path(f) for f in files])

    def import_paths(self, paths: list[Path], new_version_of: str | None = None) -> None:
        """Import a DCE (button, drop, Ctrl+O). A DCE already there (same pieces, or the same
        reference) is not imported silently a second time: `DuplicateImportDialog` asks whether to
        open it or import this one as a new version (*modificatif*, `new_version_of`)."""
        backend = self.ctx.backend
        self.banner.hide()

        def work(ctx: OpContext) -> CheckedImportOutcome:
            # The import service reads the pieces and runs the offline analysis as it goes; its
            # first analysis (RC, CCAP) comes while the long CCTPs are still being read.
            return backend.import_dce_checked(
                paths,
                ctx.progress,
                ctx.cancel,
                on_analysis=lambda uuid, a: ctx.emit_partial((uuid, a)),
                new_version_of=new_version_of,
            )

        shown: list[str] = []  # the consultation previewed while the import runs

        def first_analysis(value: tuple[str, Analysis]) -> None:
            uuid, analysis = value
            shown.append(uuid)
            self._select_quietly(Page.CONSULTATIONS)
            view = self.consultation_view
            self.stack.setCurrentWidget(view)
            view.preview(uuid, analysis)

        def ok(checked: CheckedImportOutcome) -> None:
            self.import_checked.emit(checked)
            if checked.outcome == "duplicate" and checked.existing is not None:
                self.show_page(Page.CONSULTATIONS)  # the preview was of the copy, not kept
                self.import_finished.emit(None)
                self._ask_duplicate(paths, checked.existing, None)
                return
            outcome = ImportOutcome(checked.consultation_uuid, checked.pieces, checked.errors)
            self.last_import = outcome
            if outcome.errors:
                lines = "\n".join(f"• {f} : {m}" for f, m in outcome.errors)
                self.banner.show_message(
                    self.tr("Import terminé ; certains fichiers n'ont pas pu être lus :\n") + lines,
                    "warning",
                )
            elif checked.outcome == "new_version":
                self._show_changes(checked)
            self.open_consultation(outcome.consultation_uuid)
            self.import_finished.emit(outcome)
            if checked.outcome == "imported" and checked.existing is not None:
                self._ask_duplicate(paths, checked.existing, checked.consultation_uuid)

        def fail(message: str) -> None:
            self.banner.show_message(self.tr("L'import a échoué : ") + message, "error")
            if shown:  # what was stored before the failure, as it is
                self.open_consultation(shown[-1])
            self.import_finished.emit(None)

        def cancelled() -> None:
            self.banner.show_message(self.tr("Import annulé."), "info")
            if shown:  # the pieces read before the cancel are kept
                self.open_consultation(shown[-1])
            if Page.CONSULTATIONS in self._pages:
                self.consultations.refresh()
            self.import_finished.emit(None)

        op = self.ctx.runner.run(
            self.tr("Import du DCE"),
            work,
            on_success=ok,
            on_failure=fail,
            on_cancel=cancelled,
            on_partial=first_analysis,
        )
        self.op_bar.track(op)

    def _show_changes(self, checked: CheckedImportOutcome) -> None:
        title = checked.existing.title if checked.existing is not None else ""
        text = self.tr("Nouvelle version (modificatif n° {n}) de « {title} ». Ce qui a changé :").format(
            n=checked.version, title=title
        )
        self.banner.show_message(text + "\n" + "\n".join(f"• {line}" for line in checked.changes), "info")

    def _ask_duplicate(self, paths: list[Path], existing: ConsultationRow, new_uuid: str | None) -> None:
        """The DCE is already there (`new_uuid` None: same pieces, nothing was kept) or a
        consultation has the same reference (`new_uuid`: the one just imported)."""
        from ui.pages.duplicate_import import DuplicateImportDialog

        dialog = DuplicateImportDialog(existing, same_content=new_uuid is None, parent=self)
        self.duplicate_dialog = dialog
        backend = self.ctx.backend

        def chosen(_result: int) -> None:
            self.duplicate_dialog = None
            dialog.deleteLater()
            choice = dialog.choice
            if choice == "keep":
                return
            if choice == "new_version":
                if new_uuid is None:  # nothing was kept: import again, as a modificatif
                    self.import_paths(paths, new_version_of=existing.uuid)
                else:
                    self._link_version(new_uuid, existing.uuid)
                return
            if new_uuid is not None:  # the copy just imported is not kept
                self.ctx.runner.run(
                    self.tr("Import"),
                    lambda _c: backend.discard_import(new_uuid),
                    on_failure=lambda m: self.banner.show_message(m, "error"),
                )
            if choice == "open":
                self.open_consultation(existing.uuid)
                if new_uuid is not None:
                    self.banner.show_message(
                        self.tr("Le DCE importé n'a pas été gardé : « {title} » est ouverte.").format(
                            title=existing.title
                        ),
                        "info",
                    )
            else:
                self.banner.show_message(self.tr("Import annulé : rien n'a été ajouté."), "info")
                self.show_page(Page.CONSULTATIONS)

        dialog.finished.connect(chosen)
        dialog.open()
        self.duplicate_asked.emit(dialog)

    def _link_version(self, uuid: str, previous_uuid: str) -> None:
        backend = self.ctx.backend

        def done(checked: CheckedImportOutcome) -> None:
            self._show_changes(checked)
            self.import_checked.emit(checked)
            self.open_consultation(uuid)

        self.ctx.runner.run(
            self.tr("Nouvelle version"),
            lambda _c: backend.make_new_version(uuid, previous_uuid),
            on_success=done,
            on_failure=lambda m: self.banner.show_message(m, "error"),
        )
