"""Status-bar texts for Claude and synchronisation (computed on the DB worker)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from ui.backend import Backend

if TYPE_CHECKING:
    from app.services.account import AccountStatus


def _tr(text: str) -> str:
    return QCoreApplication.translate("status", text)


def status_parts(backend: Backend) -> tuple[str, AccountStatus | None]:
    """The Claude line and the account status (None while no store is open)."""
    claude = _tr("Claude : désactivé")
    st = backend.claude_status()
    if st.mode != "off":
        claude = _tr("Claude : prêt") if st.configured else _tr("Claude : clé manquante")
    account = backend.account_status() if backend.store is not None else None
    return claude, account
