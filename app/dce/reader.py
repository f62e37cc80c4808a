"""Read a whole DCE: gather files safely, extract their text in parallel processes, decisive pieces first.

Pieces that decide the analysis (RC, cadre de réponse, CCAP/CCP — classified by name before any
text is read) are queued first and long PDFs are split into page ranges, so `on_decisive` fires (and
the analysis can run) while long CCTPs are still being read. Text is extracted once per content hash:
`cache(sha256)` returns an earlier extraction, and identical files in one DCE are read once.
"""

from __future__ import annotations

import concurrent.futures as cf
import gc
import logging
import math
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.dce.archive import ArchiveLimits, SourceFile, SourceProblem, collect_sources
from app.dce.classify import classify_name, classify_text
from app.dce.extractors import Extraction, ExtractionError, detect_format, pdf_page_count
from app.dce.worker import Task, init_worker, release_memory, run_batch, run_task, unexpected, warm_up
from app.domain.document import PageText, PieceText
from app.domain.kinds import READ_PRIORITY, PieceKind
from app.domain.progress import Cancelled, CancelToken, ProgressFn, no_progress

log = logging.getLogger(__name__)

DECISIVE = frozenset({PieceKind.RC, PieceKind.CADRE_REPONSE, PieceKind.CCAP, PieceKind.CCP})
MAX_WORKERS = 4
# A PDF is split into two page ranges per worker: pages differ in cost, so one range each would
# leave a worker idle at the end, and each range re-opens the file, so not many more. Decisive PDFs
# are split even when short, so they finish first. Cancel reaches the workers between two pages
# (a shared event), so long ranges do not delay it.
RANGES_PER_WORKER = 2
DECISIVE_MIN_CHUNK = 2
MIN_CHUNK = 8
# One more extraction process per this many PDF pages to read (up to `workers`). Each process
# costs ~15-20 MB (what it copies of the importing process's memory, PDFium's and its own
# objects); a second one only pays on long DCEs: the 119 pages of a real DCE are read in ~0.7 s of
# CPU by one process, while the analysis and the store run in the importing process.
PAGES_PER_WORKER = 150

ExtractionCache = Callable[[str], Extraction | None]
# piece, its extraction, freshly extracted (False: from the cache), the file's bytes
PieceCallback = Callable[[PieceText, Extraction, bool, bytes], None]
DecisiveCallback = Callable[[list[PieceText]], None]


@dataclass(slots=True)
class ReadOutcome:
    source_name: str
    pieces: list[PieceText] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)  # refused entries (French reasons)
    extracted: int = 0  # distinct contents whose text was extracted in this run
    reused: int = 0  # distinct contents found in the cache
    decisive_at: float | None = None  # seconds from start until the decisive pieces were read
    warnings: list[str] = field(default_factory=list)


def default_workers() -> int:
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


# What the fork server loads once for all the workers it forks (the office readers are imported
# only when a file needs them, so that an importing process that forks its workers stays light).
FORKSERVER_PRELOAD = [
    "app.dce.worker",
    "app.dce.extractors.docx",
    "app.dce.extractors.xlsx",
    "app.dce.extractors.odf",
]


