"""Progress and cancellation for long work, with no Qt: the UI adapts these to its operation helper."""

from __future__ import annotations

import threading
from collections.abc import Callable

# progress(done, total, label): label is short French text for the user ("Lecture de RC.pdf").
ProgressFn = Callable[[int, int, str], None]


class Cancelled(Exception):
    """Raised inside long work when the user pressed "Annuler"; what was done stays done."""


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


def no_progress(done: int, total: int, label: str) -> None:
    """Default progress sink."""
