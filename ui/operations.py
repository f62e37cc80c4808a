"""One small helper for long work off the UI thread (after Anki's CollectionOp/QueryOp).

`OperationRunner.run(title, fn, ...)` runs `fn(ctx)` on a worker and delivers progress, streamed
text, success, cancellation and failure on the UI thread through Qt signals (queued across threads).
Database work is serialized on ONE worker thread because SQLCipher connections belong to the thread
that opened them; network work (Claude, sync) may run on a small separate pool.
The runner is passed explicitly to the windows that need it: there is no global main window.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QMetaObject, QObject, Qt, QTimer, Signal

from app.domain.errors import UserError
from app.domain.progress import Cancelled, CancelToken

log = logging.getLogger(__name__)

# Progress updates closer together than this are coalesced: the UI thread must never be flooded.
PROGRESS_INTERVAL_S = 0.05


DB_THREAD_PREFIX = "maitre-ao-db"
T = TypeVar("T")

# A callback on the UI thread longer than this is logged: it is a visible freeze.
SLOW_CALLBACK_S = 0.03


def _timed(title: str, fn: Callable[..., Any]) -> Callable[..., None]:
    def run(*args: Any) -> None:
        start = time.perf_counter()
        try:
            fn(*args)
        except RuntimeError as exc:
            # The window that asked was closed while the work ran: its result has nowhere to go.
            if "already deleted" not in str(exc):
                raise
            log.debug("result of %s dropped: its window is gone", title)
            return
        spent = time.perf_counter() - start
        if spent > SLOW_CALLBACK_S:
            log.info("slow UI callback after %s: %.0f ms", title, spent * 1000)

    return run


class Lane(Enum):
    DB = "db"  # everything that touches the encrypted store
    NET = "net"  # network-only work that never opens the store


def user_message(exc: BaseException) -> str:
    """French text for the user; the details go to the log."""
    if isinstance(exc, UserError):
        return exc.message
    return QCoreApplication.translate(
        "operations",
        "Une erreur inattendue est survenue. Réessayez ; si elle persiste, "
        "le journal de l'application contient les détails.",
    )


@dataclass
class OpContext:
    """What the work function receives: progress, cancellation and streamed text sinks."""

    op: Operation
    cancel: CancelToken = field(default_factory=CancelToken)
    _last: float = 0.0

    def progress(self, done: int, total: int, label: str) -> None:
        now = time.monotonic()
        if done < total and now - self._last < PROGRESS_INTERVAL_S:
            return
        self._last = now
        self.cancel.raise_if_cancelled()
        self.op.progressed.emit(done, total, label)

    def emit_text(self, text: str) -> None:
        """Streamed output (drafting): delivered in order on the UI thread."""
        self.op.text.emit(text)

    def emit_partial(self, value: object) -> None:
        """An intermediate result (the first analysis of an import): delivered on the UI thread."""
        self.op.partial.emit(value)


class Operation(QObject):
    progressed = Signal(int, int, str)
    text = Signal(str)
    partial = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)  # French message
    cancelled = Signal()
    finished = Signal()
    # The worker reports the outcome once ("ok", result) / ("failed", message) / ("cancelled", None);
    # the UI thread then emits succeeded/failed/cancelled and finished in one go, so every handler
    # has run before the operation object is released.
    _outcome = Signal(str, object)

    def __init__(self, title: str, lane: Lane, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.lane = lane
        self.ctx = OpContext(self)
        self.done = False
        self.error: BaseException | None = None
        self.result: Any = None
        self.future: Future[None] | None = None
        self.released: Callable[[Operation], None] | None = None
        self._outcome.connect(self._deliver)

    def cancel(self) -> None:
        self.ctx.cancel.cancel()

    def _deliver(self, kind: str, value: object) -> None:
        """On the UI thread: the outcome, then `finished`, then the runner forgets the operation."""
        self.done = True
        if kind == "ok":
            self.result = value
            self.succeeded.emit(value)
        elif kind == "failed":
            self.failed.emit(str(value))
        else:
            self.cancelled.emit()
        self.finished.emit()
        if self.released is not None:
            self.released(self)


class OperationRunner(QObject):
    """Owns the workers; `running_changed` lists the titles of the operations in progress."""

    running_changed = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix=DB_THREAD_PREFIX)
        self._net = ThreadPoolExecutor(max_workers=2, thread_name_prefix="maitre-ao-net")
        self._running: list[Operation] = []
        self._lock = threading.Lock()

    def run(
        self,
        title: str,
        fn: Callable[[OpContext], Any],
        *,
        on_success: Callable[[Any], object] | None = None,
        on_failure: Callable[[str], object] | None = None,
        on_progress: Callable[[int, int, str], object] | None = None,
        on_text: Callable[[str], object] | None = None,
        on_cancel: Callable[[], object] | None = None,
        on_partial: Callable[[Any], object] | None = None,
        lane: Lane = Lane.DB,
    ) -> Operation:
        op = Operation(title, lane, self)
        if on_success:
            op.succeeded.connect(_timed(title, on_success))
        if on_failure:
            op.failed.connect(_timed(title, on_failure))
        if on_progress:
            op.progressed.connect(on_progress)
        if on_text:
            op.text.connect(on_text)
        if on_cancel:
            op.cancelled.connect(on_cancel)
        if on_partial:
            op.partial.connect(_timed(title, on_partial))
        op.released = self._forget
        self._running.append(op)
        self.running_changed.emit([o.title for o in self._running])
        # Started on the next event-loop turn, so that whatever the caller connects to the
        # operation right after run() returns (progress bar, finished) cannot miss a signal.
        pool = self._db if lane is Lane.DB else self._net
        QTimer.singleShot(0, lambda: self._submit(pool, op, fn))
        return op

    def _submit(self, pool: ThreadPoolExecutor, op: Operation, fn: Callable[[OpContext], Any]) -> None:
        try:
            op.future = pool.submit(self._work, op, fn)
        except RuntimeError:  # the runner is shutting down (window closed)
            op._deliver("cancelled", None)

    def on_db_lane(self, step: Callable[[], T]) -> T:
        """From another lane: run a store step on the DB lane and wait for its result (the network
        lane hands its results over this way). On the DB lane itself, the step runs at once."""
        if threading.current_thread().name.startswith(DB_THREAD_PREFIX):
            return step()
        return self._db.submit(step).result()

    def call(self, fn: Callable[[], Any], lane: Lane = Lane.DB) -> Any:
        """Run `fn` on the worker and wait for it (start-up, tests): the UI stays responsive."""
        pool = self._db if lane is Lane.DB else self._net
        future = pool.submit(fn)
        loop = QEventLoop()
        # Queued: the callback runs on the worker thread, the loop lives on the UI thread.
        future.add_done_callback(
            lambda _f: QMetaObject.invokeMethod(loop, "quit", Qt.ConnectionType.QueuedConnection)
        )
        if not future.done():
            loop.exec()
        return future.result()

    def _work(self, op: Operation, fn: Callable[[OpContext], Any]) -> None:
        try:
            op.ctx.cancel.raise_if_cancelled()
            result = fn(op.ctx)
        except Cancelled:
            log.info("operation cancelled: %s", op.title)
            op._outcome.emit("cancelled", None)
        except UserError as exc:
            log.info("operation failed (user error %s): %s", type(exc).__name__, op.title, exc_info=True)
            op.error = exc
            op._outcome.emit("failed", user_message(exc))
        except Exception as exc:
            log.exception("operation failed: %s", op.title)
            op.error = exc
            op._outcome.emit("failed", user_message(exc))
        except BaseException:
            # SystemExit, KeyboardInterrupt…: not the operation's failure; the window is told it
            # stopped, and the exception goes on.
            log.warning("operation interrupted: %s", op.title)
            op._outcome.emit("cancelled", None)
            raise
        else:
            op._outcome.emit("ok", result)

    def _forget(self, op: Operation) -> None:
        if op in self._running:
            self._running.remove(op)
        self.running_changed.emit([o.title for o in self._running])
        op.deleteLater()

    @property
    def running(self) -> list[Operation]:
        return list(self._running)

    def wait_idle(self, timeout_s: float = 60.0) -> bool:
        """Process events until no operation runs (tests, tour, bench)."""
        deadline = time.monotonic() + timeout_s
        app = QCoreApplication.instance()
        while self._running and time.monotonic() < deadline:
            if app is not None:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.002)
        return not self._running

    def shutdown(self) -> None:
        for op in self._running:
            op.cancel()
        self._net.shutdown(wait=False, cancel_futures=True)
        self._db.shutdown(wait=True, cancel_futures=True)
