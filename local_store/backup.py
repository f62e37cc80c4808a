"""Backups: an encrypted copy of the store, readable with the recovery key only (or the passphrase).

`backup_store` exports the open store with `sqlcipher_export` into a temporary file next to the
destination (same key, so the recovery key opens it anywhere), fsyncs it and renames it: a crash
leaves either the previous backup or the new one, never half a file.

`restore_backup` checks the backup with the key typed by the user (SQLCipher page HMACs and SQLite's
integrity check) before touching anything, moves the current store aside (never deletes it), puts
the backup in place the same crash-safe way, saves the key in the keychain and applies migrations.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from datetime import datetime
from pathlib import Path

from app.domain.errors import BackupRefused, InvalidInput, StoreLocked
from app.domain.fsutil import fsync_dir
from local_store import keychain, migrate, recovery
from local_store.store import (
    Store,
    StoreKey,
    connect,
    keymode_path,
    new_temp_path,
    open_store,
    sidecar_paths,
    write_keymode,
)

log = logging.getLogger(__name__)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)  # Windows flushes only through a writable handle
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_store(store: Store, dest: Path, *, metadata: dict[str, str] | None = None) -> Path:
    """Write an encrypted copy of `store` to `dest` (crash-safe). Returns `dest`.

    `metadata` goes into the copy's `kv` table (e.g. the date after which it holds expired DCEs)."""
    dest = Path(dest)
    if dest.resolve() == store.path.resolve():
        raise InvalidInput("la sauvegarde ne peut pas remplacer le coffre lui-même.", field="FICHIER")
    if dest.is_dir():
        raise InvalidInput("c'est un dossier ; indiquez un nom de fichier.", field="FICHIER")
    if not dest.parent.is_dir():
        raise InvalidInput(f"le dossier {dest.parent} n'existe pas.", field="FICHIER")
    tmp = new_temp_path(dest)
    conn = store.read()
    try:
        version = migrate.user_version(conn)
        conn.execute(f"ATTACH DATABASE ? AS backup KEY {store.key.sql()}", (str(tmp),))
        try:
            conn.execute("SELECT sqlcipher_export('backup')")
            conn.execute(f"PRAGMA backup.user_version = {int(version)}")
            for key, value in (metadata or {}).items():
                conn.execute(
                    "INSERT INTO backup.kv(key, value) VALUES (?, ?)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
        finally:
            conn.execute("DETACH DATABASE backup")
        os.chmod(tmp, 0o600)
        _fsync_file(tmp)
        os.replace(tmp, dest)
    except BaseException:
        for p in sidecar_paths(tmp):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
        raise
    fsync_dir(dest.parent)
    log.info("backup written (schema %d)", version)
    return dest


def backup_key(*, recovery_text: str | None = None, passphrase: str | None = None) -> StoreKey:
    if passphrase is not None:
        return StoreKey(passphrase=passphrase)
    if recovery_text is None:
        raise BackupRefused("La clé de secours est nécessaire pour lire la sauvegarde.")
    return StoreKey(raw=recovery.store_key_from_secret(recovery.parse_key(recovery_text)))


def check_backup(backup: Path, key: StoreKey) -> int:
    """Verify the backup opens with `key` and is intact. Returns its schema number."""
    if not backup.is_file():
        raise InvalidInput(f"fichier introuvable : {backup}", field="FICHIER")
    try:
        conn = connect(backup, key, readonly=True)
    except StoreLocked:
        raise StoreLocked(
            f"Cette clé n'ouvre pas la sauvegarde {backup.name} : vérifiez la clé de secours (celle en "
            "vigueur quand la sauvegarde a été faite) ou que le fichier est bien une sauvegarde Maître AO."
        ) from None
    try:
        problems = [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check")]
        problems += [str(r[0]) for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        version = migrate.user_version(conn)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    if problems:
        raise BackupRefused(
            f"La sauvegarde {backup.name} est endommagée ({problems[0]}) : rien n'a été modifié."
        )
    if version < 1 or "company_profile" not in tables:
        raise BackupRefused(f"{backup.name} n'est pas une sauvegarde Maître AO : rien n'a été modifié.")
    if version > migrate.latest():
        raise migrate.StoreTooNew(version, migrate.latest())
    return version


def restore_backup(
    backup: Path,
    dest: Path,
    *,
    recovery_text: str | None = None,
    passphrase: str | None = None,
) -> tuple[Store, Path | None]:
    """Bring `backup` back as the store at `dest`. Returns the open store and where the previous
    store was moved (None when there was none). The caller must have closed any open store on `dest`.
    """
    backup, dest = Path(backup), Path(dest)
    key = backup_key(recovery_text=recovery_text, passphrase=passphrase)
    check_backup(backup, key)
    if key.raw is not None and not keychain.keychain_works():
        raise keychain.KeychainUnavailable()

    tmp = new_temp_path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copyfile(backup, tmp)
        os.chmod(tmp, 0o600)
        _fsync_file(tmp)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise

    moved_to: Path | None = None
    if dest.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        moved_to = dest.with_name(f"{dest.name}.avant-restauration-{stamp}")
        # The WAL and shared-memory files follow the database under its new name.
        for src, new in zip(sidecar_paths(dest), sidecar_paths(moved_to), strict=True):
            if src.exists():
                os.replace(src, new)
        old_mode = keymode_path(dest)
        if old_mode.exists():
            os.replace(old_mode, keymode_path(moved_to))
    os.replace(tmp, dest)
    if key.passphrase is not None:
        write_keymode(dest)
    fsync_dir(dest.parent)
    if key.raw is not None:
        keychain.set_secret_verified(keychain.store_key_name(dest), key.raw.hex())
        keychain.delete_secret(keychain.store_key_name(dest) + "-pending")
    log.info("backup restored%s", " (previous store kept aside)" if moved_to else "")
    return open_store(dest, passphrase=passphrase), moved_to
