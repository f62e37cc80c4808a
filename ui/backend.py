"""The UI's typed door to the `app` services (no SQL, HTTP or parsing in ui/).

One small typed method per operation: each calls an `app.services` function directly, so mypy checks
every call and every result (a renamed service fails the type check, not the app in front of a user).
Results are `app.domain` rows, the services' own frozen dataclasses, or the few view rows below.

Every method runs on the operation runner's DB lane (the store's one thread), except the network
halves of Claude drafting which the runner puts on the network lane (see `ui/pages/memoire.py`).
Services load on first use (inside the methods) so that the window opens without waiting for them.
After an edit, `changed(...)` tells the window what changed ("what changed" notice, as in Anki):
the pages refresh from it and the sync controller schedules a background sync.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Flag, auto
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from app.domain.errors import NotReady, UserError
from app.domain.progress import CancelToken, ProgressFn

if TYPE_CHECKING:  # pydantic models and the services load with the first screen that needs them
    from app.analysis.claude.usage import CallUsage
    from app.domain.analysis import Analysis
    from app.domain.profile import CompanyProfile
    from app.domain.rows import ConsultationRow, PieceRow
    from app.domain.subcontracting import Subcontractor
    from app.services.account import AccountStatus, ConflictRow, DbLane, Keep, Session
    from app.services.claude import ClaudeStatus
    from app.services.proposals import StoredAnswer
    from app.services.store import Store
    from app.services.tracking import Timeline
    from app.settings import Settings

log = logging.getLogger(__name__)


class Changed(Flag):
    """What an edit changed: the window refreshes the pages that show it and schedules a sync."""

    NOTHING = 0
    CONSULTATIONS = auto()
    PROFILE = auto()
    LIBRARY = auto()
    MEMOIRE = auto()
    SYNC = auto()  # what syncs, or conflicts


@dataclass(frozen=True)
class ImportOutcome:
    consultation_uuid: str
    pieces: int
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, French reason)


@dataclass(frozen=True)
class CheckedImportOutcome:
    """An import checked against the consultations already there (`import_dce_checked`).

    `outcome`: "imported" (new consultation), "duplicate" (same content already there: nothing was
    kept, `consultation_uuid` is the existing one), "new_version" (a *modificatif* linked to
    `existing`, `changes` says what changed, deadline first). `existing`: for a duplicate, the
    consultation already there; for an import, the one with the same reference (other content)."""

    outcome: Literal["imported", "duplicate", "new_version"]
    consultation_uuid: str
    pieces: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, French reason)
    existing: ConsultationRow | None = None
    version: int = 1
    changes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class VersionRow:
    """A consultation imported as a new version: its number, the one it replaces, what changed."""

    version: int
    previous_uuid: str
    previous_title: str
    imported_at: str  # ISO, "" when unknown
    changes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CheckRow:
    label: str
    verdict: str  # ok, à vérifier, bloquant
    detail: str = ""
    source: str = ""  # "RC.pdf, p. 3"
    file: str | None = None
    page: int | None = None
    quote: str = ""


@dataclass(frozen=True)
class RequirementRow:
    text: str
    coverage: str  # couverte, partielle, non_couverte
    section: str = ""
    file: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class OutlineRow:
    """One heading of the mémoire's outline with its current text (`key` is "1", "1.2"…)."""

    key: str
    title: str
    level: int = 1
    parent_key: str | None = None
    body: str = ""
    weight_percent: float | None = None
    criterion: str = ""


@dataclass(frozen=True)
class SyncReport:
    """What one background sync did, for the status bar (computed off the UI thread)."""

    state: Literal["off", "ok", "offline", "error"]  # off: no account or no store
    message: str = ""
    lines: list[str] = field(default_factory=list)
    received: int = 0
    last_sync: str | None = None
    to_send: int = 0
    conflicts: int = 0


@dataclass(frozen=True)
class BlockRow:
    uuid: str
    title: str
    tags: str = ""
    body: str = ""
    reviewed_on: str | None = None
    needs_review: bool = False


