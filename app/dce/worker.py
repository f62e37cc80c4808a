"""What runs in the extraction processes: small picklable tasks, never raising."""

from __future__ import annotations

import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from app.dce.extractors import Extraction, extract, extract_pdf

log = logging.getLogger(__name__)

UNEXPECTED = "Erreur inattendue pendant la lecture de ce fichier : il est stocké mais son texte n'est pas lu."
TOO_LONG = "Lecture abandonnée : ce fichier prend anormalement longtemps à lire (fichier malformé ?)."
# A damaged file can send a parser into an endless loop: past this, the task gives up (worker
# processes on POSIX only; a page range of a sane PDF takes seconds).
TASK_TIMEOUT_S = 300


@dataclass(frozen=True, slots=True)
class Task:
    sha256: str
    name: str
    data: bytes
    start: int = 0  # PDF page range [start, stop), 0-based; stop None = whole file
    stop: int | None = None
    pdf: bool = False


class _TooLong(Exception):
    pass


_stop: Any = None  # multiprocessing Event shared with the importing process
_in_worker = False


def init_worker(stop: Any) -> None:
    global _stop, _in_worker
    _stop = stop
    _in_worker = True


def _stopped() -> bool:
    return _stop is not None and _stop.is_set()


def _alarm(signum: int, frame: Any) -> None:
    raise _TooLong()


@contextmanager
def _deadline() -> Iterator[None]:
    if not _in_worker or not hasattr(signal, "SIGALRM"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TASK_TIMEOUT_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_task(task: Task) -> Extraction:
    try:
        with _deadline():
            if task.pdf:
                return extract_pdf(task.data, task.start, task.stop, should_stop=_stopped)
            return extract(task.name, task.data)
    except _TooLong:
        log.warning("extraction timed out after %d s", TASK_TIMEOUT_S)
        return Extraction("unread", paged=False, error=TOO_LONG)
    except Exception as exc:  # one broken piece never stops the others
        # The trace says where it broke (file name and page text never go to the log).
        log.warning("extraction failed unexpectedly: %s", type(exc).__name__, exc_info=True)
        return Extraction("unread", paged=False, error=UNEXPECTED)


def warm_up() -> int:
    """Started with the pool so the workers' imports overlap with reading the archive."""
    return 0