def _mp_context() -> multiprocessing.context.BaseContext:
    """fork when this process has a single thread (CLI: workers start in milliseconds); else the
    fork server (never fork a process running Qt threads), spawn where fork does not exist."""
    if sys.platform.startswith("linux"):
        if threading.active_count() == 1:
            return multiprocessing.get_context("fork")
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(FORKSERVER_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def _freeze_for_fork(ctx: Any) -> bool:
    """Forked workers share this process's memory until either side writes to it, and a garbage
    collection writes to every object it scans: the objects that exist now are left out of the
    collections (both sides) while the pool lives, so the workers' memory stays shared (about 5 MB
    less per worker, measured with bench/ingest.py). True when frozen (`gc.unfreeze` at the end)."""
    if ctx.get_start_method() != "fork":
        return False
    gc.freeze()
    return True


def prepare_workers() -> None:
    """Start the fork server ahead of the first import (the desktop app calls this at start-up)."""
    if sys.platform.startswith("linux"):
        from multiprocessing import forkserver

        multiprocessing.get_context("forkserver").set_forkserver_preload(FORKSERVER_PRELOAD)
        forkserver.ensure_running()


class _Pool:
    """The extraction processes of one read, started once the read knows how many it needs."""

    def __init__(self, limit: int) -> None:
        self.limit = limit  # at most this many processes; 1: read in this process
        self.executor: cf.ProcessPoolExecutor | None = None
        self.office: cf.ProcessPoolExecutor | None = None
        self.ctx: Any = None
        self.stop: Any = None
        self.frozen = False

    def start(self, size: int) -> cf.ProcessPoolExecutor:
        self.ctx = ctx = _mp_context()
        self.stop = ctx.Event()
        self.executor = new_pool(size, ctx, self.stop)
        self.frozen = _freeze_for_fork(ctx)
        self.executor.submit(warm_up)  # fork: the processes start now, with this memory frozen
        return self.executor

    def office_reader(self) -> cf.ProcessPoolExecutor:
        """One more process for the office files (DOCX, XLSX, ODF), closed as soon as they are read:
        what the office readers load (odfpy; DOCX and XLSX are parsed with lxml and the standard library
        since issue 13, no longer python-docx and openpyxl) would otherwise stay in a PDF worker until
        its last page, when the import's memory peaks."""
        if self.office is None:
            self.office = new_pool(1, self.ctx, self.stop)
        return self.office

    def office_done(self) -> None:
        if self.office is not None:
            self.office.shutdown(wait=True)
            self.office = None

    def abort(self) -> None:
        for executor in (self.executor, self.office):
            if executor is not None:
                self.stop.set()  # workers stop between two pages
                executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self.office = None

    def close(self) -> None:
        self.office_done()
        if self.executor is not None:
            self.executor.shutdown(wait=True)
            self.executor = None
        if self.frozen:
            gc.unfreeze()
            self.frozen = False


def pool_size(limit: int, pdf_pages: int) -> int:
    """Extraction processes for a read of `pdf_pages` PDF pages: one, plus one per PAGES_PER_WORKER
    pages, at most `limit`."""
    return max(1, min(limit, 1 + pdf_pages // PAGES_PER_WORKER))


def new_pool(workers: int, ctx: Any, stop: Any) -> cf.ProcessPoolExecutor:
    """Extraction processes that stop between pages on `stop` and die with this process."""
    return cf.ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=init_worker, initargs=(stop, os.getpid())
    )


@dataclass(slots=True)
class _Content:
    """One distinct content (sha256) and the files that carry it."""

    sha256: str
    files: list[SourceFile]
    priority: int
    decisive: bool
    fmt: str = ""  # the same bytes under two formats' names (e.g. empty .docx and .xlsx) are two contents
    chunks: dict[int, Extraction] = field(default_factory=dict)
    expected: int = 1
    pages: int | None = None  # PDF page count, once counted

    def page_count(self) -> int:
        """The PDF's page count (ExtractionError when the file cannot be opened)."""
        if self.pages is None:
            self.pages = pdf_page_count(self.files[0].data)
        return self.pages

    @property
    def key(self) -> str:
        return f"{self.sha256}:{self.fmt}"


def _plan(
    contents: list[_Content], workers: int
) -> tuple[list[tuple[_Content, int, Task]], dict[str, Extraction]]:
    """Tasks in reading order, and extractions known without any work (unread formats, bad PDFs)."""
    tasks: list[tuple[_Content, int, Task]] = []
    immediate: dict[str, Extraction] = {}
    for content in contents:
        first = content.files[0]
        fmt = content.fmt or detect_format(first.name, first.data)
        if fmt in ("unread", "empty"):
            immediate[content.key] = run_task(Task(content.sha256, first.name, first.data))
            continue
        if fmt != "pdf" or workers <= 1:
            tasks.append((content, 0, Task(content.sha256, first.name, first.data, pdf=fmt == "pdf")))
            continue
        try:
            count = content.page_count()
        except ExtractionError as exc:
            immediate[content.key] = Extraction("pdf", error=exc.message)
            continue
        floor = DECISIVE_MIN_CHUNK if content.decisive else MIN_CHUNK
        size = max(floor, math.ceil(count / (workers * RANGES_PER_WORKER)))
        starts = list(range(0, max(count, 1), size))
        content.expected = len(starts)
        for i, start in enumerate(starts):
            tasks.append(
                (content, i, Task(content.sha256, first.name, first.data, start, start + size, pdf=True))
            )
    order = {id(c): n for n, c in enumerate(contents)}
    tasks.sort(key=lambda t: (t[0].priority, order[id(t[0])], t[1]))
    return tasks, immediate


def _pdf_pages(contents: list[_Content]) -> int:
    """Pages of the PDFs among `contents` (those that cannot be opened count none)."""
    pages = 0
    for content in contents:
        if content.fmt == "pdf":
            try:
                pages += content.page_count()
            except ExtractionError:
                continue
    return pages


def _contents(files: list[SourceFile]) -> tuple[list[_Content], dict[str, PieceKind | None]]:
    """Distinct contents in reading order (decisive first), and each file's kind from its name."""
    by_sha: dict[tuple[str, str], _Content] = {}
    name_kinds: dict[str, PieceKind | None] = {}
    for f in files:
        kind = classify_name(f.path)
        name_kinds[f.path] = kind
        prio = READ_PRIORITY[kind] if kind else READ_PRIORITY[PieceKind.AUTRE]
        fmt = detect_format(f.name, f.data)
        content = by_sha.get((f.sha256, fmt))
        if content is None:
            by_sha[(f.sha256, fmt)] = _Content(f.sha256, [f], prio, kind in DECISIVE, fmt)
        else:
            content.files.append(f)
            content.priority = min(content.priority, prio)
            content.decisive = content.decisive or kind in DECISIVE
    contents = sorted(by_sha.values(), key=lambda c: (c.priority, c.files[0].path.lower()))
    return contents, name_kinds


def _merge(chunks: dict[int, Extraction]) -> Extraction:
    parts = [chunks[i] for i in sorted(chunks)]
    if len(parts) == 1:
        return parts[0]
    pages: list[PageText] = [p for part in parts for p in part.pages]
    errors = [p.error for p in parts if p.error]
    error = errors[0] if errors and (len(errors) == len(parts) or not pages) else None
    if errors and error is None:
        log.info("some page ranges of a PDF failed")
    return Extraction(parts[0].format, pages, parts[0].paged, parts[0].unread_reason, error)


def read_dce(
    paths: Sequence[Path],
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    cache: ExtractionCache | None = None,
    on_piece: PieceCallback | None = None,
    on_decisive: DecisiveCallback | None = None,
    on_queued: Callable[[], None] | None = None,
    workers: int | None = None,
    limits: ArchiveLimits | None = None,
) -> ReadOutcome:
    """Read every piece; `workers=1` reads in this process (no pool), else in at most `workers`
    processes (`pool_size`: one per PAGES_PER_WORKER PDF pages).

    Callbacks run in the calling thread: `on_piece` as each piece is read, `on_decisive` once the
    decisive pieces are read, `on_queued` once the first tasks are queued (work to overlap with the
    workers' reading; never start threads before the pool exists: workers may be forked)."""
    started = time.perf_counter()
    cancel = cancel or CancelToken()
    workers = default_workers() if workers is None else max(1, workers)
    pool = _Pool(workers)
    try:
        progress(0, 0, "Ouverture du DCE")
        sources = collect_sources(paths, limits=limits, cancel=cancel)
        outcome = ReadOutcome(sources.source_name, problems=list(sources.problems))
        _read(
            sources.files,
            outcome,
            pool,
            progress,
            cancel,
            cache,
            on_piece,
            on_decisive,
            on_queued or _nothing,
            started,
        )
    except BaseException:
        pool.abort()
        raise
    finally:
        pool.close()
    if not any(p.kind == PieceKind.RC for p in outcome.pieces):
        outcome.warnings.append(
            "Aucun règlement de la consultation (RC) n'a été trouvé dans le DCE : vérifiez les pièces."
        )
    return outcome


def _read(
    files: list[SourceFile],
    outcome: ReadOutcome,
    pool: _Pool,
    progress: ProgressFn,
    cancel: CancelToken,
    cache: ExtractionCache | None,
    on_piece: PieceCallback | None,
    on_decisive: DecisiveCallback | None,
    on_queued: Callable[[], None],
    started: float,
) -> None:
    contents, name_kinds = _contents(files)

    pieces: dict[str, PieceText] = {}
    pending_decisive = {c.key for c in contents if c.decisive}
    decisive_fired = False

    def finish(content: _Content, extraction: Extraction, fresh: bool) -> None:
        nonlocal decisive_fired
        first_text = extraction.pages[0].text if extraction.pages else None
        text_kind = classify_text(first_text) if first_text else None
        for f in content.files:
            kind = name_kinds[f.path] or text_kind or PieceKind.AUTRE
            piece = PieceText(
                f.path,
                kind,
                f.sha256,
                f.size,
                list(extraction.pages),
                extraction.unread_reason,
                extraction.error,
                extraction.paged,
                f.meta,
            )
            pieces[f.path] = piece
            if on_piece is not None:
                on_piece(piece, extraction, fresh, f.data)
        pending_decisive.discard(content.key)
        if not decisive_fired and not pending_decisive and pieces_needed_done():
            decisive_fired = True
            outcome.decisive_at = time.perf_counter() - started
            if on_decisive is not None:
                on_decisive(_ordered(pieces, files))

    def pieces_needed_done() -> bool:
        # Without any decisive piece named as such, the analysis waits for every piece.
        return any(c.decisive for c in contents) or len(pieces) == len(files)

    to_extract: list[_Content] = []
    for content in contents:
        cancel.raise_if_cancelled()
        cached = cache(content.sha256) if cache is not None else None
        if (
            cached is not None
            and cached.format != content.fmt
            and "unread" not in (cached.format, content.fmt)
        ):
            cached = None  # read under another format's name before: read it as what it is now
        if cached is not None:
            outcome.reused += 1
            finish(content, cached, False)
        else:
            to_extract.append(content)

    # Decisive pieces are planned and queued first; the rest is planned while they are being read.
    first = [c for c in to_extract if c.decisive]
    rest = [c for c in to_extract if not c.decisive]
    # No process to start when everything was read before (cache).
    parallel = pool.limit > 1 and bool(to_extract)
    workers = pool_size(pool.limit, _pdf_pages(to_extract)) if parallel else 1
    executor = pool.start(workers) if parallel else None
    batches = [_plan(first, workers), _plan(rest, workers)] if executor is None else [_plan(first, workers)]
    total = outcome.reused + len(to_extract)  # progress counts distinct contents
    done = outcome.reused

    def complete(content: _Content, index: int, result: Extraction) -> None:
        nonlocal done
        content.chunks[index] = result
        if len(content.chunks) == content.expected:
            done += 1
            outcome.extracted += 1
            progress(done, total, f"Lecture de {content.files[0].name}")
            finish(content, _merge(content.chunks), True)
            content.chunks.clear()
            release_memory()  # the pickled results and the piece's copies are gone by now

    def run_immediate(immediate: dict[str, Extraction]) -> None:
        for content in to_extract:
            if content.key in immediate:
                complete(content, 0, immediate[content.key])

    progress(done, total, "Lecture des pièces")
    if executor is None:
        on_queued()
        for tasks, immediate in batches:
            run_immediate(immediate)
            for content, index, task in tasks:
                cancel.raise_if_cancelled()
                complete(content, index, run_task(task))
    else:
        tasks, immediate = batches[0]
        futures = _submit(executor, tasks, pool.office_reader)
        run_immediate(immediate)
        more, immediate = _plan(rest, workers)
        futures.update(_submit(executor, more, pool.office_reader))
        on_queued()
        run_immediate(immediate)
        _wait_all(futures, cancel, complete, all_read=pool.close, office_read=pool.office_done)

    outcome.pieces = _ordered(pieces, files)
    if not decisive_fired:
        outcome.decisive_at = time.perf_counter() - started
        if on_decisive is not None:
            on_decisive(outcome.pieces)


_Job = tuple[_Content, int, Task]
# Files read by the same library go to one worker as one task, so that a reader's modules are loaded
# by one process only. PDFs are not grouped (ranges share the work).
_LIBRARY = {"docx": "docx", "xlsx": "xlsx", "odt": "odf", "ods": "odf"}


def _is_office(group: list[_Job]) -> bool:
    content, _, task = group[0]
    return not task.pdf and content.fmt in _LIBRARY


def _submit(
    executor: cf.ProcessPoolExecutor,
    tasks: list[_Job],
    office: Callable[[], cf.ProcessPoolExecutor] | None = None,
) -> dict[cf.Future[list[Extraction]], list[_Job]]:
    """Queues the tasks, the files of one office library as one task; those go to `office()` (a
    process of their own) when given."""
    groups: list[list[_Job]] = []
    by_library: dict[str, list[_Job]] = {}
    for job in tasks:
        library = None if job[2].pdf else _LIBRARY.get(job[0].fmt)
        if library is None:
            groups.append([job])
        elif library in by_library:
            by_library[library].append(job)
        else:
            by_library[library] = [job]
            groups.append(by_library[library])
    futures: dict[cf.Future[list[Extraction]], list[_Job]] = {}
    for group in groups:
        to = office() if office is not None and _is_office(group) else executor
        futures[to.submit(run_batch, tuple(job[2] for job in group))] = group
    return futures


def _wait_all(
    futures: dict[cf.Future[list[Extraction]], list[_Job]],
    cancel: CancelToken,
    complete: Callable[[_Content, int, Extraction], None],
    all_read: Callable[[], None] = lambda: None,
    office_read: Callable[[], None] = lambda: None,
) -> None:
    """Hands each finished task's results to `complete`, in submission order. `all_read` runs as soon
    as the last task has finished, before its results are stored and analysed: the idle extraction
    processes exit then, not after the importing process's own work (their memory is freed earlier);
    `office_read` likewise once the office files' tasks have finished."""
    order = {f: n for n, f in enumerate(futures)}
    office = {f for f, jobs in futures.items() if _is_office(jobs)}
    retry: list[_Job] = []
    pending = set(futures)
    while pending:
        if cancel.cancelled:
            for f in pending:
                f.cancel()
            raise Cancelled()
        finished, pending = cf.wait(pending, timeout=0.1, return_when=cf.FIRST_COMPLETED)
        if office and office.isdisjoint(pending):
            office = set()
            office_read()
        if not pending:
            all_read()
        for fut in sorted(finished, key=order.__getitem__):
            jobs = futures[fut]
            try:
                results = fut.result()
            except BrokenProcessPool:
                retry.extend(jobs)
                continue
            except Exception:
                log.exception("extraction task failed")
                results = [
                    Extraction("unread", paged=False, error=unexpected(task.name, task.pdf))
                    for _, _, task in jobs
                ]
            for (content, index, _), result in zip(jobs, results, strict=True):
                complete(content, index, result)
    if retry:
        # A worker died (crash, memory): read what it took down again, one by one in a fresh pool,
        # so the file that kills the reader only fails itself.
        log.warning("extraction pool broke; retrying %d tasks", len(retry))
        for content, index, task in retry:
            cancel.raise_if_cancelled()
            with new_pool(1, _mp_context(), None) as solo:
                try:
                    result = solo.submit(run_task, task).result()
                except Exception:
                    result = Extraction("unread", paged=False, error=unexpected(task.name, task.pdf))
            complete(content, index, result)


def _nothing() -> None:
    return None


def _ordered(pieces: dict[str, PieceText], files: list[SourceFile]) -> list[PieceText]:
    return [pieces[f.path] for f in files if f.path in pieces]
