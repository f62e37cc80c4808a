"""Consultation use cases shared by the CLI and the desktop app.

Import a DCE into a new consultation (progress, cancel, one French message per refused or unreadable
file), list consultations and their pieces, change a piece's kind, read a page, search the DCE texts,
run an analysis and keep the values corrected by hand over any re-analysis.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.analysis.claude.ledger import store_sink
from app.dce.archive import ArchiveLimits, safe_name
from app.dce.extractors import Extraction
from app.dce.reader import ReadOutcome, read_dce
from app.dce.worker import identity_alive, process_alive, process_identity
from app.domain.analysis import Analysis, Engine, Evidence
from app.domain.document import PieceText
from app.domain.errors import InvalidInput, NotReady, UserError
from app.domain.kinds import PieceKind
from app.domain.progress import CancelToken, ProgressFn, no_progress
from app.domain.rows import ConsultationRow, ConsultationStatus, PieceRow
from app.services import consent
from local_store import repo_consultations as repo_c
from local_store import repo_pieces as repo_p
from local_store.repo_pieces import SearchHit
from local_store.store import Store

log = logging.getLogger(__name__)

AnalysisFn = Callable[[Analysis], None]


@dataclass(frozen=True, slots=True)
class FileError:
    file: str
    message: str  # French


@dataclass(slots=True)
class ImportResult:
    consultation_uuid: str
    pieces: list[PieceRow] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extracted: int = 0  # distinct contents whose text was read in this import
    reused: int = 0  # distinct contents already read before (same content hash)
    analysis: Analysis | None = None
    analysis_ready_seconds: float | None = None  # from start until the first analysis was stored


# --- analysis (shared by `analyze` without store and by consultations) ------------------------------
def run_engine(
    pieces: list[PieceText],
    engine: str = "offline",
    *,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    usage_sink: Callable[[Any], None] | None = None,
    consultation_uuid: str | None = None,
) -> Analysis:
    """engines.analyze when the engines module exists, else the offline rules."""
    try:
        from app.analysis import engines
    except ModuleNotFoundError as exc:
        if exc.name != "app.analysis.engines":
            raise
        if engine != "offline":
            raise InvalidInput(f"Moteur d'analyse indisponible : {engine}.", field="engine") from exc
        from app.analysis.offline import analyze_offline

        return analyze_offline(pieces)
    return engines.analyze(
        pieces,
        engine,
        progress=progress,
        cancel=cancel,
        usage_sink=usage_sink,
        consultation_uuid=consultation_uuid,
    )


def _with_read_notes(analysis: Analysis, outcome: ReadOutcome | None) -> Analysis:
    if outcome is not None:
        for problem in outcome.problems:
            note = f"{problem.path} : {problem.message}"
            if note not in analysis.warnings:
                analysis.warnings.append(note)
    return analysis


def analyze_files(
    paths: Sequence[Path],
    engine: str = "offline",
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    workers: int | None = None,
    confirm: ConfirmFn | None = None,
) -> Analysis:
    """Analyse a ZIP, a folder or files without touching the store (`maitre-ao analyze`).

    With a Claude engine, `confirm(disclosure) -> bool` is asked before any DCE text leaves (the
    CLI asks on a terminal); without an agreement, ConsentRequired and nothing is sent."""
    outcome = read_dce(paths, progress=progress, cancel=cancel, workers=workers)
    if not outcome.pieces:
        raise InvalidInput(_nothing_readable(outcome), field="PATH")
    consent.agree(None, None, engine, outcome.pieces, "analyse", confirm)
    analysis = run_engine(outcome.pieces, engine, progress=progress, cancel=cancel)
    return _with_read_notes(analysis, outcome)


ConfirmFn = consent.ConfirmFn


def _nothing_readable(outcome: ReadOutcome) -> str:
    details = "; ".join(f"{p.path} : {p.message}" for p in outcome.problems)
    return "Aucun fichier du DCE n'a pu être lu" + (f" ({details})." if details else ".")


# --- import -------------------------------------------------------------------------------------
def _preload_engines() -> None:
    try:
        from app.analysis import engines  # noqa: F401
        from app.analysis.offline import analyze_offline  # noqa: F401
    except ImportError:
        pass


def prepare_workers() -> None:
    """Start the DCE reader's worker processes ahead of the first import (the desktop app, at start)."""
    from app.dce.reader import prepare_workers as start

    start()


