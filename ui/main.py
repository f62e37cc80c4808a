"""`maitre-ao` with no arguments: the desktop app (first run, unlock, main window)."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.errors import StoreLocked, UserError
from app.logging_setup import setup_logging
from app.paths import example_dir
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
    return AppContext(backend=Backend(settings), runner=OperationRunner(app), settings=settings)


class AppFlow(QObject):
    """First run or unlock, then the main window; asynchronous so tests can drive each step."""

    window_shown = Signal(object)  # MainWindow
    aborted = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.window: MainWindow | None = None
        self.first_run: FirstRunDialog | None = None
        self.unlock: UnlockDialog | None = None

    def start(self) -> None:
        runner, backend = self.ctx.runner, self.ctx.backend
        try:
            exists = runner.call(backend.store_exists)
        except UserError as exc:
            self._abort(exc.message)
            return
        if not exists:
            from ui.first_run import FirstRunDialog

            try:
                keychain = runner.call(backend.keychain_available)
            except UserError:
                keychain = True
            self.first_run = FirstRunDialog(backend, runner, passphrase_mode=not keychain)
            self.first_run.finished.connect(self._first_run_done)
            self.first_run.open()
            return
        if runner.call(backend.needs_passphrase):
            from ui.first_run import UnlockDialog

            self.unlock = UnlockDialog(
                backend,
                runner,
                self.tr("Vos données sont protégées par une phrase de passe."),
                passphrase_mode=True,
            )
            self.unlock.finished.connect(
                lambda r: self._show_main(False) if r == QDialog.DialogCode.Accepted else self._abort("")
            )
            self.unlock.open()
            return
        try:
            runner.call(backend.open)
        except StoreLocked as exc:
            from ui.first_run import UnlockDialog

            self.unlock = UnlockDialog(backend, runner, exc.message)
            self.unlock.finished.connect(
                lambda r: self._show_main(False) if r == QDialog.DialogCode.Accepted else self._abort("")
            )
            self.unlock.open()
            return
        except UserError as exc:
            self._abort(exc.message)
            return
        self._show_main(False)

    def _first_run_done(self, result: int) -> None:
        dlg = self.first_run
        if result != QDialog.DialogCode.Accepted or dlg is None:
            self._abort("")
            return
        self.ctx.settings.set(FIRST_RUN_DONE, True)
        self._show_main(dlg.example_requested)

    def _show_main(self, load_example: bool) -> None:
        self.window = MainWindow(self.ctx)
        self.window.store_erased.connect(self._erased)
        self.window.show()
        self.window_shown.emit(self.window)
        if load_example:
            path = example_zip()
            if path.exists():
                self.window.import_paths([path])
            else:
                self.window.banner.show_message(
                    self.window.tr("La consultation d'exemple est absente de cette installation."), "warning"
                )

    def _erased(self) -> None:
        """All local data erased: back to the first run."""
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        self.ctx.settings.reset(FIRST_RUN_DONE)
        QTimer.singleShot(0, self.start)

    def _abort(self, message: str) -> None:
        if message:
            QMessageBox.critical(None, "Maître AO", message)
        self.aborted.emit(message)


def run_app(argv: list[str]) -> int:
    setup_logging()
    app = create_application(argv)
    ctx = make_context(app)
    flow = AppFlow(ctx)
    flow.aborted.connect(lambda _m: app.exit(0))
    flow.window_shown.connect(
        lambda _w: log.info(
            "main window shown %.0f ms after start", (time.perf_counter() - PROCESS_START) * 1000
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
