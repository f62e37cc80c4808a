"""Store use cases shared by the CLI and the desktop app: first run, open, unlock, key rotation,
backup and restore, retention purge, health check."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
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


def open_current(passphrase: str | None = None, path: Path | None = None) -> Store:
    return store_mod.open_store(path, passphrase=passphrase)


def open_at_start(
    passphrase: str | None = None, path: Path | None = None, *, settings: Settings | None = None
) -> tuple[Store, retention.PurgeReport]:
    """What the app does at start: open the store, then apply the retention rule."""
    store = open_current(passphrase, path)
    try:
        report = purge(store, settings=settings)
    except Exception:
        log.exception("retention purge at start failed")  # never blocks opening the store
        report = retention.PurgeReport(cutoff="")
    return store, report


def unlock(recovery_text: str, path: Path | None = None) -> Store:
    return store_mod.unlock_store(path, recovery_text)


def rekey(store: Store, new_passphrase: str | None = None) -> str:
    """Rotate the key. Returns the new recovery key ("" in passphrase mode)."""
    return store.rekey(new_passphrase=new_passphrase)


def backup(store: Store, dest: Path) -> Path:
    return backup_mod.backup_store(store, dest)


def restore(
    backup_file: Path,
    *,
    recovery_text: str | None = None,
    passphrase: str | None = None,
    path: Path | None = None,
) -> tuple[Store, Path | None]:
    """Bring a backup back (the current store, if any, is moved aside, not deleted)."""
    return backup_mod.restore_backup(
        backup_file, path or store_path(), recovery_text=recovery_text, passphrase=passphrase
    )


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
