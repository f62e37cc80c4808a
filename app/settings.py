"""Typed settings, each declared once (key, type, default, French label), stored as JSON.

Secrets never live here (they go to the OS keychain, see local_store.keychain).
Usage: `settings = Settings.load(); settings.get(CLAUDE_EXTRACTION_MODEL); settings.set(..., v)`.
The desktop app creates one `Settings` at start and passes it to whoever needs it. Enumerated
settings are enums (a value the enum does not know reads as the default). Each `set` writes one key:
under a file lock it reads the file again, changes that key only and replaces the file atomically,
so two writers (two objects, two processes) never lose each other's change; `get` sees a change made
by another writer.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from app.domain.fsutil import atomic_write_text
from app.domain.paths import settings_path

log = logging.getLogger(__name__)

T = TypeVar("T")

_REGISTRY: dict[str, SettingVar[Any]] = {}


@dataclass(frozen=True)
class SettingVar(Generic[T]):
    key: str
    type_: type
    default: T
    label: str

    def __post_init__(self) -> None:
        if self.key in _REGISTRY:
            raise ValueError(f"setting declared twice: {self.key}")
        _REGISTRY[self.key] = self

    def coerce(self, value: Any) -> T:
        if issubclass(self.type_, Enum):
            try:
                return cast(T, self.type_(value))
            except ValueError:
                raise TypeError(f"{self.key}: unknown value {value!r}") from None
        if self.type_ is float and isinstance(value, int):
            value = float(value)
        if self.type_ is dict and isinstance(value, dict):
            return cast(T, value)
        if not isinstance(value, self.type_) or (self.type_ is int and isinstance(value, bool)):
            raise TypeError(f"{self.key}: expected {self.type_.__name__}, got {type(value).__name__}")
        return cast(T, value)


def all_settings() -> dict[str, SettingVar[Any]]:
    return dict(_REGISTRY)


# --- Claude ---------------------------------------------------------------------------------
CLAUDE_EXTRACTION_MODEL = SettingVar(
    "claude.extraction_model", str, "claude-haiku-4-5", "Modèle pour l'analyse"
)
CLAUDE_DRAFTING_MODEL = SettingVar(
    "claude.drafting_model", str, "claude-sonnet-4-6", "Modèle pour la rédaction"
)
CLAUDE_INPUT_BUDGET = SettingVar(
    "claude.input_budget_tokens", int, 60_000, "Budget de jetons d'entrée par analyse"
)


class ClaudeMode(StrEnum):
    OFF = "off"
    OWN_KEY = "own_key"
    ACCOUNT = "account"


class Theme(StrEnum):
    LIGHT = "light"
    DARK = "dark"
    SYSTEM = "system"


CLAUDE_MODE: SettingVar[ClaudeMode] = SettingVar(
    "claude.mode", ClaudeMode, ClaudeMode.OFF, "Accès à Claude : off, own_key ou account"
)


class SendDce(StrEnum):
    """Sending DCE text to Claude (see services.consent): ask once per consultation, or always, or never."""

    ASK = "ask"
    ALWAYS = "always"
    NEVER = "never"


CLAUDE_SEND_DCE: SettingVar[SendDce] = SettingVar(
    "claude.send_dce", SendDce, SendDce.ASK, "Envoi du texte des DCE à Claude : ask, always ou never"
)
# € per million tokens: input, output, cache write, cache read (configurable: prices change).
CLAUDE_PRICES_EUR = SettingVar(
    "claude.prices_eur_per_mtok",
    dict,
    {
        "claude-haiku-4-5": {"input": 0.92, "output": 4.6, "cache_write": 1.15, "cache_read": 0.092},
        "claude-sonnet-4-6": {"input": 2.76, "output": 13.8, "cache_write": 3.45, "cache_read": 0.276},
        "claude-sonnet-4-5": {"input": 2.76, "output": 13.8, "cache_write": 3.45, "cache_read": 0.276},
        "claude-opus-4-5": {"input": 4.6, "output": 23.0, "cache_write": 5.75, "cache_read": 0.46},
    },
    "Tarifs (€ par million de jetons)",
)

# --- Account and sync -------------------------------------------------------------------------
ACCOUNT_SERVER_URL = SettingVar("account.server_url", str, "", "Adresse du service Maître AO")
ACCOUNT_EMAIL = SettingVar("account.email", str, "", "Adresse e-mail du compte")
SYNC_INTERVAL_MIN = SettingVar("sync.interval_minutes", int, 5, "Synchronisation toutes les (minutes)")

# --- Data and retention -----------------------------------------------------------------------
RETENTION_DAYS = SettingVar("data.dce_retention_days", int, 30, "Conservation des pièces du DCE (jours)")
LIBRARY_REVIEW_MONTHS = SettingVar("library.review_months", int, 12, "Revoir un bloc après (mois)")

# --- Appearance ---------------------------------------------------------------------------------
THEME: SettingVar[Theme] = SettingVar("ui.theme", Theme, Theme.SYSTEM, "Apparence : light, dark ou system")
WINDOW_STATE = SettingVar("ui.window_state", str, "", "État de la fenêtre (interne)")
FIRST_RUN_DONE = SettingVar("ui.first_run_done", bool, False, "Premier lancement terminé")


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock between processes on `path`.lock (held for one read-modify-write)."""
    lock_path = path.with_name(path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("settings file unreadable, using defaults: %s", type(exc).__name__)
        return {}
    return raw if isinstance(raw, dict) else {}


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """Changes with every write (each atomic write is a new file, so a new inode)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


class Settings:
    """Values over defaults, saved crash-safe as JSON (never pickled), one key per write."""

    def __init__(self, path: Path, values: dict[str, Any] | None = None) -> None:
        self.path = path
        self._values: dict[str, Any] = dict(values or {})
        self._stamp = _stamp(path)
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or settings_path()
        return cls(path, _read(path))

    def _refresh(self) -> None:
        """Reread the file when another writer changed it (caller holds the lock)."""
        stamp = _stamp(self.path)
        if stamp != self._stamp:
            self._values = _read(self.path)
            self._stamp = stamp

    def get(self, var: SettingVar[T]) -> T:
        with self._lock:
            self._refresh()
            if var.key in self._values:
                try:
                    return var.coerce(self._values[var.key])
                except TypeError:
                    log.warning("setting %s has a wrong type or value; default used", var.key)
            return var.default

    def set(self, var: SettingVar[T], value: T) -> None:
        coerced = var.coerce(value)
        self._write(var.key, coerced.value if isinstance(coerced, Enum) else coerced)

    def reset(self, var: SettingVar[Any]) -> None:
        self._write(var.key, None, remove=True)

    def _write(self, key: str, value: Any, *, remove: bool = False) -> None:
        with self._lock, _file_lock(self.path):
            values = _read(self.path)  # what other writers saved since: kept
            if remove:
                values.pop(key, None)
            else:
                values[key] = value
            atomic_write_text(self.path, json.dumps(values, ensure_ascii=False, indent=2, sort_keys=True))
            self._values = values
            self._stamp = _stamp(self.path)
