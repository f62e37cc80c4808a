"""What runs in the extraction processes: small picklable tasks, never raising."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from app.dce.extractors import Extraction, extract, extract_pdf

log = logging.getLogger(__name__)

UNEXPECTED = "Erreur inattendue pendant la lecture de ce fichier : il est stocké mais son texte n'est pas lu."
TOO_LONG = "Lecture abandonnée : ce fichier prend anormalement longtemps à lire (fichier malformé ?)."
# The real format, named in every error (an empty or broken .docx is never "PDF illisible").
FORMAT_LABELS = {
    "pdf": "PDF",
    "docx": "Document Word (DOCX)",
    "xlsx": "Classeur Excel (XLSX)",
    "odt": "Document OpenDocument (ODT)",
    "ods": "Classeur OpenDocument (ODS)",
    "txt": "Texte (TXT)",
}


def unexpected(name: str, pdf: bool = False) -> str:
    """UNEXPECTED, naming the format read."""
    from app.dce.extractors import detect_format

    label = FORMAT_LABELS.get("pdf" if pdf else detect_format(name, b"x"))
    return f"{label} : {UNEXPECTED[0].lower()}{UNEXPECTED[1:]}" if label else UNEXPECTED


def too_long(name: str, pdf: bool = False) -> str:
    from app.dce.extractors import detect_format

    label = FORMAT_LABELS.get("pdf" if pdf else detect_format(name, b"x"))
    return f"{label} : {TOO_LONG[0].lower()}{TOO_LONG[1:]}" if label else TOO_LONG


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


PARENT_POLL_S = 0.25


def init_worker(stop: Any, parent_pid: int | None = None) -> None:
    """Pool initializer: the shared stop event, and death with the importing process."""
    global _stop, _in_worker
    _stop = stop
    _in_worker = True
    if parent_pid is not None:
        die_with_parent(parent_pid)


def die_with_parent(parent_pid: int) -> None:
    """End this process as soon as `parent_pid` (the importing process) is gone, whatever killed it.

    Linux: the kernel sends SIGKILL when our parent dies (prctl PR_SET_PDEATHSIG); the parent may be
    the fork server, which itself exits when the app dies. Every OS: a daemon thread watches the
    importing process (a wait on its handle on Windows, a poll elsewhere) and exits at once."""
    if sys.platform.startswith("linux"):
        _linux_death_signal()
    if sys.platform == "win32":
        target = _windows_waiter(parent_pid)
    else:
        target = _posix_poller(parent_pid)
    threading.Thread(target=target, name="parent-watch", daemon=True).start()


def _linux_death_signal() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        log.info("prctl unavailable; parent watch thread only")


def _posix_poller(parent_pid: int) -> Any:
    first_ppid = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_S)
            if os.getppid() != first_ppid or not _alive(parent_pid):
                os._exit(1)

    return watch


def process_alive(pid: int) -> bool:
    """True while process `pid` runs (any OS; a zombie counts as gone)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return bool(code.value == 259)  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    return _alive(pid)


def _linux_start(pid: int) -> str:
    """Boot id and start time of process `pid` (Linux), "" elsewhere: a pid reused later differs."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            boot = fh.read().strip()
        with open(f"/proc/{pid}/stat", "rb") as fh:
            start = fh.read().rsplit(b")", 1)[-1].split()[19].decode()
    except (OSError, IndexError):
        return ""
    return f"{boot}/{start}"


def process_identity(pid: int | None = None) -> str:
    """What tells this process apart from a later one given the same pid."""
    pid = os.getpid() if pid is None else pid
    return f"{pid}@{_linux_start(pid)}"


def identity_alive(identity: str) -> bool:
    """True while the process `identity` (from process_identity) runs."""
    pid_text, _, start = identity.partition("@")
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if not process_alive(pid):
        return False
    return not start or _linux_start(pid) == start


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _not_zombie(pid)


def _not_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:
        return True  # no /proc (macOS): kill(pid, 0) said it exists


def _windows_waiter(parent_pid: int) -> Any:
    def watch() -> None:
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        synchronize = 0x00100000
        handle = kernel32.OpenProcess(synchronize, False, parent_pid)
        if not handle:
            os._exit(1)
        kernel32.WaitForSingleObject(handle, 0xFFFFFFFF)  # INFINITE: returns when the parent ends
        os._exit(1)

    return watch


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


_libc: Any = None


def _glibc() -> Any:
    """glibc's handle on Linux, None elsewhere or with another C library (musl)."""
    global _libc
    if _libc is None:
        _libc = False
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                libc = ctypes.CDLL("libc.so.6")
                _ = libc.malloc_trim
                _libc = libc
            except (OSError, AttributeError):
                log.info("not glibc: freed memory is left to the C library")
    return _libc or None


def release_memory() -> None:
    """Give the heap's free pages back to the system. glibc keeps freed memory for reuse: after a
    large piece has been read and stored (or, in a worker, after a task), the process would go on
    weighing what it needed then."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def run_task(task: Task) -> Extraction:
    try:
        return _run(task)
    finally:
        if _in_worker:
            release_memory()


def run_batch(tasks: tuple[Task, ...]) -> list[Extraction]:
    """Several files in one worker, one after the other (each with its own time limit)."""
    return [run_task(task) for task in tasks]


def _run(task: Task) -> Extraction:
    try:
        with _deadline():
            if task.pdf:
                return extract_pdf(task.data, task.start, task.stop, should_stop=_stopped)
            return extract(task.name, task.data)
    except _TooLong:
        log.warning("extraction timed out after %d s", TASK_TIMEOUT_S)
        return Extraction("unread", paged=False, error=too_long(task.name, task.pdf))
    except Exception as exc:  # one broken piece never stops the others
        # The trace says where it broke (file name and page text never go to the log).
        log.warning("extraction failed unexpectedly: %s", type(exc).__name__, exc_info=True)
        return Extraction("unread", paged=False, error=unexpected(task.name, task.pdf))


def warm_up() -> int:
    """Started with the pool so the workers' imports overlap with reading the archive."""
    return 0