def _cache(store: Store) -> Callable[[str], Extraction | None]:
    def lookup(sha256: str) -> Extraction | None:
        stored = repo_p.load_extraction(store, sha256)
        if stored is None:
            return None
        return Extraction(stored.format, stored.pages, stored.paged, stored.unread_reason, stored.error)

    return lookup


# Consultations this process is importing right now (others are told apart by their process id).
_RUNNING: set[str] = set()
_RUNNING_LOCK = threading.Lock()

IMPORT_INTERRUPTED = "import interrompu"
_ME = process_identity()


def import_running(row: ConsultationRow) -> bool:
    """True while an import of this consultation is running (in this process or another)."""
    if row.import_state == repo_c.IMPORT_DONE:
        return False
    if row.import_pid is None:
        return False
    if row.import_pid == os.getpid() and (row.import_owner or _ME) == _ME:
        with _RUNNING_LOCK:
            return row.uuid in _RUNNING
    if row.import_owner:
        return identity_alive(row.import_owner)  # a pid reused by another process does not count
    return process_alive(int(row.import_pid))


def is_interrupted(row: ConsultationRow) -> bool:
    """An import that stopped before committing (killed, crashed, cancelled): Reprendre / Supprimer."""
    return row.import_state != repo_c.IMPORT_DONE and not import_running(row)


def _safe_label(text: str) -> str:
    return safe_name(text)[0]


def import_dce(
    store: Store,
    paths: Sequence[Path],
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    analyze: bool = True,
    on_analysis: AnalysisFn | None = None,
    on_consultation: Callable[[str], None] | None = None,
    workers: int | None = None,
    limits: ArchiveLimits | None = None,
    resume: str | None = None,
) -> ImportResult:
    """Import a DCE into a new consultation (or, with `resume`, finish an interrupted one).

    The consultation is created *importing*: it is listed, and synced, only once the import
    committed (the final transaction marks it done). Pieces are stored as they are read (one
    transaction each), so an import killed or cancelled half-way leaves a consultation shown
    *import interrompu*, which `resume_import` completes (files already stored are not read again)
    or `delete_import` removes. With `analyze`, the offline analysis runs as soon as the decisive
    pieces (RC, cadre de réponse, CCAP) are read — `on_analysis` gets it while the rest is still
    being read — and once more at the end over every piece. `on_consultation` gets the new consultation's
    uuid as soon as it is created.
    """
    paths = [Path(p) for p in paths]
    started = datetime.now(UTC)

    source_name = _safe_label(paths[0].name if len(paths) == 1 else f"{len(paths)} fichiers")
    title = _safe_label(paths[0].stem) if len(paths) == 1 else source_name
    with store.transaction() as tx:
        if resume is None:
            consultation_uuid = repo_c.create(
                tx,
                title=title,
                source_name=source_name,
                importing=True,
                import_pid=os.getpid(),
                import_owner=_ME,
                import_sources=[_safe_label(str(p.absolute())) for p in paths],
            )
        else:
            consultation_uuid = resume
            repo_c.claim_import(tx, consultation_uuid, os.getpid(), _ME)
    if on_consultation is not None:
        on_consultation(consultation_uuid)
    with _RUNNING_LOCK:
        _RUNNING.add(consultation_uuid)
    try:
        with store.small_cache():
            return _import_into(
                store,
                consultation_uuid,
                paths,
                started,
                progress=progress,
                cancel=cancel,
                analyze=analyze,
                on_analysis=on_analysis,
                workers=workers,
                limits=limits,
                fresh=resume is None,
            )
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(consultation_uuid)


