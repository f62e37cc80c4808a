"""What runs in the extraction processes: small picklable tasks, never raising."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from app.dce.extractors import Extraction, extract, extract_pdf

log = logging.getLogger(__name__)

UNEXPECTED = "Erreur inattendue pendant la lecture de ce fichier : il est stocké mais son texte n'est pas lu."


@dataclass(frozen=True, slots=True)
class Task:
    sha256: str
    name: str
    data: bytes
    start: int = 0  # PDF page range [start, stop), 0-based; stop None = whole file
    stop: int | None = None
    pdf: bool = False


_stop: Any = None  # multiprocessing Event shared with the importing process


def init_worker(stop: Any) -> None:
    global _stop
    _stop = stop


def _stopped() -> bool:
    return _stop is not None and _stop.is_set()


def run_task(task: Task) -> Extraction:
    try:
        if task.pdf:
            return extract_pdf(task.data, task.start, task.stop, should_stop=_stopped)
        return extract(task.name, task.data)
    except Exception as exc:  # one broken piece never stops the others
        log.warning("extraction failed unexpectedly: %s", type(exc).__name__)
        return Extraction("unread", paged=False, error=UNEXPECTED)


def warm_up() -> int:
    """Started with the pool so the workers' imports overlap with reading the archive."""
    return 0
