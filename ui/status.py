"""Status-bar texts for Claude and synchronisation (computed on the DB worker)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from app.settings import CLAUDE_MODE, Settings
from ui.backend import Backend


def _tr(text: str) -> str:
    return QCoreApplication.translate("status", text)


def logged_in(backend: Backend) -> bool:
    return Backend.has("account", "status") and bool(backend.account_status().get("logged_in"))


def status_texts(backend: Backend, settings: Settings) -> tuple[str, str]:
    claude, account = status_parts(backend, settings)
    return claude, str(account["line"]) if account else _tr("Synchronisation : non connecté")


def status_parts(backend: Backend, settings: Settings) -> tuple[str, dict[str, Any] | None]:
    """The Claude line and the account status (None when this build has no account service)."""
    claude = _tr("Claude : désactivé")
    mode = settings.get(CLAUDE_MODE)
    if Backend.has("claude", "status"):
        st = backend.claude_status()
        mode = str(st.get("mode") or mode)
        if mode != "off":
            claude = _tr("Claude : prêt") if st.get("configured") else _tr("Claude : clé manquante")
    elif mode != "off":
        claude = _tr("Claude : indisponible")
    account = None
    if Backend.has("account", "status", "status_line") and backend.store is not None:
        account = backend.account_status()
    return claude, account