def _import_into(
    store: Store,
    consultation_uuid: str,
    paths: list[Path],
    started: datetime,
    *,
    progress: ProgressFn,
    cancel: CancelToken | None,
    analyze: bool,
    on_analysis: AnalysisFn | None,
    workers: int | None,
    limits: ArchiveLimits | None,
    fresh: bool,
) -> ImportResult:
    result = ImportResult(consultation_uuid)

    def on_piece(piece: PieceText, extraction: Extraction, fresh: bool, data: bytes) -> None:
        with store.transaction() as tx:
            repo_p.save_blob(tx, piece.sha256, data)
            if fresh:
                repo_p.save_extraction(
                    tx,
                    piece.sha256,
                    format=extraction.format,
                    paged=extraction.paged,
                    pages=extraction.pages,
                    unread_reason=extraction.unread_reason,
                    error=extraction.error,
                )
            repo_p.add_piece(
                tx, consultation_uuid, piece.path, piece.kind, piece.sha256, piece.size, piece.meta
            )

    def safe_analysis(pieces: list[PieceText]) -> Analysis | None:
        # The pieces are stored whatever happens: a failing analysis must not lose the import.
        try:
            return _analyze_and_store(store, consultation_uuid, pieces, "offline")
        except UserError:
            raise
        except Exception:
            log.exception("automatic analysis failed after import")
            note = "L'analyse automatique a échoué : relancez-la depuis la consultation."
            if note not in result.warnings:
                result.warnings.append(note)
            return None

    def on_decisive(pieces: list[PieceText]) -> None:
        if not analyze:
            return
        analysis = safe_analysis(pieces)
        if analysis is None:
            return
        result.analysis_ready_seconds = (datetime.now(UTC) - started).total_seconds()
        if on_analysis is not None:
            on_analysis(analysis)

    outcome = read_dce(
        paths,
        progress=progress,
        cancel=cancel,
        cache=_cache(store),
        on_piece=on_piece,
        on_decisive=on_decisive,
        # The analysis rules' first load (imports, regexes) overlaps with the workers' reading.
        on_queued=_preload_engines if analyze else None,
        workers=workers,
        limits=limits,
    )
    if not outcome.pieces and fresh:
        with store.transaction() as tx:
            repo_c.delete(tx, consultation_uuid)
        raise InvalidInput(_nothing_readable(outcome), field="PATH")

    result.errors = [FileError(p.path, p.message) for p in outcome.problems]
    result.errors += [FileError(p.path, p.error) for p in outcome.pieces if p.error]
    result.warnings = list(outcome.warnings) + result.warnings
    result.extracted, result.reused = outcome.extracted, outcome.reused
    if analyze:
        final = safe_analysis(outcome.pieces)
        result.analysis = None if final is None else _with_read_notes(final, outcome)
    with store.transaction() as tx:
        repo_c.finish_import(tx, consultation_uuid)
    result.pieces = repo_p.list_pieces(store, consultation_uuid)
    log.info(
        "import done: %d pieces, %d refused, %d extracted, %d reused",
        len(result.pieces),
        len(outcome.problems),
        outcome.extracted,
        outcome.reused,
    )
    return result


def _interrupted(store: Store, uuid: str) -> ConsultationRow:
    row = repo_c.get(store, uuid)
    if row is None:
        raise InvalidInput("Consultation introuvable.", field="consultation")
    if row.import_state == repo_c.IMPORT_DONE:
        raise InvalidInput(
            "L'import de cette consultation est terminé : rien à reprendre.", field="consultation"
        )
    if import_running(row):
        raise InvalidInput("Cette consultation est en cours d'import.", field="consultation")
    return row


