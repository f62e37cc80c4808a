"""Shared steps of the UI tests: a store with the example profile, a simulated drop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.paths import example_dir
from ui.context import AppContext
from ui.main_window import MainWindow

EXAMPLE_ZIP = example_dir() / "dce.zip"
EXAMPLE_PROFILE = example_dir() / "profile.json"


def ready_window(ctx: AppContext) -> MainWindow:
    """A store created and the example company profile saved, then the main window shown."""
    ctx.runner.call(ctx.backend.create_store)
    ctx.runner.call(lambda: ctx.backend.import_profile(EXAMPLE_PROFILE))
    window = MainWindow(ctx)
    window.show()
    return window


def drop_files(window: MainWindow, paths: list[Path], target: QWidget | None = None) -> None:
    """What the OS sends when files are dropped on the window (or on one of its widgets)."""
    target = target or window
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    mime.setText("\n".join(str(p) for p in paths))  # file managers send the paths as text too
    pos = QPointF(target.width() / 2, target.height() / 2)
    enter = QDragEnterEvent(
        pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, drop)
