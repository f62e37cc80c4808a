"""Store use cases shared by the CLI and the desktop app: first run, open, unlock, key rotation,
backup and restore, retention purge, health check."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.domain.fsutil import atomic_write_text
from app.domain.paths import store_path
from app.settings import RETENTION_DAYS, Settings
from local_store import backup as backup_mod
from local_store import portability, retention
from local_store import store as store_mod
from local_store.keychain import keychain_works
from local_store.store import Store

log = logging.getLogger(__name__)

# What `store check` counts, with the words a user knows.
COUNTED_TABLES: tuple[tuple[str, str], ...] = (
    ("company_profile", "profil de l'entreprise"),
    ("certifications", "certifications"),
    ("company_references", "références"),
    ("staff", "moyens humains"),
    ("equipment", "moyens matériels"),
    ("admin_documents", "documents administratifs"),
    ("library_blocks", "blocs de bibliothèque"),
    ("consultations", "consultations"),
    ("pieces", "pièces de DCE"),
    ("blobs", "fichiers stockés"),
    ("page_texts", "pages de texte extrait"),
    ("analyses", "analyses"),
    ("proposals", "mémoires"),
    ("sections", "sections de mémoire"),
    ("ai_usage", "appels à Claude"),
    ("conflicts", "conflits de synchronisation"),
)


def current_path() -> Path:
    return store_path()


def exists(path: Path | None = None) -> bool:
    return (path or store_path()).exists()


def needs_passphrase(path: Path | None = None) -> bool:
    """True when the store is protected by a passphrase (to ask before opening)."""
    return store_mod.uses_passphrase(path)


def keychain_available() -> bool:
    """False when the OS keychain would not keep the key: offer the passphrase mode instead."""
    return keychain_works()


def create(passphrase: str | None = None, path: Path | None = None) -> tuple[Store, str]:
    """First run: a new store. Returns it and the recovery key to show once ("" with a passphrase)."""
    return store_mod.create_store(path, passphrase=passphrase)


def open_current(
    passphrase: str | None = None, path: Path | None = None, *, apply_retention: bool = True
) -> Store:
    """Open the store; the retention rule is applied on every open (CLI and app), unless asked
    not to (`store purge --dry-run` shows what is due)."""
    store = store_mod.open_store(path, passphrase=passphrase)
    if apply_retention:
        purge_quietly(store)
    return store


def purge_quietly(store: Store) -> retention.PurgeReport:
    """Apply the retention rule; a failure is logged and never blocks the work (one query when
    nothing is due). The desktop app also calls this once a day while it runs."""
    try:
        report = purge(store)
    except Exception:
        log.exception("retention purge failed")
        return retention.PurgeReport(cutoff="")
    if report.applied:
        log.info("retention purge: %d consultation(s), %d file(s)", len(report.consultations), report.blobs)
    return report


def open_at_start(
    passphrase: str | None = None, path: Path | None = None, *, settings: Settings | None = None
) -> tuple[Store, retention.PurgeReport]:
    """What the app does at start: open the store, then apply the retention rule."""
    store = open_current(passphrase, path, apply_retention=False)
    return store, purge_quietly(store)


def unlock(recovery_text: str, path: Path | None = None) -> Store:
    store = store_mod.unlock_store(path, recovery_text)
    purge_quietly(store)
    return store


def rekey(store: Store, new_passphrase: str | None = None) -> str:
    """Rotate the key. Returns the new recovery key ("" in passphrase mode)."""
    return store.rekey(new_passphrase=new_passphrase)


BACKUPS_KEY = "backups.made"  # JSON list of the backups made from this store (for `store purge`)


@dataclass(frozen=True)
class BackupRecord:
    path: str
    made_at: str
    dce_expire_after: str | None  # date (YYYY-MM-DD) after which it holds expired DCE pieces

    @property
    def expired(self) -> bool:
        return self.dce_expire_after is not None and self.dce_expire_after < _today()


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def backup(store: Store, dest: Path) -> Path:
    """An encrypted backup. When it holds DCE pieces, its name and its metadata say the date after
    which they are past retention (the backup itself is not purged: `store purge` lists it)."""
    dest = Path(dest)
    expiry = retention.expiry_of_held_pieces(store.read(), days=retention_days())
    expire_after = expiry.date().isoformat() if expiry is not None else None
    if expire_after is not None and ".dce-expire-" not in dest.name:
        suffix = "".join(dest.suffixes[-1:])
        dest = dest.with_name(
            f"{dest.name[: len(dest.name) - len(suffix)]}.dce-expire-{expire_after}{suffix}"
        )
    written = backup_mod.backup_store(store, dest, metadata={"backup.dce_expire_after": expire_after or ""})
    _remember_backup(store, BackupRecord(str(written.resolve()), _now_iso(), expire_after))
    return written


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _remember_backup(store: Store, record: BackupRecord) -> None:
    records = [r for r in backups_made(store) if r.path != record.path] + [record]
    value = json.dumps([r.__dict__ for r in records], ensure_ascii=False)
    with store.transaction() as tx:
        tx.execute(
            "INSERT INTO kv(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (BACKUPS_KEY, value),
        )


def backups_made(store: Store) -> list[BackupRecord]:
    row = store.read().execute("SELECT value FROM kv WHERE key = ?", (BACKUPS_KEY,)).fetchone()
    if row is None:
        return []
    try:
        items = json.loads(row[0])
        return [BackupRecord(str(i["path"]), str(i["made_at"]), i.get("dce_expire_after")) for i in items]
    except (ValueError, KeyError, TypeError):
        log.warning("backup list unreadable; ignored")
        return []


def expired_backups(store: Store) -> list[BackupRecord]:
    """Backups made from this store, still on disk, that hold DCE pieces past retention."""
    return [r for r in backups_made(store) if r.expired and Path(r.path).exists()]


def restore(
    backup_file: Path,
    *,
    recovery_text: str | None = None,
    passphrase: str | None = None,
    path: Path | None = None,
) -> tuple[Store, Path | None]:
    """Bring a backup back (the current store, if any, is moved aside, not deleted)."""
    store, moved_to = backup_mod.restore_backup(
        backup_file, path or store_path(), recovery_text=recovery_text, passphrase=passphrase
    )
    purge_quietly(store)  # a backup may hold DCE pieces past retention
    return store, moved_to


def retention_days(settings: Settings | None = None) -> int:
    return max(0, (settings or Settings.load()).get(RETENTION_DAYS))


def purge(
    store: Store, *, dry_run: bool = False, now: datetime | None = None, settings: Settings | None = None
) -> retention.PurgeReport:
    return retention.purge(store, days=retention_days(settings), now=now, dry_run=dry_run)


@dataclass
class CheckReport:
    path: Path
    schema: int
    size_bytes: int
    counts: list[tuple[str, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(store: Store) -> CheckReport:
    report = CheckReport(store.path, store.user_version, store.path.stat().st_size)
    counts = portability.count_rows(store, [table for table, _label in COUNTED_TABLES])
    report.counts = [(label, counts[table]) for table, label in COUNTED_TABLES if table in counts]
    report.problems = store.integrity_errors()
    return report


def export_my_data(store: Store, dest: Path) -> Path:
    """Everything the store holds about the user, as readable JSON (right to portability).

    The file is NOT encrypted: it is written where the user asked, at their request."""
    data = portability.export_all(store)
    atomic_write_text(Path(dest), json.dumps(data, ensure_ascii=False, indent=2, default=str))
    return Path(dest)


def erase_all_local_data(path: Path | None = None) -> list[Path]:
    """Delete the store from this machine with its keychain entries (close it first).

    Backups elsewhere and the recovery key are the user's: they still restore the data."""
    return portability.erase_store(path or store_path())