def resume_import(
    store: Store,
    uuid: str,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    analyze: bool = True,
    on_analysis: AnalysisFn | None = None,
    workers: int | None = None,
) -> ImportResult:
    """Finish an interrupted import from the same files (those already stored are not read again)."""
    _interrupted(store, uuid)
    paths = [Path(p) for p in repo_c.import_sources(store, uuid)]
    missing = [str(p) for p in paths if not p.exists()]
    if not paths or missing:
        raise InvalidInput(
            "Les fichiers de cet import ne sont plus à leur place"
            + (f" ({', '.join(missing)})" if missing else "")
            + " : supprimez la consultation et importez le DCE à nouveau.",
            field="consultation",
        )
    return import_dce(
        store,
        paths,
        progress=progress,
        cancel=cancel,
        analyze=analyze,
        on_analysis=on_analysis,
        workers=workers,
        resume=uuid,
    )


def delete_import(store: Store, uuid: str) -> None:
    """Remove an interrupted import: the consultation, its pieces, and the files only it used."""
    _interrupted(store, uuid)
    with store.transaction() as tx:
        repo_c.delete(tx, uuid)
        repo_p.delete_unused_contents(tx)
    store.checkpoint()
    log.info("interrupted import deleted")


# --- consultations and pieces -----------------------------------------------------------------------
def list_consultations(
    store: Store, query: str = "", status: str = "", *, include_importing: bool = False
) -> list[ConsultationRow]:
    """Consultations whose import committed, and interrupted imports (see `is_interrupted`);
    one still being imported only with `include_importing` (the window showing that import)."""
    rows = repo_c.list_all(store, query=query, status=status)
    return rows if include_importing else [r for r in rows if not import_running(r)]


def get_consultation(store: Store, uuid: str) -> ConsultationRow:
    row = repo_c.get(store, uuid)
    if row is None:
        raise InvalidInput("Consultation introuvable.", field="consultation")
    return row


def set_status(store: Store, uuid: str, status: str | ConsultationStatus) -> None:
    try:
        new_status = ConsultationStatus(status)
    except ValueError:
        expected = ", ".join(s.value for s in ConsultationStatus)
        raise InvalidInput(f"Statut inconnu : « {status} » (attendu : {expected}).", field="status") from None
    get_consultation(store, uuid)
    with store.transaction() as tx:
        repo_c.update_metadata(tx, uuid, status=new_status.value)


def list_pieces(store: Store, uuid: str) -> list[PieceRow]:
    return repo_p.list_pieces(store, uuid)


def set_piece_kind(store: Store, uuid: str, path: str, kind: str | PieceKind) -> None:
    """The user corrects a piece's kind; a later re-import keeps the correction."""
    try:
        new_kind = PieceKind(str(getattr(kind, "value", kind)).upper())
    except ValueError as exc:
        raise InvalidInput(f"Type de pièce inconnu : « {kind} ».", field="kind") from exc
    with store.transaction() as tx:
        if not repo_p.set_piece_kind(tx, uuid, path, new_kind):
            raise InvalidInput(f"Pièce introuvable : {path}.", field="path")


def page_text(store: Store, uuid: str, path: str, page: int = 1) -> str:
    sha = repo_p.piece_sha(store, uuid, path)
    if sha is None:
        raise InvalidInput(
            f"Pièce introuvable ou son contenu a été supprimé (conservation) : {path}.", field="path"
        )
    text = repo_p.page_text(store, sha, page)
    if text is None:
        raise InvalidInput(f"Page {page} absente de {path}.", field="page")
    return text


def search(store: Store, text: str, consultation_uuid: str | None = None, limit: int = 50) -> list[SearchHit]:
    """Pages of imported DCEs holding every word (accents and case ignored)."""
    return repo_p.search(store, text, consultation_uuid=consultation_uuid, limit=limit)


