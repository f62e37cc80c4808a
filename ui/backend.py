"""The UI's single door to the `app` services (no SQL, HTTP or parsing in ui/).

Every method here runs on the operation runner's DB worker (or the network lane for Claude tests),
never on the UI thread. Services are looked up by name so that a service not built yet shows as
"indisponible" instead of crashing the window: `ServiceUnavailable` carries the French message.
Results are normalized into small UI rows so the screens do not depend on each service's classes.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.errors import UserError
from app.domain.progress import CancelToken, ProgressFn

if TYPE_CHECKING:  # pydantic models load with the first screen that needs them
    from app.domain.analysis import Analysis
    from app.domain.profile import CompanyProfile
    from app.settings import Settings

log = logging.getLogger(__name__)

# Parameter names under which services take the open store (first positional argument).
_STORE_PARAMS = ("store", "db", "conn", "connection", "st")


class ServiceUnavailable(UserError):
    """A service the screen needs is not part of this build yet."""


def get(obj: Any, name: str, default: Any = None) -> Any:
    """Attribute or key access for service results (dataclasses, pydantic models or dicts)."""
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


@dataclass
class ConsultationRow:
    uuid: str
    title: str
    buyer: str = ""
    reference: str = ""
    deadline: str | None = None
    questions_deadline: str | None = None
    site_visit_date: str | None = None
    status: str = "a_analyser"


@dataclass
class PieceRow:
    path: str
    kind: str
    pages: int | None = None
    needs_ocr: bool = False
    ocr_pages: int = 0
    unread_reason: str | None = None
    error: str | None = None
    kind_manual: bool = False


@dataclass
class ImportOutcome:
    consultation_uuid: str
    pieces: int
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, French reason)


@dataclass
class CheckRow:
    label: str
    verdict: str  # ok, a_verifier, bloquant
    detail: str = ""
    source: str = ""  # "RC.pdf p. 3"
    file: str | None = None
    page: int | None = None
    quote: str = ""


@dataclass
class RequirementRow:
    text: str
    coverage: str  # couverte, partielle, non_couverte
    section: str = ""
    file: str | None = None
    page: int | None = None


@dataclass
class SectionRow:
    uuid: str
    title: str
    level: int = 1
    parent_uuid: str | None = None
    body: str = ""
    weight_percent: float | None = None
    criterion: str = ""


@dataclass
class ConflictRow:
    """A conflict copy: this computer's text kept aside while the server's version was applied."""

    id: int
    kind: str  # "bloc de bibliothèque", "section de mémoire"
    title: str
    local_text: str
    server_text: str | None  # None: deleted on another device
    created_at: str = ""


@dataclass
class SyncReport:
    """What one background sync did, for the status bar (computed off the UI thread)."""

    state: str  # "off" (no account or no store), "ok", "offline", "error"
    message: str = ""
    lines: list[str] = field(default_factory=list)
    received: int = 0
    last_sync: str | None = None
    to_send: int = 0
    conflicts: int = 0


def _record_text(data: dict[str, Any] | None) -> str:
    """A record's user-visible text (its body, else its fields one per line)."""
    if data is None:
        return ""
    body = data.get("body")
    if isinstance(body, str):
        return body
    return "\n".join(f"{k} : {v}" for k, v in sorted(data.items()) if not k.startswith("_"))


@dataclass
class BlockRow:
    uuid: str
    title: str
    tags: str = ""
    body: str = ""
    reviewed_on: str | None = None
    needs_review: bool = False


