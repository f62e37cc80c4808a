"""The encrypted local store: one SQLCipher file, its key in the OS keychain.

- `create_store()` makes a new store: a 32-byte raw key (no KDF on each open) derived from a
  random recovery secret, kept in the keychain; the recovery key text is returned to be shown once.
- `open_store()` opens it with the keychain's key; a missing or wrong key raises StoreLocked
  (exit 3) naming `maitre-ao store unlock` — never a fresh key over old data.
- `unlock_store()` opens it with the recovery key and puts the key back in the keychain.
- Passphrase mode (no working keychain): SQLCipher's own KDF derives the key from a passphrase
  typed on each start; a small `<store>.keymode` file says so (it holds no secret).

Connections: WAL, foreign keys on, busy timeout, rows addressable by column name. `read()` gives
the calling thread's connection; `transaction()` wraps one user action in BEGIN IMMEDIATE … COMMIT
(ROLLBACK on error; nested calls become savepoints).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3
from sqlcipher3 import dbapi2

from app.domain.errors import NoStoreYet, NotPossible, NotReady, StoreLocked, UserError
from app.domain.fsutil import fsync_dir
from local_store import keychain, migrate, recovery

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    # sqlcipher3 ships no type hints; its API is the standard library's sqlite3 one.
    from sqlite3 import Connection, Row
else:
    Connection = dbapi2.Connection
    Row = dbapi2.Row

BUSY_TIMEOUT_MS = 10_000
KEYMODE_SUFFIX = ".keymode"
PASSPHRASE_MODE = "passphrase"  # noqa: S105 (a mode name, not a secret)
MIN_PASSPHRASE_CHARS = 12

LOCKED_MESSAGE = (
    "Le coffre chiffré existe ({path}) mais sa clé est absente du trousseau du système ou ne l'ouvre "
    "pas. Vos données sont intactes. Pour le rouvrir, utilisez la clé de secours remise à sa "
    "création : maitre-ao store unlock"
)


class StoreMissing(NoStoreYet):
    def __init__(self, path: Path) -> None:
        super().__init__(f"Aucun coffre n'existe encore ici ({path}). Créez-le avec : maitre-ao store init")


class StoreExists(UserError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Un coffre existe déjà ici ({path}) : rien n'a été modifié. Pour le rouvrir sans le "
            "trousseau : maitre-ao store unlock. Pour repartir de zéro, déplacez d'abord ce fichier."
        )


class PassphraseRequired(StoreLocked):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Ce coffre ({path}) est protégé par une phrase secrète : saisissez-la pour l'ouvrir."
        )


@dataclass(frozen=True)
class StoreKey:
    """A raw 32-byte key (keychain mode) or a passphrase (SQLCipher's KDF)."""

    raw: bytes | None = None
    passphrase: str | None = None

    def __post_init__(self) -> None:
        if (self.raw is None) == (self.passphrase is None):
            raise ValueError("exactly one of raw or passphrase")
        if self.raw is not None and len(self.raw) != 32:
            raise ValueError("raw key must be 32 bytes")

    def sql(self) -> str:
        """The value for PRAGMA key / ATTACH … KEY (pragmas take no bound parameters)."""
        if self.raw is not None:
            return f"\"x'{self.raw.hex()}'\""
        assert self.passphrase is not None
        return "'" + self.passphrase.replace("'", "''") + "'"

    def __repr__(self) -> str:  # never show the key in logs or tracebacks
        return "StoreKey(raw=…)" if self.raw is not None else "StoreKey(passphrase=…)"


def sidecar_paths(path: Path) -> list[Path]:
    """The store file and the files SQLite keeps next to it."""
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]


def keymode_path(path: Path) -> Path:
    return Path(f"{path}{KEYMODE_SUFFIX}")