# --- analysis of a consultation ---------------------------------------------------------------------
def _analyze_and_store(
    store: Store,
    uuid: str,
    pieces: list[PieceText],
    engine: str,
    *,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Analysis:
    analysis = run_engine(
        pieces,
        engine,
        progress=progress,
        cancel=cancel,
        usage_sink=store_sink(store, uuid),
        consultation_uuid=uuid,
    )
    with store.transaction() as tx:
        repo_c.save_analysis(tx, uuid, analysis.engine or engine, analysis.to_contract())
    effective = _apply_overrides(analysis, repo_c.overrides(store, uuid))
    _update_metadata(store, uuid, effective)
    return effective


def analyze_consultation(
    store: Store,
    uuid: str,
    engine: str = "offline",
    *,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    confirm: ConfirmFn | None = None,
) -> Analysis:
    """(Re-)analyse the stored pieces; values corrected by hand stay as corrected.

    With a Claude engine, the DCE text is sent only after the user agreed for this consultation
    (or globally); `confirm` asks when nothing was decided yet, else ConsentRequired."""
    get_consultation(store, uuid)
    pieces = repo_p.piece_texts(store, uuid)
    if not any(p.pages for p in pieces):
        raise NotReady(
            "Le texte des pièces n'est plus disponible (supprimé après la durée de conservation) : "
            "importez le DCE à nouveau pour l'analyser."
        )
    consent.agree(store, uuid, engine, pieces, "analyse", confirm)
    return _analyze_and_store(store, uuid, pieces, engine, progress=progress, cancel=cancel)


def get_analysis(store: Store, uuid: str) -> Analysis | None:
    """The latest analysis with the hand corrections applied, or None before any analysis."""
    row = repo_c.latest_analysis(store, uuid)
    if row is None:
        return None
    return _apply_overrides(Analysis.from_contract(row.result), repo_c.overrides(store, uuid))


def _manual_evidence(value: Any) -> Evidence:
    return Evidence(file="Correction manuelle", page=None, quote=str(value), engine=Engine.MANUAL)


def _apply_overrides(analysis: Analysis, values: dict[str, Any]) -> Analysis:
    if not values:
        return analysis
    data = analysis.to_contract()
    for name, value in values.items():
        candidate = {**data, name: value}
        try:
            Analysis.from_contract(candidate)
        except ValidationError:
            log.warning("stored correction for %s no longer fits the model; ignored", name)
            continue
        data = candidate
        data.setdefault("evidence", {})[name] = _manual_evidence(value).model_dump(mode="json")
    result = Analysis.from_contract(data)
    try:
        from app.analysis.fiche import render_fiche

        result.fiche = render_fiche(result)
    except ImportError:
        pass
    return result


def set_override(store: Store, uuid: str, field: str, value: Any) -> Analysis | None:
    """Keep a value corrected by hand (JSON-compatible, as in the contract) over any re-analysis."""
    if field not in Analysis.model_fields or field in ("pieces", "evidence", "engine", "fiche", "warnings"):
        raise InvalidInput(f"Champ inconnu ou non modifiable : « {field} ».", field="field")
    try:
        Analysis.from_contract({field: value})
    except ValidationError as exc:
        raise InvalidInput(f"Valeur invalide pour « {field} ».", field=field) from exc
    get_consultation(store, uuid)
    with store.transaction() as tx:
        repo_c.set_override(tx, uuid, field, value)
    analysis = get_analysis(store, uuid)
    if analysis is not None:
        _update_metadata(store, uuid, analysis)
    return analysis


def clear_override(store: Store, uuid: str, field: str) -> Analysis | None:
    with store.transaction() as tx:
        repo_c.clear_override(tx, uuid, field)
    analysis = get_analysis(store, uuid)
    if analysis is not None:
        _update_metadata(store, uuid, analysis)
    return analysis


def _update_metadata(store: Store, uuid: str, analysis: Analysis) -> None:
    fields: dict[str, str | None] = {
        "buyer": analysis.buyer,
        "reference": analysis.reference,
        "deadline": analysis.deadline,
        "questions_deadline": analysis.questions_deadline,
        "site_visit_date": analysis.site_visit_date,
        "analyzed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if analysis.object:
        fields["title"] = analysis.object
    with store.transaction() as tx:
        repo_c.update_metadata(tx, uuid, **fields)