class Backend:
    """Holds the open store (on the DB worker thread) and forwards calls to app.services."""

    def __init__(self, settings: Settings | None = None) -> None:
        # The app's one Settings object goes to the services that take one, so that a value a
        # service writes is never overwritten by a stale copy held by the window.
        self.settings = settings
        self.store: Any = None
        self._answers: dict[str, Any] = {}
        # Called (on the DB worker) after an edit that marks rows to sync: the window's sync
        # controller schedules a background sync a few seconds later.
        self.on_change: Callable[[], None] | None = None

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change()
            except RuntimeError:  # the window that listened is gone
                log.debug("change notification dropped")

    # --- plumbing -------------------------------------------------------------------------
    @staticmethod
    def _fn(module: str, *names: str) -> Callable[..., Any]:
        try:
            mod = importlib.import_module(f"app.services.{module}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("app.services"):
                raise ServiceUnavailable(
                    f"Fonction indisponible dans cette version (service « {module} » absent)."
                ) from exc
            raise
        for name in names:
            fn = getattr(mod, name, None)
            if callable(fn):
                return fn
        raise ServiceUnavailable(f"Fonction indisponible dans cette version ({module}.{names[0]} absent).")

    @staticmethod
    def has(module: str, *names: str) -> bool:
        try:
            Backend._fn(module, *names)
        except (ServiceUnavailable, ImportError):
            return False
        return True

    def _call(self, module: str, names: tuple[str, ...], *args: Any, **kwargs: Any) -> Any:
        fn = self._fn(module, *names)
        try:
            params = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):
            params = []
        if params and params[0].name in _STORE_PARAMS:
            args = (self._require_store(), *args)
        accepted = {p.name for p in params}
        if "settings" in accepted and "settings" not in kwargs and self.settings is not None:
            kwargs["settings"] = self.settings
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
            kwargs = {k: v for k, v in kwargs.items() if k in accepted}
        return fn(*args, **kwargs)

    def _require_store(self) -> Any:
        if self.store is None:
            self.store = self._call("store", ("open_current", "open_store"))
        return self.store

    # --- store ----------------------------------------------------------------------------
    def store_exists(self) -> bool:
        return bool(self._call("store", ("exists", "store_exists")))

    def keychain_available(self) -> bool:
        """False on systems without a working keychain: the store then uses a passphrase."""
        return bool(self._call("store", ("keychain_available",)))

    def needs_passphrase(self) -> bool:
        return bool(self._call("store", ("needs_passphrase",)))

    def create_store(self, passphrase: str | None = None) -> str:
        """Create the encrypted store; returns the recovery key to show once ("" with a passphrase)."""
        result = self._call("store", ("create", "create_store"), passphrase=passphrase)
        key = get(result, "recovery_key", result)
        self.store = get(result, "store", None)
        if isinstance(result, tuple) and len(result) == 2:
            self.store, key = result
        return str(key)

    def open(self, passphrase: str | None = None) -> None:
        """Open at start: the store service also applies the retention rule."""
        self.close()
        result = self._call("store", ("open_at_start", "open_current"), passphrase=passphrase)
        self.store = result[0] if isinstance(result, tuple) else result

    def unlock(self, recovery_key: str) -> None:
        self.close()
        self.store = self._call("store", ("unlock", "unlock_with_recovery_key"), recovery_key)

    def close(self) -> None:
        self._answers.clear()
        if self.store is not None and hasattr(self.store, "close"):
            self.store.close()
        self.store = None

    def backup(self, dest: Path) -> Path:
        return Path(self._call("store", ("backup", "backup_store"), dest) or dest)

    def restore(self, src: Path, recovery_key: str) -> None:
        """Bring a backup back (the current store is moved aside by the service, not deleted)."""
        self.close()
        result = self._call("store", ("restore", "restore_store"), src, recovery_text=recovery_key)
        self.store = result[0] if isinstance(result, tuple) else None
        if self.store is None:
            self.open()

    def purge_now(self) -> int:
        report = self._call("store", ("purge_now", "purge", "purge_expired"))
        return int(get(report, "blobs", report) or 0)

    def export_my_data(self, dest: Path) -> Path:
        return Path(self._call("store", ("export_my_data", "export_data"), dest) or dest)

    def erase_all(self) -> None:
        self.close()
        self._call("store", ("erase_all_local_data", "erase_all"))

    # --- profile --------------------------------------------------------------------------
    def load_profile(self) -> CompanyProfile | None:
        from app.domain.profile import CompanyProfile

        result = self._call("profile", ("load", "load_profile"))
        return result if isinstance(result, CompanyProfile) or result is None else None

    def save_profile(self, profile: CompanyProfile) -> None:
        self.forget_answer()
        self._call("profile", ("save", "save_profile"), profile)
        self._changed()

    def import_profile(self, path: Path) -> CompanyProfile:
        """A profile JSON file (same format as `maitre-ao profile import`)."""
        self.forget_answer()
        self._call("profile", ("import_file",), path)
        self._changed()
        profile = self.load_profile()
        assert profile is not None
        return profile

    def expiring(self, days: int = 60) -> list[tuple[str, str]]:
        """(label, ISO date) of certifications and admin documents expiring within `days`."""
        rows = self._call("profile", ("expiring",), within_days=days)
        out: list[tuple[str, str]] = []
        for row in rows or []:
            if isinstance(row, tuple):
                out.append((str(row[0]), str(row[1])))
            else:
                label = get(row, "label") or get(row, "name") or ""
                when = get(row, "expires_on") or get(row, "valid_to") or get(row, "date") or ""
                out.append((str(label), str(when)))
        return out

    # --- consultations --------------------------------------------------------------------
    def prepare_workers(self) -> None:
        """Start the DCE reader's worker processes ahead of the first import (~0.4 s, off the UI thread)."""
        from app.dce.reader import prepare_workers

        prepare_workers()

    def import_dce(
        self,
        paths: list[Path],
        progress: ProgressFn,
        cancel: CancelToken,
        on_analysis: Callable[[str, Analysis], None] | None = None,
    ) -> ImportOutcome:
        """Import a DCE; `on_analysis(consultation_uuid, analysis)` gets the first analysis (from the
        RC, cadre de réponse, CCAP) while the longer pieces are still being read."""
        first: Callable[[Analysis], None] | None = None
        if on_analysis is not None:
            callback = on_analysis
            source = paths[0].name if len(paths) == 1 else f"{len(paths)} fichiers"

            def first(analysis: Analysis) -> None:
                # The service names the new consultation after its source: the newest such row.
                rows = self._call("consultations", ("list_consultations",), include_importing=True)
                mine = [r for r in rows or [] if get(r, "source_name") == source]
                if mine:
                    newest = max(mine, key=lambda r: str(get(r, "created_at") or ""))
                    callback(str(get(newest, "uuid")), analysis)

        result = self._call(
            "consultations",
            ("import_dce", "import_paths", "import_consultation"),
            paths,
            progress=progress,
            cancel=cancel,
            analyze=True,
            on_analysis=first,
        )
        self._changed()
        errors = [
            (
                str(get(e, "file", get(e, "path", e[0] if isinstance(e, tuple) else ""))),
                str(get(e, "message", get(e, "reason", e[1] if isinstance(e, tuple) else e))),
            )
            for e in (get(result, "errors", []) or [])
        ]
        uuid = get(result, "consultation_uuid") or get(result, "uuid") or str(result)
        pieces = get(result, "pieces", [])
        count = len(pieces) if isinstance(pieces, list) else int(pieces or 0)
        return ImportOutcome(str(uuid), count, errors)

    def consultations(self, query: str = "", status: str = "") -> list[ConsultationRow]:
        rows = self._call(
            "consultations", ("list_consultations", "search_consultations"), query=query, status=status
        )
        return [self._consultation(r) for r in rows or []]

    def consultation(self, uuid: str) -> ConsultationRow:
        return self._consultation(self._call("consultations", ("get_consultation",), uuid))

    @staticmethod
    def _consultation(r: Any) -> ConsultationRow:
        return ConsultationRow(
            uuid=str(get(r, "uuid")),
            title=str(get(r, "title") or get(r, "object") or "Consultation"),
            buyer=str(get(r, "buyer") or ""),
            reference=str(get(r, "reference") or ""),
            deadline=get(r, "deadline"),
            questions_deadline=get(r, "questions_deadline"),
            site_visit_date=get(r, "site_visit_date"),
            status=str(get(r, "status") or "a_analyser"),
        )

    def set_status(self, uuid: str, status: str) -> None:
        self._call("consultations", ("set_status",), uuid, status)
        self._changed()

    def pieces(self, uuid: str) -> list[PieceRow]:
        rows = self._call("consultations", ("list_pieces", "pieces"), uuid)
        out = []
        for r in rows or []:
            kind = get(r, "kind")
            out.append(
                PieceRow(
                    path=str(get(r, "path") or get(r, "file")),
                    kind=str(getattr(kind, "value", kind)),
                    pages=get(r, "pages", get(r, "page_count")),
                    needs_ocr=bool(get(r, "needs_ocr") or get(r, "ocr_pages")),
                    ocr_pages=int(get(r, "ocr_pages") or 0),
                    unread_reason=get(r, "unread_reason"),
                    error=get(r, "error"),
                    kind_manual=bool(get(r, "kind_manual")),
                )
            )
        return out

    def set_piece_kind(self, uuid: str, path: str, kind: str) -> None:
        self._call("consultations", ("set_piece_kind", "change_kind"), uuid, path, kind)

    def page_text(self, uuid: str, path: str, page: int | None) -> str:
        return str(self._call("consultations", ("page_text", "get_page_text"), uuid, path, page or 1))

    def analyze(self, uuid: str, engine: str, progress: ProgressFn, cancel: CancelToken) -> Analysis:
        return self._as_analysis(
            self._call(
                "consultations",
                ("analyze_consultation", "run_analysis", "analyze"),
                uuid,
                engine=engine,
                progress=progress,
                cancel=cancel,
            )
        )

    def analysis(self, uuid: str) -> Analysis | None:
        result = self._call("consultations", ("get_analysis", "latest_analysis", "load_analysis"), uuid)
        return None if result is None else self._as_analysis(result)

    @staticmethod
    def _as_analysis(result: Any) -> Analysis:
        from app.domain.analysis import Analysis

        if isinstance(result, Analysis):
            return result
        inner = get(result, "analysis")
        if isinstance(inner, Analysis):
            return inner
        return Analysis.from_contract(result)

    def correct(self, uuid: str, field_name: str, value: Any) -> Analysis:
        self._call(
            "consultations", ("set_override", "correct_field", "override_field"), uuid, field_name, value
        )
        analysis = self.analysis(uuid)
        assert analysis is not None
        return analysis

    # --- proposals ------------------------------------------------------------------------
    # The proposals service works on a "stored answer" (outline, bodies, matrix, go/no-go, checklist)
    # opened per consultation; it is kept here between calls and reopened when inputs change.
    def _answer(self, uuid: str, reload: bool = False) -> Any:
        if reload or uuid not in self._answers:
            self._answers[uuid] = self._call("proposals", ("open_answer",), uuid)
        return self._answers[uuid]

    def forget_answer(self, uuid: str | None = None) -> None:
        if uuid is None:
            self._answers.clear()
        else:
            self._answers.pop(uuid, None)

    def go_no_go(self, uuid: str) -> tuple[str, list[CheckRow]]:
        result = get(self._answer(uuid), "answer").gonogo
        checks = []
        for c in get(result, "checks", []) or []:
            file, page = get(c, "file"), get(c, "page")
            verdict = get(c, "status") or get(c, "verdict") or ""
            checks.append(
                CheckRow(
                    label=str(get(c, "label") or ""),
                    verdict=str(getattr(verdict, "value", verdict)),
                    detail=str(get(c, "detail") or ""),
                    source=f"{file}, p. {page}" if file and page else str(file or ""),
                    file=file,
                    page=page,
                    quote="",
                )
            )
        overall = get(result, "verdict") or ""
        reasons = get(result, "reasons") or []
        text = str(getattr(overall, "value", overall))
        return (f"{text} — {'; '.join(reasons)}" if reasons else text), checks

    def requirements(self, uuid: str) -> list[RequirementRow]:
        answer = get(self._answer(uuid), "answer")
        out = []
        for r in answer.requirements:
            cov = get(r, "coverage") or ""
            out.append(
                RequirementRow(
                    text=str(get(r, "text") or ""),
                    coverage=str(getattr(cov, "value", cov)),
                    section=str(get(r, "section_title") or ""),
                    file=get(r, "file"),
                    page=get(r, "page"),
                )
            )
        return out

    def outline(self, uuid: str) -> list[SectionRow]:
        answer = get(self._answer(uuid, reload=True), "answer")
        rows = []
        for s in answer.outline.sections:
            key = str(s.key)
            parent = key.rsplit(".", 1)[0] if "." in key else None
            rows.append(
                SectionRow(
                    uuid=key,
                    title=str(s.title),
                    level=int(s.level or 1),
                    parent_uuid=parent,
                    body=str(answer.bodies.get(key, "")),
                    weight_percent=s.weight_percent,
                    criterion=str(s.criterion or ""),
                )
            )
        return rows

    def draft_offline(self, uuid: str, key: str) -> str:
        """Redraft one section from the templates and the profile; saved as the section's text."""
        stored = self._answer(uuid)
        library = self._call("library", ("all_blocks",))
        text = str(self._fn("proposals", "redraft_offline")(stored.answer, key, library))
        self._call("proposals", ("save_section_text",), stored, key, text, "offline")
        self._changed()
        return text

    def draft_claude(self, uuid: str, key: str, on_text: Callable[[str], None], cancel: CancelToken) -> str:
        """Stream one section from Claude; what came before a cancel is kept and saved."""
        stored = self._answer(uuid)
        sink = self._call("claude", ("ledger_sink",), uuid)
        text = str(
            self._fn("proposals", "draft_with_claude")(
                stored.answer,
                key,
                stored.pieces,
                on_text,
                cancel,
                consultation_uuid=uuid,
                usage_sink=sink,
                store=self.store,  # the consent kept for this consultation (issue 18)
            )
        )
        if text.strip():
            self._call("proposals", ("save_section_text",), stored, key, text, "claude")
            self._changed()
        return text

    def save_section(self, uuid: str, key: str, body: str) -> None:
        self._call("proposals", ("save_section_text",), self._answer(uuid), key, body, "manual")
        self._changed()

    def export(self, uuid: str, dest_dir: Path) -> tuple[list[Path], list[str]]:
        """Every file of the answer (mémoire DOCX, DC1, DC2, matrix XLSX, checklist) and warnings."""
        result = self._call("proposals", ("export_consultation",), uuid, dest_dir)
        return [Path(p) for p in get(result, "files", [])], [str(w) for w in get(result, "warnings", [])]

    # --- library --------------------------------------------------------------------------
    def blocks(self, query: str = "") -> list[BlockRow]:
        rows = self._call("library", ("search",), query) if query else self._call("library", ("all_blocks",))
        status_fn = self._fn("library", "status")

        def status(block: Any) -> str:
            return str(status_fn(block, settings=self.settings))

        return [
            BlockRow(
                uuid=str(get(r, "uuid")),
                title=str(get(r, "title")),
                tags=", ".join(get(r, "tags") or []),
                body=str(get(r, "body") or ""),
                reviewed_on=str(get(r, "reviewed_on") or "") or None,
                needs_review=status(r) == "à revoir",
            )
            for r in rows or []
        ]

    def save_block(self, block: BlockRow) -> str:
        tags = [t.strip() for t in block.tags.split(",") if t.strip()]
        if block.uuid:
            self._call("library", ("update",), block.uuid, title=block.title, body=block.body, tags=tags)
            self._changed()
            return block.uuid
        new = str(get(self._call("library", ("add",), block.title, block.body, tags), "uuid"))
        self._changed()
        return new

    def delete_block(self, uuid: str) -> None:
        self._call("library", ("delete",), uuid)
        self._changed()

    def mark_reviewed(self, uuid: str) -> None:
        self._call("library", ("mark_reviewed",), uuid)
        self._changed()

    # --- Claude and account ---------------------------------------------------------------
    def claude_status(self) -> dict[str, Any]:
        st = self._call("claude", ("status",))
        return {k: get(st, k) for k in ("mode", "mode_label", "configured", "access", "drafting_model")}

    def set_api_key(self, key: str) -> None:
        self._call("claude", ("set_api_key",), key)

    def delete_api_key(self) -> None:
        self._call("claude", ("delete_api_key",))

    def set_claude_mode(self, mode: str) -> None:
        self._call("claude", ("set_mode",), mode)

    def test_claude(self) -> str:
        return str(self._call("claude", ("check_connection", "test_connection")))

    def monthly_spend(self) -> float:
        summary = self._call("claude", ("usage_summary",))
        return float(get(get(summary, "month"), "cost_eur", 0.0) or 0.0)

    def account_status(self) -> dict[str, Any]:
        st = self._call("account", ("status",))
        out = {
            k: get(st, k)
            for k in ("logged_in", "server_url", "email", "last_sync", "to_send", "open_conflicts")
        }
        out["line"] = str(self._fn("account", "status_line")(st))
        return out

    def login(self, server_url: str, email: str, password: str) -> str:
        return str(self._call("account", ("login",), server_url, email, password))

    def logout(self) -> None:
        self._call("account", ("logout",))

    def sync_now(self) -> list[str]:
        """Push local edits and pull the others; French lines saying what moved."""
        summary = self._call("account", ("sync_now",))
        return [str(line) for line in self._fn("account", "describe")(summary)]

    # --- sync -----------------------------------------------------------------------------
    def sync_background(self) -> SyncReport:
        """One background sync (timer or edit): never raises; the report says what happened."""
        if self.store is None or not Backend.has("account", "sync_now", "status"):
            return SyncReport("off")
        try:
            before = self.account_status()
            if not before.get("logged_in"):
                return SyncReport("off", conflicts=int(before.get("open_conflicts") or 0))
            summary = self._call("account", ("sync_now",))
            lines = [str(line) for line in self._fn("account", "describe")(summary)]
            report = SyncReport("ok", lines=lines, received=int(get(summary, "total_received", 0) or 0))
        except UserError as exc:
            from sync.client import Offline

            # The account service turns the client's errors into user errors; the cause says which.
            offline = isinstance(exc.__context__, Offline) or isinstance(exc.__cause__, Offline)
            report = SyncReport("offline" if offline else "error", message=exc.message)
        except Exception:
            log.exception("background sync failed")
            report = SyncReport(
                "error", message="La synchronisation a échoué ; vos modifications restent sur cet ordinateur."
            )
        try:
            st = self.account_status()
        except Exception:
            log.exception("sync status unavailable")
            return report
        report.last_sync = st.get("last_sync")
        report.to_send = int(st.get("to_send") or 0)
        report.conflicts = int(st.get("open_conflicts") or 0)
        return report

    def conflicts(self) -> list[ConflictRow]:
        from sync import policy

        labels: dict[str, tuple[str, str]] = getattr(
            importlib.import_module("app.services.account"), "TYPE_LABELS", {}
        )
        rows = []
        for c in self._call("account", ("list_conflicts",)) or []:
            spec = policy.BY_TABLE.get(str(c.table_name))
            kind = labels.get(spec.record_type, (str(c.table_name), ""))[0] if spec else str(c.table_name)
            local, server = dict(c.local_data), c.server_data
            title = str(local.get("title") or (server or {}).get("title") or kind)
            rows.append(
                ConflictRow(
                    id=int(c.id),
                    kind=kind,
                    title=title,
                    local_text=_record_text(local),
                    server_text=None if server is None else _record_text(dict(server)),
                    created_at=str(c.created_at or ""),
                )
            )
        return rows

    def resolve_conflict(self, conflict_id: int, keep: str) -> None:
        """keep = "local" (becomes an edit, synced next) or "server"."""
        self._call("account", ("resolve_conflict",), conflict_id, keep)
        self._changed()

    def delete_account(self, wipe_local: bool, password: str) -> None:
        """Erase the account on the server (after a fresh login with `password`); with `wipe_local`,
        this computer's store too."""
        self._call("account", ("delete_account",), password=password, wipe_local=wipe_local)
        if wipe_local:
            self._answers.clear()
            self.store = None  # closed and deleted by the service

    def memoire_sync(self, uuid: str) -> bool:
        return bool(self._call("account", ("memoire_sync",), uuid))

    def set_memoire_sync(self, uuid: str, on: bool) -> None:
        self._call("account", ("set_memoire_sync",), uuid, on)
        self._changed()

    def local_only(self, table: str) -> set[str]:
        """Ids of the records of `table` kept on this computer only."""
        return set(self._call("account", ("local_only",), table) or ())

    def set_record_sync(self, table: str, uuid: str, keep_local: bool) -> None:
        self._call("account", ("set_record_sync",), table, uuid, keep_local=keep_local)
        self._changed()
