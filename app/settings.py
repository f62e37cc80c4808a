"""Typed settings, each declared once (key, type, default, French label), stored as JSON.

Secrets never live here (they go to the OS keychain, see local_store.keychain).
Usage: `settings = Settings.load(); settings.get(CLAUDE_EXTRACTION_MODEL); settings.set(..., v)`.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
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
CLAUDE_MODE = SettingVar("claude.mode", str, "off", "Accès à Claude : off, own_key ou account")
# Sending DCE text to Claude: "ask" (once per consultation), "always" or "never" (see services.consent).
CLAUDE_SEND_DCE = SettingVar(
    "claude.send_dce", str, "ask", "Envoi du texte des DCE à Claude : ask, always ou never"
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
THEME = SettingVar("ui.theme", str, "system", "Apparence : light, dark ou system")
WINDOW_STATE = SettingVar("ui.window_state", str, "", "État de la fenêtre (interne)")
FIRST_RUN_DONE = SettingVar("ui.first_run_done", bool, False, "Premier lancement terminé")


class Settings:
    """Values over defaults, saved crash-safe as JSON (never pickled)."""

    def __init__(self, path: Path, values: dict[str, Any] | None = None) -> None:
        self.path = path
        self._values: dict[str, Any] = dict(values or {})
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or settings_path()
        values: dict[str, Any] = {}
        if path.exists():
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(raw, dict):
                    values = raw
            except (OSError, ValueError) as exc:
                log.warning("settings file unreadable, using defaults: %s", exc)
        return cls(path, values)

    def get(self, var: SettingVar[T]) -> T:
        with self._lock:
            if var.key in self._values:
                try:
                    return var.coerce(self._values[var.key])
                except TypeError:
                    log.warning("setting %s has a wrong type; default used", var.key)
            return var.default

    def set(self, var: SettingVar[T], value: T) -> None:
        coerced = var.coerce(value)
        with self._lock:
            self._values[var.key] = coerced
            self._save()

    def reset(self, var: SettingVar[Any]) -> None:
        with self._lock:
            self._values.pop(var.key, None)
            self._save()

    def _save(self) -> None:
        atomic_write_text(self.path, json.dumps(self._values, ensure_ascii=False, indent=2, sort_keys=True))