def write_keymode(path: Path) -> None:
    """The small file saying "passphrase mode" (no secret), private like the store (0600)."""
    fd = os.open(keymode_path(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(PASSPHRASE_MODE + "\n")


def uses_passphrase(path: Path | None = None) -> bool:
    path = _resolve(path)
    try:
        return keymode_path(path).read_text(encoding="utf-8").strip() == PASSPHRASE_MODE
    except FileNotFoundError:
        return False


def exists(path: Path | None = None) -> bool:
    return _resolve(path).exists()


def _resolve(path: Path | None) -> Path:
    if path is None:
        from app.domain.paths import store_path

        return store_path()
    return Path(path)


def connect(path: Path, key: StoreKey, *, readonly: bool = False) -> Connection:
    """A keyed connection, verified (StoreLocked when the key does not open the file)."""
    if readonly:
        conn = sqlcipher3.connect(
            f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
    else:
        conn = sqlcipher3.connect(
            str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported by us, not on stderr
        conn.execute(f"PRAGMA key = {key.sql()}")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except dbapi2.DatabaseError:
            raise StoreLocked(LOCKED_MESSAGE.format(path=path)) from None
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a committed user action survives a power cut, not only a crash.
            conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        # Deleted content is overwritten, not left in free pages (retention promises deletion).
        conn.execute("PRAGMA secure_delete = ON")
        conn.row_factory = Row
    except BaseException:
        conn.close()
        raise
    return conn


class Store:
    """An open store. Thread-safe: each thread gets its own connection."""

    def __init__(self, path: Path, key: StoreKey, first: Connection | None = None) -> None:
        self._path = path
        self._key = key
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[Connection] = []
        self._savepoints = itertools.count(1)
        self._closed = False
        if first is not None:
            self._adopt(first)

    @property
    def path(self) -> Path:
        return self._path

    @property
    def key(self) -> StoreKey:
        return self._key

    @property
    def passphrase_mode(self) -> bool:
        return self._key.passphrase is not None

    def _adopt(self, conn: Connection) -> None:
        self._local.conn = conn
        with self._lock:
            self._connections.append(conn)

    def read(self) -> Connection:
        """The calling thread's connection (autocommit: each query sees committed data)."""
        if self._closed:
            raise RuntimeError("store is closed")
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self._path, self._key)
            self._adopt(conn)
        return conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One user action: BEGIN IMMEDIATE … COMMIT, ROLLBACK on any error."""
        conn = self.read()
        if conn.in_transaction:
            name = f"sp{next(self._savepoints)}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield conn
            except BaseException:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
                raise
            conn.execute(f"RELEASE {name}")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextlib.contextmanager
    def small_cache(self, kib: int = 1000) -> Iterator[None]:
        """Meanwhile, the calling thread's connection keeps at most `kib` KiB of pages in memory
        instead of SQLCipher's 8 MB: for bulk writes such as a DCE import, whose pages are written
        once and not read again (about 3 MB less at the import's peak)."""
        conn = self.read()
        before = int(conn.execute("PRAGMA cache_size").fetchone()[0])
        conn.execute(f"PRAGMA cache_size = {-abs(int(kib))}")
        try:
            yield
        finally:
            if not self._closed:
                conn.execute(f"PRAGMA cache_size = {before}")

    @property
    def user_version(self) -> int:
        return migrate.user_version(self.read())

    def integrity_errors(self) -> list[str]:
        """SQLCipher's page HMAC check then SQLite's integrity check; empty when all is well."""
        conn = self.read()
        problems = [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check")]
        rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
        problems += [r for r in rows if r != "ok"]
        problems += [
            f"clé étrangère rompue : {r[0]} → {r[2]}" for r in conn.execute("PRAGMA foreign_key_check")
        ]
        return problems

    def checkpoint(self) -> None:
        self.read().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _close_connections(self) -> None:
        with self._lock:
            conns, self._connections = self._connections, []
        for conn in conns:
            with contextlib.suppress(Exception):
                conn.close()
        self._local = threading.local()

    def close(self) -> None:
        if self._closed:
            return
        self._close_connections()
        self._closed = True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def rekey(self, *, new_passphrase: str | None = None) -> str:
        """Rotate the key. Returns the new recovery key text ("" in passphrase mode).

        Call with no other work in progress: other threads' connections are closed. The new key is
        first kept as a "pending" keychain entry, so a crash at any point leaves a key that opens.
        """
        conn = self.read()
        if self.passphrase_mode:
            if not new_passphrase:
                raise NotReady("Une nouvelle phrase secrète est nécessaire pour changer la clé.")
            check_passphrase(new_passphrase)
            new_key = StoreKey(passphrase=new_passphrase)
            text = ""
        else:
            secret = recovery.new_secret()
            new_key = StoreKey(raw=recovery.store_key_from_secret(secret))
            text = recovery.format_key(secret)
            assert new_key.raw is not None
            keychain.set_secret_verified(_pending_name(self._path), new_key.raw.hex())
        # Other threads' connections would hold the old key.
        with self._lock:
            others = [c for c in self._connections if c is not conn]
            self._connections = [conn]
        for other in others:
            with contextlib.suppress(Exception):
                other.close()
        self._local = threading.local()  # other threads reconnect (with the new key) on next use
        self._local.conn = conn
        conn.execute(f"PRAGMA rekey = {new_key.sql()}")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._key = new_key
        if new_key.raw is not None:
            keychain.set_secret_verified(keychain.store_key_name(self._path), new_key.raw.hex())
            keychain.delete_secret(_pending_name(self._path))
        log.info("store key rotated")
        return text


def _pending_name(path: Path) -> str:
    return keychain.store_key_name(path) + "-pending"


def check_passphrase(passphrase: str) -> None:
    from app.domain.errors import InvalidInput

    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise InvalidInput(
            f"au moins {MIN_PASSPHRASE_CHARS} caractères (saisis : {len(passphrase)}).",
            field="phrase secrète",
        )


def _create_file_exclusively(path: Path) -> None:
    """An empty file SQLite will treat as a new database; fails if anything is already there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for extra in sidecar_paths(path)[1:]:
        if extra.exists():
            raise StoreExists(path)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise StoreExists(path) from None
    os.close(fd)


def _is_empty_leftover(path: Path) -> bool:
    """An empty store file with no WAL: a creation that stopped before its first write."""
    try:
        empty = path.stat().st_size == 0
    except FileNotFoundError:
        return False
    return empty and not any(p.exists() for p in sidecar_paths(path)[1:])


def _remove_files(path: Path) -> None:
    for p in [*sidecar_paths(path), keymode_path(path)]:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def create_store(path: Path | None = None, *, passphrase: str | None = None) -> tuple[Store, str]:
    """Create a new store. Returns it and the recovery key text to show once ("" in passphrase mode).

    Refuses (StoreExists) when a store is already there; refuses (KeychainUnavailable) in keychain
    mode when the keychain would not keep the key.
    """
    path = _resolve(path)
    if _is_empty_leftover(path):
        # A creation interrupted before anything was written: nothing to lose.
        _remove_files(path)
    if path.exists():
        raise StoreExists(path)
    text = ""
    if passphrase is not None:
        check_passphrase(passphrase)
        key = StoreKey(passphrase=passphrase)
    else:
        if not keychain.keychain_works():
            raise keychain.KeychainUnavailable()
        secret = recovery.new_secret()
        key = StoreKey(raw=recovery.store_key_from_secret(secret))
        text = recovery.format_key(secret)
    _create_file_exclusively(path)
    name = keychain.store_key_name(path)
    try:
        if key.raw is not None:
            keychain.set_secret_verified(name, key.raw.hex())
            keychain.delete_secret(name + "-pending")
        else:
            write_keymode(path)
        conn = connect(path, key)
        migrate.migrate(conn)
        conn.execute(
            "INSERT INTO kv(key, value) VALUES ('store.created_at', ?)",
            (datetime.now(UTC).isoformat(timespec="seconds"),),
        )
    except BaseException:
        _remove_files(path)
        if key.raw is not None:
            keychain.delete_secret(name)
        raise
    fsync_dir(path.parent)
    log.info("store created (%s mode)", "passphrase" if passphrase is not None else "keychain")
    return Store(path, key, conn), text


def _open_with(path: Path, key: StoreKey) -> Store:
    conn = connect(path, key)
    try:
        migrate.migrate(conn)
    except BaseException:
        conn.close()
        raise
    return Store(path, key, conn)


def open_store(path: Path | None = None, *, passphrase: str | None = None) -> Store:
    """Open the existing store and apply pending migrations.

    Raises StoreMissing when there is none, StoreLocked (exit 3) when the key is missing or wrong.
    """
    path = _resolve(path)
    if not path.exists() or _is_empty_leftover(path):
        raise StoreMissing(path)
    if uses_passphrase(path):
        if not passphrase:
            raise PassphraseRequired(path)
        try:
            return _open_with(path, StoreKey(passphrase=passphrase))
        except StoreLocked:
            raise StoreLocked(
                f"Cette phrase secrète n'ouvre pas le coffre ({path}). Vos données sont intactes."
            ) from None
    name = keychain.store_key_name(path)
    # An unreachable or refusing keychain is said as such (KeychainUnreachable / KeychainRefused),
    # never as a missing key.
    main_hex, pending_hex = keychain.read_secret(name), keychain.read_secret(name + "-pending")
    for candidate in (main_hex, pending_hex):
        key = _key_from_hex(candidate)
        if key is None:
            continue
        try:
            store = _open_with(path, key)
        except StoreLocked:
            continue
        if candidate is not None and candidate == pending_hex:
            # A key rotation was interrupted after the file changed: finish it.
            keychain.set_secret_verified(name, candidate)
            keychain.delete_secret(name + "-pending")
            log.info("interrupted key rotation completed")
        elif pending_hex is not None:
            keychain.delete_secret(name + "-pending")
        return store
    log.warning("store locked: keychain key %s", "absent" if main_hex is None else "does not open it")
    raise StoreLocked(LOCKED_MESSAGE.format(path=path))


def _key_from_hex(value: str | None) -> StoreKey | None:
    if not value:
        return None
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        return None
    return StoreKey(raw=raw) if len(raw) == 32 else None


def unlock_store(path: Path | None, recovery_text: str) -> Store:
    """Open the store with its recovery key and put the key back in the keychain."""
    path = _resolve(path)
    if not path.exists():
        raise StoreMissing(path)
    if uses_passphrase(path):
        raise NotPossible(
            "Ce coffre est protégé par une phrase secrète, pas par une clé de secours : "
            "ouvrez-le avec sa phrase secrète."
        )
    key = StoreKey(raw=recovery.store_key_from_secret(recovery.parse_key(recovery_text)))
    try:
        store = _open_with(path, key)
    except StoreLocked:
        raise StoreLocked(
            f"Cette clé de secours n'ouvre pas le coffre ({path}) : vérifiez qu'il s'agit de la clé "
            "remise à sa création (ou au dernier changement de clé). Vos données sont intactes."
        ) from None
    assert key.raw is not None
    try:
        keychain.set_secret_verified(keychain.store_key_name(path), key.raw.hex())
    except BaseException:
        store.close()
        raise
    keychain.delete_secret(_pending_name(path))
    log.info("store unlocked with the recovery key; key saved in the keychain")
    return store


def new_temp_path(dest: Path) -> Path:
    return dest.parent / f".{dest.name}.{secrets.token_hex(6)}.tmp"
