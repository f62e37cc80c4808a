"""`maitre-ao` with no arguments: the desktop app (first run, unlock, main window)."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.domain.errors import KeychainUnavailable, StoreLocked
from app.domain.paths import example_dir
from app.logging_setup import setup_logging
from app.settings import FIRST_RUN_DONE, THEME, Settings
from ui.backend import Backend
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.operations import OperationRunner

if TYPE_CHECKING:
    from ui.first_run import FirstRunDialog, UnlockDialog
from ui.style import apply_theme, install_french

log = logging.getLogger(__name__)

PROCESS_START = time.perf_counter()


def example_zip() -> Path:
    return example_dir() / "dce.zip"


# Workers run Python (analysis, exports): a shorter GIL switch interval lets the UI thread in sooner.
GIL_SWITCH_INTERVAL_S = 0.001


def create_application(argv: list[str] | None = None) -> QApplication:
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *(argv or [])])
    app.setApplicationName("Maître AO")
    app.setOrganizationName("Lumina Systèmes")
    app.setApplicationDisplayName("Maître AO")
    install_french(app)
    return app


def make_context(app: QApplication) -> AppContext:
    settings = Settings.load()
    apply_theme(app, settings.get(THEME))
    backend, runner = Backend(settings), OperationRunner(app)
    backend.on_db_lane = runner.on_db_lane  # the network lane hands store steps to the DB lane
    return AppContext(backend=backend, runner=runner, settings=settings)


class AppFlow(QObject):
    """Main window first (on screen at once), then the store is opened on the DB worker; the first
    run, the passphrase or the clé de secours are asked over the window when needed."""

    window_shown = Signal(object)  # MainWindow on screen (its data still loading)
    ready = Signal(object)  # the store is open: the window shows the user's data
    aborted = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.window: MainWindow | None = None
        self.first_run: FirstRunDialog | None = None
        self.unlock: UnlockDialog | None = None

    def start(self) -> None:
        if self.window is None:
            self.window = MainWindow(self.ctx, load=False)
            self.window.store_erased.connect(self._erased)
            self.window.show()
            self.window_shown.emit(self.window)
        backend = self.ctx.backend

        def probe(_c: object) -> tuple[str, str, bool]:
            if not backend.store_exists():
                return "first_run", "", backend.keychain_available()
            if backend.needs_passphrase():
                return "passphrase", "", True
            try:
                backend.open()
            except (StoreLocked, KeychainUnavailable) as exc:
                # The recovery key opens the store whatever the keychain does.
                log.info("store not opened at start: %s", type(exc).__name__)
                return "locked", exc.message, True
            return "open", "", True

        self.ctx.runner.run(
            self.tr("Ouverture de vos données"), probe, on_success=self._probed, on_failure=self._abort
        )

    def _probed(self, result: tuple[str, str, bool]) -> None:
        state, message, keychain = result
        backend, runner = self.ctx.backend, self.ctx.runner
        if state == "open":
            self._ready(False)
            return
        if state == "first_run":
            from ui.first_run import FirstRunDialog

            self.first_run = FirstRunDialog(backend, runner, self.window, passphrase_mode=not keychain)
            self.first_run.finished.connect(self._first_run_done)
            self.first_run.open()
            return
        from ui.first_run import UnlockDialog

        if state == "passphrase":
            message = self.tr("Vos données sont protégées par une phrase secrète.")
        self.unlock = UnlockDialog(
            backend, runner, message, self.window, passphrase_mode=state == "passphrase"
        )
        self.unlock.finished.connect(
            lambda r: self._ready(False) if r == QDialog.DialogCode.Accepted else self._abort("")
        )
        self.unlock.open()

    def _first_run_done(self, result: int) -> None:
        dlg = self.first_run
        if result != QDialog.DialogCode.Accepted or dlg is None:
            self._abort("")
            return
        self.ctx.settings.set(FIRST_RUN_DONE, True)
        self._ready(dlg.example_requested)

    def _ready(self, load_example: bool) -> None:
        window = self.window
        if window is None:
            return
        window.store_ready()
        self.ready.emit(window)
        if load_example:
            path = example_zip()
            if not path.exists():
                window.banner.show_message(
                    window.tr("La consultation d'exemple est absente de cette installation."), "warning"
                )
                return
            backend, company = self.ctx.backend, path.parent / "profile.json"

            def with_company(_c: object) -> bool:
                """The example company too, unless the user already entered their own."""
                if backend.load_profile() is not None or not company.exists():
                    return False
                backend.import_profile(company)
                return True

            def loaded(example_company: bool) -> None:
                window.banner.show_message(
                    window.tr(
                        "Exemple chargé : la consultation d'exemple et l'entreprise d'exemple "
                        "(voir Profil entreprise ; remplacez-la par la vôtre quand vous voulez)."
                    )
                    if example_company
                    else window.tr("Exemple chargé : la consultation d'exemple, avec votre entreprise."),
                    "info",
                )
                window.import_paths([path])

            self.ctx.runner.run(
                window.tr("Chargement de l'exemple"),
                with_company,
                on_success=loaded,
                on_failure=lambda message: window.banner.show_message(message, "warning"),
            )

    def _erased(self) -> None:
        """All local data erased: a fresh window and the first run again."""
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        self.ctx.settings.reset(FIRST_RUN_DONE)
        QTimer.singleShot(0, self.start)

    def _abort(self, message: str) -> None:
        if message:
            QMessageBox.critical(self.window, "Maître AO", message)
        if self.window is not None:
            self.window.close()
        self.aborted.emit(message)


def run_app(argv: list[str]) -> int:
    setup_logging()
    app = create_application(argv)
    ctx = make_context(app)
    flow = AppFlow(ctx)
    flow.aborted.connect(lambda _m: app.exit(0))
    flow.window_shown.connect(
        lambda _w: log.info(
            "main window shown %.0f ms after the UI loaded", (time.perf_counter() - PROCESS_START) * 1000
        )
    )
    flow.ready.connect(
        lambda _w: log.info(
            "store open %.0f ms after the UI loaded", (time.perf_counter() - PROCESS_START) * 1000
        )
    )
    QTimer.singleShot(0, flow.start)
    code = app.exec()
    if flow.window is not None:
        flow.window.close()
        ctx.runner.wait_idle(10)
    ctx.runner.call(ctx.backend.close)
    ctx.runner.shutdown()
    return int(code)