@dataclass(frozen=True)
class ClaudeDraftJob:
    """What the network lane needs to draft one section with Claude (prepared on the DB lane)."""

    uuid: str
    key: str
    stored: StoredAnswer


T = TypeVar("T")


def _run_here(step: Callable[[], T]) -> T:
    return step()


class Backend:
    """Holds the open store (on the DB lane) and calls app.services with it."""

    def __init__(self, settings: Settings) -> None:
        # The app's one Settings object goes to every service that takes one.
        self.settings = settings
        self.store: Store | None = None
        # Owned by the DB lane: opened answers kept between calls, reopened when inputs change.
        self._answers: dict[str, StoredAnswer] = {}
        self._lock = threading.Lock()
        # Called (on the DB lane) after an edit with what changed: the window refreshes its pages
        # and its sync controller schedules a background sync a few seconds later.
        self.on_change: Callable[[Changed], None] | None = None
        # How the network lane hands store steps to the DB lane (the window's runner sets it; the
        # default runs them in the calling thread, for scripts and tests without a runner).
        self.on_db_lane: DbLane = _run_here

    def changed(self, what: Changed) -> None:
        if self.on_change is not None:
            try:
                self.on_change(what)
            except RuntimeError:  # the window that listened is gone
                log.debug("change notification dropped")

    def require_store(self) -> Store:
        if self.store is None:
            from app.services import store as store_service

            self.store = store_service.open_current()
        return self.store

    # --- store ----------------------------------------------------------------------------
    def store_exists(self) -> bool:
        from app.services import store as store_service

        return store_service.exists()

    def keychain_available(self) -> bool:
        """False on systems without a working keychain: the store then uses a passphrase."""
        from app.services import store as store_service

        return store_service.keychain_available()

    def needs_passphrase(self) -> bool:
        from app.services import store as store_service

        return store_service.needs_passphrase()

    def create_store(self, passphrase: str | None = None) -> str:
        """Create the encrypted store; returns the recovery key to show once ("" with a passphrase)."""
        from app.services import store as store_service

        self.store, key = store_service.create(passphrase=passphrase)
        return key

    def open(self, passphrase: str | None = None) -> None:
        """Open at start: the store service also applies the retention rule."""
        from app.services import store as store_service

        self.close()
        self.store, _report = store_service.open_at_start(passphrase=passphrase, settings=self.settings)

    def unlock(self, recovery_key: str) -> None:
        from app.services import store as store_service

        self.close()
        self.store = store_service.unlock(recovery_key)

    def close(self) -> None:
        self.forget_answer()
        if self.store is not None:
            self.store.close()
        self.store = None

    def backup(self, dest: Path) -> Path:
        from app.services import store as store_service

        return store_service.backup(self.require_store(), dest)

    def restore(self, src: Path, recovery_key: str) -> None:
        """Bring a backup back (the current store is moved aside by the service, not deleted)."""
        from app.services import store as store_service

        self.close()
        self.store, _aside = store_service.restore(src, recovery_text=recovery_key)

    def purge_now(self) -> int:
        from app.services import store as store_service

        return store_service.purge(self.require_store(), settings=self.settings).blobs

    def export_my_data(self, dest: Path) -> Path:
        from app.services import store as store_service

        return store_service.export_my_data(self.require_store(), dest)

    def erase_all(self) -> None:
        from app.services import store as store_service

        self.close()
        store_service.erase_all_local_data()

    # --- profile --------------------------------------------------------------------------
    def load_profile(self) -> CompanyProfile | None:
        from app.services import profile

        return profile.load(self.require_store())

    def save_profile(self, company: CompanyProfile) -> None:
        from app.services import profile

        self.forget_answer()
        profile.save(self.require_store(), company)
        self.changed(Changed.PROFILE)

    def import_profile(self, path: Path) -> CompanyProfile:
        """A profile JSON file (same format as `maitre-ao profile import`)."""
        from app.services import profile

        self.forget_answer()
        result = profile.import_file(self.require_store(), path)
        self.changed(Changed.PROFILE)
        return result.profile

    def expiring(self) -> list[tuple[str, str]]:
        """(label, ISO date) of the documents, insurance and certifications expired or expiring soon:
        the go/no-go's and the export's list, in the same window."""
        from app.services import profile

        return [(e.label, e.expires_on.isoformat()) for e in profile.expiring(self.require_store())]

    def attach_document_file(self, doc_uuid: str, path: Path) -> None:
        """Keep the file (PDF, PNG or JPEG, up to 25 Mo) of a saved administrative document inside the
        encrypted store; French message otherwise."""
        from app.services import documents

        documents.attach_file(self.require_store(), doc_uuid, path)
        self.changed(Changed.PROFILE)

    def document_files(self) -> dict[str, str]:
        """Administrative document uuid → name of the file kept for it in the store."""
        from app.services import documents

        return documents.kept_files(self.require_store())

    def remove_document_file(self, doc_uuid: str) -> None:
        from app.services import documents

        documents.remove_file(self.require_store(), doc_uuid)
        self.changed(Changed.PROFILE)

    def copy_document_file(self, doc_uuid: str, folder: Path) -> Path:
        """The document's kept file written into `folder` (to open it with the system's viewer)."""
        from app.services import documents

        return documents.copy_file(self.require_store(), doc_uuid, folder)

    # --- consultations --------------------------------------------------------------------
    def prepare_workers(self) -> None:
        """Start the DCE reader's worker processes ahead of the first import (~0.4 s, off the UI thread)."""
        from app.services import consultations

        consultations.prepare_workers()

    def import_dce_checked(
        self,
        paths: list[Path],
        progress: ProgressFn,
        cancel: CancelToken,
        on_analysis: Callable[[str, Analysis], None] | None = None,
        new_version_of: str | None = None,
    ) -> CheckedImportOutcome:
        """Import a DCE unless the same one (same content hash) is already there; with
        `new_version_of`, import it as a new version (*modificatif*) of that consultation."""
        from app.services import versions

        created: list[str] = []

        def first(analysis: Analysis) -> None:
            if on_analysis is not None and created:
                on_analysis(created[0], analysis)

        store = self.require_store()
        checked = versions.import_checked(
            store,
            paths,
            new_version=new_version_of or False,
            progress=progress,
            cancel=cancel,
            analyze=True,
            on_analysis=first,
            on_consultation=created.append,
        )
        self.changed(Changed.CONSULTATIONS)
        result = checked.result
        errors = [(e.file, e.message) for e in result.errors] if result is not None else []
        pieces = len(result.pieces) if result is not None else 0
        existing: ConsultationRow | None = None
        if checked.outcome == "duplicate":
            existing = self.consultation(checked.consultation_uuid)
        elif checked.outcome == "imported" and checked.related:
            existing = checked.related[0]
        elif checked.diff is not None:
            existing = self.consultation(checked.diff.previous_uuid)
        changes = checked.diff.lines() if checked.diff is not None else []
        outcome: Literal["imported", "duplicate", "new_version"] = (
            "duplicate"
            if checked.outcome == "duplicate"
            else "new_version"
            if checked.outcome == "new_version"
            else "imported"
        )
        return CheckedImportOutcome(
            outcome, checked.consultation_uuid, pieces, errors, existing, checked.version, changes
        )

    def make_new_version(self, uuid: str, previous_uuid: str) -> CheckedImportOutcome:
        """A consultation already imported becomes a new version (*modificatif*) of `previous_uuid`:
        the differences are computed and kept."""
        from app.services import versions

        number, diff = versions.link_as_version(self.require_store(), uuid, previous_uuid)
        self.changed(Changed.CONSULTATIONS)
        return CheckedImportOutcome(
            "new_version",
            uuid,
            existing=self.consultation(previous_uuid),
            version=number,
            changes=diff.lines(),
        )

    def discard_import(self, uuid: str) -> None:
        """Remove a consultation just imported (the user kept the one already there)."""
        from app.services import versions

        versions.discard(self.require_store(), uuid)
        self.changed(Changed.CONSULTATIONS)

    def version_of(self, uuid: str) -> VersionRow | None:
        """For a consultation imported as a new version: what it replaces and what changed."""
        from app.services import consultations, versions

        store = self.require_store()
        info = versions.version_details(store, uuid)
        if info is None:
            return None
        try:
            title = consultations.get_consultation(store, info.previous_uuid).title
        except UserError:
            title = "consultation supprimée"
        return VersionRow(info.version, info.previous_uuid, title, info.created_at, info.diff.lines())

    def consultations(self, query: str = "", status: str = "") -> list[ConsultationRow]:
        from app.services import consultations

        return consultations.list_consultations(self.require_store(), query=query, status=status)

    def consultation(self, uuid: str) -> ConsultationRow:
        from app.services import consultations

        return consultations.get_consultation(self.require_store(), uuid)

    def set_status(self, uuid: str, status: str) -> None:
        from app.services import consultations

        consultations.set_status(self.require_store(), uuid, status)
        self.changed(Changed.CONSULTATIONS)

    def status_counts(self) -> dict[str, int]:
        """How many consultations in each status (stored code → count, zeros included)."""
        from app.services import tracking

        return {status.value: n for status, n in tracking.status_counts(self.require_store()).items()}

    def deadline_timeline(self) -> Timeline:
        """The dashboard's window: the nearest deadlines however far (at least 8 weeks), recent
        past ones flagged."""
        from app.services import tracking

        return tracking.timeline(self.require_store())

    def write_calendar(self, path: Path) -> int:
        """Every deadline, questions date and site visit as an .ics file; how many dates written."""
        from app.domain.errors import NotPossible
        from app.services import ical

        try:
            return len(ical.write_calendar(self.require_store(), path))
        except OSError as exc:
            log.warning("calendar export failed: %s", type(exc).__name__)
            raise NotPossible(
                f"impossible d'écrire {path.name} dans « {path.parent} » (dossier absent, protégé en "
                "écriture ou disque plein). Choisissez un autre dossier."
            ) from exc

    def pieces(self, uuid: str) -> list[PieceRow]:
        from app.services import consultations

        return consultations.list_pieces(self.require_store(), uuid)

    def set_piece_kind(self, uuid: str, path: str, kind: str) -> None:
        from app.services import consultations

        consultations.set_piece_kind(self.require_store(), uuid, path, kind)

    def page_text(self, uuid: str, path: str, page: int | None) -> str:
        from app.services import consultations

        return consultations.page_text(self.require_store(), uuid, path, page or 1)

    def analyze(self, uuid: str, engine: str, progress: ProgressFn, cancel: CancelToken) -> Analysis:
        from app.services import consultations

        self.forget_answer(uuid)
        return consultations.analyze_consultation(
            self.require_store(), uuid, engine=engine, progress=progress, cancel=cancel
        )

    def analysis(self, uuid: str) -> Analysis | None:
        from app.services import consultations

        return consultations.get_analysis(self.require_store(), uuid)

    def correct(self, uuid: str, field_name: str, value: object) -> Analysis:
        from app.services import consultations

        self.forget_answer(uuid)
        analysis = consultations.set_override(self.require_store(), uuid, field_name, value)
        if analysis is None:
            raise NotReady("Cette consultation n'a pas encore été analysée : lancez d'abord l'analyse.")
        return analysis

    # --- proposals ------------------------------------------------------------------------
    # The proposals service works on a "stored answer" (outline, bodies, matrix, go/no-go, checklist)
    # opened per consultation; it is kept here between calls and reopened when inputs change.
    def _answer(self, uuid: str, reload: bool = False) -> StoredAnswer:
        from app.services import proposals

        with self._lock:
            if reload or uuid not in self._answers:
                self._answers[uuid] = proposals.open_answer(self.require_store(), uuid)
            return self._answers[uuid]

    def forget_answer(self, uuid: str | None = None) -> None:
        with self._lock:
            if uuid is None:
                self._answers.clear()
            else:
                self._answers.pop(uuid, None)

    def go_no_go(self, uuid: str) -> tuple[str, list[CheckRow]]:
        result = self._answer(uuid).answer.gonogo
        checks = [
            CheckRow(
                label=c.label,
                verdict=c.status.value,
                detail=c.detail,
                source=f"{c.file}, p. {c.page}" if c.file and c.page else (c.file or ""),
                file=c.file,
                page=c.page,
            )
            for c in result.checks
        ]
        text = result.verdict.value
        return (f"{text} — {'; '.join(result.reasons)}" if result.reasons else text), checks

    def requirements(self, uuid: str) -> list[RequirementRow]:
        return [
            RequirementRow(
                text=r.text,
                coverage=r.coverage.value,
                section=r.section_title or "",
                file=r.file,
                page=r.page,
            )
            for r in self._answer(uuid).answer.requirements
        ]

    def outline(self, uuid: str) -> list[OutlineRow]:
        answer = self._answer(uuid, reload=True).answer
        return [
            OutlineRow(
                key=s.key,
                title=s.title,
                level=s.level or 1,
                parent_key=s.key.rsplit(".", 1)[0] if "." in s.key else None,
                body=answer.bodies.get(s.key, ""),
                weight_percent=s.weight_percent,
                criterion=s.criterion or "",
            )
            for s in answer.outline.sections
        ]

    def draft_offline(self, uuid: str, key: str) -> str:
        """Redraft one section from the templates and the profile; saved as the section's text."""
        from app.services import library, proposals

        store = self.require_store()
        stored = self._answer(uuid)
        text = proposals.redraft_offline(stored.answer, key, library.all_blocks(store))
        proposals.save_section_text(store, stored, key, text, "offline")
        self.changed(Changed.MEMOIRE)
        return text

    def claude_job(self, uuid: str, key: str) -> ClaudeDraftJob:
        """DB lane: what drafting one section with Claude needs (the answer, the DCE texts), once the
        user agreed that this consultation's DCE text may be sent (else ConsentRequired)."""
        from app.services import consent

        job = ClaudeDraftJob(uuid, key, self._answer(uuid))
        consent.require(self.store, uuid, "claude", job.stored.pieces, "rédaction", settings=self.settings)
        return job

    @staticmethod
    def draft_claude(
        job: ClaudeDraftJob, on_text: Callable[[str], None], cancel: CancelToken
    ) -> tuple[str, list[CallUsage]]:
        """Network lane: stream one section from Claude; never touches the store. Returns the text
        (what came before a cancel is kept) and the usage records for the DB lane to keep."""
        from app.services import proposals

        usage: list[CallUsage] = []
        text = proposals.draft_with_claude(
            job.stored.answer,
            job.key,
            job.stored.pieces,
            on_text,
            cancel,
            consultation_uuid=job.uuid,
            usage_sink=usage.append,
            consented=True,  # checked on the DB lane by claude_job
        )
        return text, usage

    def save_claude_draft(self, job: ClaudeDraftJob, text: str, usage: list[CallUsage]) -> None:
        """DB lane: keep Claude's text and record its usage (the network lane handed them over)."""
        from app.services import claude, proposals

        store = self.require_store()
        sink = claude.ledger_sink(store, job.uuid)
        for record in usage:
            sink(record)
        if text.strip():
            proposals.save_section_text(store, job.stored, job.key, text, "claude")
            self.changed(Changed.MEMOIRE)

    def save_section(self, uuid: str, key: str, body: str) -> None:
        from app.services import proposals

        proposals.save_section_text(self.require_store(), self._answer(uuid), key, body, "manual")
        self.changed(Changed.MEMOIRE)

    def export(self, uuid: str, dest_dir: Path) -> tuple[list[Path], list[str]]:
        """Every file of the answer (mémoire DOCX, DC1, DC2, matrix XLSX, checklist) and warnings."""
        from app.services import proposals

        result = proposals.export_consultation(self.require_store(), uuid, dest_dir)
        self.changed(Changed.CONSULTATIONS)  # an export moves *À analyser* to *En cours*
        return list(result.files), list(result.warnings)

    # --- sub-contractors (one DC4 each at export) ---------------------------------------------
    def subcontractors(self, uuid: str) -> list[Subcontractor]:
        from app.services import subcontractors

        return subcontractors.list_for(self.require_store(), uuid)

    def save_subcontractor(self, uuid: str, fields: dict[str, object]) -> Subcontractor:
        """Declare a sub-contractor, or update it when `fields` holds its "uuid" (French message on
        bad input: SIRET, empty name or services, negative amount)."""
        from app.services import subcontractors

        return subcontractors.declare(self.require_store(), uuid, fields)

    def remove_subcontractor(self, uuid: str, sub_uuid: str) -> None:
        from app.services import subcontractors

        subcontractors.remove(self.require_store(), uuid, sub_uuid)

    # --- library --------------------------------------------------------------------------
    def blocks(self, query: str = "") -> list[BlockRow]:
        from app.services import library

        store = self.require_store()
        rows = library.search(store, query) if query else library.all_blocks(store)
        return [
            BlockRow(
                uuid=r.uuid,
                title=r.title,
                tags=", ".join(r.tags),
                body=r.body,
                reviewed_on=r.reviewed_on.isoformat() if r.reviewed_on else None,
                needs_review=library.status(r, settings=self.settings) == "à revoir",
            )
            for r in rows
        ]

    def save_block(self, block: BlockRow) -> str:
        from app.services import library

        store = self.require_store()
        tags = [t.strip() for t in block.tags.split(",") if t.strip()]
        if block.uuid:
            library.update(store, block.uuid, title=block.title, body=block.body, tags=tags)
            uuid = block.uuid
        else:
            uuid = library.add(store, block.title, block.body, tags).uuid
        self.changed(Changed.LIBRARY)
        return uuid

    def delete_block(self, uuid: str) -> None:
        from app.services import library

        library.delete(self.require_store(), uuid)
        self.changed(Changed.LIBRARY)

    def mark_reviewed(self, uuid: str) -> None:
        from app.services import library

        library.mark_reviewed(self.require_store(), uuid)
        self.changed(Changed.LIBRARY)

    # --- Claude and account ---------------------------------------------------------------
    def claude_status(self) -> ClaudeStatus:
        from app.services import claude

        return claude.status(self.settings)

    def set_api_key(self, key: str) -> None:
        from app.services import claude

        claude.set_api_key(key, self.settings)

    def delete_api_key(self) -> None:
        from app.services import claude

        claude.delete_api_key(self.settings)

    def set_claude_mode(self, mode: str) -> None:
        from app.services import claude

        claude.set_mode(mode, self.settings)

    def test_claude(self) -> tuple[str, list[CallUsage]]:
        """Network lane: a one-token call; its usage is handed to `record_usage` on the DB lane."""
        from app.services import claude

        usage: list[CallUsage] = []
        return claude.check_connection(settings=self.settings, usage_sink=usage.append), usage

    def record_usage(self, usage: list[CallUsage]) -> None:
        from app.services import claude

        claude.record_usage(self.require_store(), usage, self.settings)

    def monthly_spend(self) -> float:
        from app.services import claude

        return claude.usage_summary(self.require_store()).month.cost_eur

    def account_status(self) -> AccountStatus:
        from app.services import account

        return account.status(self.require_store())

    @staticmethod
    def open_session(server_url: str, email: str, password: str) -> Session:
        """Network lane: log in (tokens to the keychain); `remember_session` then runs on the DB lane."""
        from app.services import account
        from app.services import store as store_service

        return account.open_session(store_service.current_path(), server_url, email, password)

    def remember_session(self, session: Session) -> str:
        from app.services import account

        return account.remember_session(self.require_store(), session, settings=self.settings)

    def login(self, server_url: str, email: str, password: str) -> str:
        """Both halves in one call (tests, scripts): network then store."""
        return self.remember_session(self.open_session(server_url, email, password))

    def session_server(self) -> str | None:
        """DB lane: the server to log out from (handed to `close_session` on the network lane)."""
        from app.services import account

        return account.session_server(self.require_store())

    @staticmethod
    def close_session(server_url: str | None) -> None:
        """Network lane: revoke the session and forget the tokens."""
        from app.services import account
        from app.services import store as store_service

        account.close_session(store_service.current_path(), server_url)

    def logout(self) -> None:
        self.close_session(self.session_server())

    def sync_now(self) -> list[str]:
        """Push local edits and pull the others; French lines saying what moved."""
        from app.services import account

        return account.describe(account.sync_now(self.require_store()))

    # --- sync -----------------------------------------------------------------------------
    def sync_background(self) -> SyncReport:
        """One background sync (timer or edit), on the network lane: every store step is handed to
        the DB lane (`on_db_lane`). Never raises; the report says what happened."""
        from app.services import account

        if self.store is None:
            return SyncReport("off")
        store, db = self.store, self.on_db_lane
        try:
            before = db(lambda: account.status(store))
            if not before.logged_in:
                return SyncReport("off", conflicts=before.open_conflicts)
            summary = account.sync_now(store, db=db)
            report = SyncReport("ok", lines=account.describe(summary), received=summary.total_received)
        except account.SyncOffline as exc:
            report = SyncReport("offline", message=exc.message)
        except UserError as exc:
            log.info("background sync failed: %s", type(exc).__name__)
            report = SyncReport("error", message=exc.message)
        except Exception:
            log.exception("background sync failed")
            report = SyncReport(
                "error", message="La synchronisation a échoué ; vos modifications restent sur cet ordinateur."
            )
        try:
            st = db(lambda: account.status(store))
        except Exception:
            log.exception("sync status unavailable")
            return report
        return replace(report, last_sync=st.last_sync, to_send=st.to_send, conflicts=st.open_conflicts)

    def conflicts(self) -> list[ConflictRow]:
        from app.services import account

        return account.conflict_rows(self.require_store())

    def resolve_conflict(self, conflict_id: int, keep: Keep) -> None:
        """keep = "local" (becomes an edit, synced next) or "server"."""
        from app.services import account

        account.resolve_conflict(self.require_store(), conflict_id, keep)
        self.forget_answer()
        self.changed(Changed.SYNC)

    def delete_account(self, wipe_local: bool, password: str) -> None:
        """Network lane: erase the account on the server (after a fresh login with `password`); with
        `wipe_local`, this computer's store too (the store steps are handed to the DB lane)."""
        from app.services import account

        store, db = self.on_db_lane(self.require_store), self.on_db_lane
        account.delete_account(store, password=password, wipe_local=wipe_local, db=db)
        if wipe_local:
            db(self._forget_store)

    def _forget_store(self) -> None:
        """DB lane: the store was closed and deleted by the service."""
        self.forget_answer()
        self.store = None

    def memoire_sync(self, uuid: str) -> bool:
        from app.services import account

        return account.memoire_sync(self.require_store(), uuid)

    def set_memoire_sync(self, uuid: str, on: bool) -> None:
        from app.services import account

        account.set_memoire_sync(self.require_store(), uuid, on)
        self.changed(Changed.SYNC)

    def local_only(self, table: str) -> set[str]:
        """Ids of the records of `table` kept on this computer only."""
        from app.services import account

        return account.local_only(self.require_store(), table)

    def set_record_sync(self, table: str, uuid: str, keep_local: bool) -> None:
        from app.services import account

        account.set_record_sync(self.require_store(), table, uuid, keep_local=keep_local)
        self.changed(Changed.SYNC)
