"""Small reusable widgets: SIRET field checked as typed, operation bar, "indisponible" state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.siret import siret_error
from ui.operations import OpContext, Operation, OperationRunner


class SiretEdit(QLineEdit):
    """A SIRET field whose feedback label says, as the user types, what is wrong."""

    validity_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("123 456 789 00012")
        self.setAccessibleName(self.tr("SIRET"))
        self.feedback = QLabel()
        # One line (no word wrap: a wrapping label in a form layout asks for a huge height).
        # Fixed height: a form with room to spare would otherwise grow this row (~150 px around one line).
        self.feedback.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.feedback.setAccessibleName(self.tr("Vérification du SIRET"))
        self._valid = False
        self.textChanged.connect(self._check)

    def _check(self, text: str) -> None:
        err = siret_error(text) if text.strip() else None
        valid = bool(text.strip()) and err is None
        if not text.strip():
            self.feedback.setText("")
        elif err:
            self.feedback.setText(err)
            self.feedback.setStyleSheet("color: #c62828")
        else:
            self.feedback.setText(self.tr("SIRET valide."))
            self.feedback.setStyleSheet("color: #2e7d32")
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)

    def is_valid(self) -> bool:
        return self._valid


def busy_button(button: QPushButton, text: str) -> Callable[[], None]:
    """Disable a button with a busy caption; returns the function that restores it."""
    old = button.text()
    button.setEnabled(False)
    button.setText(text)

    def restore() -> None:
        button.setText(old)
        button.setEnabled(True)

    return restore


def run_busy(
    runner: OperationRunner,
    title: str,
    work: Callable[[OpContext], Any],
    *,
    button: QPushButton,
    busy_text: str,
    error_label: QLabel,
    on_success: Callable[[Any], object],
) -> None:
    """Run `work` off the UI thread while `button` shows `busy_text`; the button comes back either way
    and a failure's French message goes to `error_label`."""
    restore = busy_button(button, busy_text)

    def ok(result: Any) -> None:
        restore()
        on_success(result)

    def fail(message: str) -> None:
        restore()
        error_label.setText(message)

    runner.run(title, work, on_success=ok, on_failure=fail)


class OperationBar(QWidget):
    """Progress of one operation with its cancel button; hides itself when the work ends."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        # Progress labels name long files: they must never widen the window.
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setMinimumWidth(120)
        self.bar = QProgressBar()
        self.bar.setAccessibleName(self.tr("Avancement"))
        self.bar.setMaximumWidth(260)
        self.cancel_button = QPushButton(self.tr("Annuler"))
        self.cancel_button.setAccessibleName(self.tr("Annuler l'opération"))
        lay.addWidget(self.label, 1)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel_button)
        self._op: Operation | None = None
        self.cancel_button.clicked.connect(self._cancel)
        self.hide()

    def track(self, op: Operation) -> None:
        self._op = op
        self.label.setText(op.title)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        op.progressed.connect(self._progress)
        op.finished.connect(self._finished)
        self.show()

    def _progress(self, done: int, total: int, label: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        if label:
            self.label.setText(label)

    def _cancel(self) -> None:
        if self._op is not None:
            self._op.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(self.tr("Annulation…"))

    def _finished(self) -> None:
        self._op = None
        self.hide()


class Unavailable(QWidget):
    """What a screen shows when the service behind it is not available."""

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        label = QLabel(message)
        label.setWordWrap(True)
        label.setObjectName("muted")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addStretch()
        lay.addWidget(label)
        lay.addStretch()


def run_in_turns(
    owner: QObject, steps: list[Callable[[], object]], still_wanted: Callable[[], bool] = lambda: True
) -> None:
    """Run UI steps one per event-loop turn, so that no single turn freezes the window; stops when
    `still_wanted()` turns false (the user moved on) or when `owner` is destroyed."""
    if not steps:
        return

    def step() -> None:
        if not still_wanted():
            return
        steps.pop(0)()
        if steps:
            QTimer.singleShot(0, owner, step)

    QTimer.singleShot(0, owner, step)


def title_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def chain(*fns: Callable[[], object]) -> Callable[[object], None]:
    """A success callback that ignores the result and runs `fns` in order."""

    def run(_result: object) -> None:
        for fn in fns:
            fn()

    return run
