"""One way to build the Claude client, whoever pays: the user's own key or the account's proxy.

Resolution order (first match wins):
1. `ANTHROPIC_API_KEY` in the environment (the SDK's standard variable; `ANTHROPIC_BASE_URL` too);
2. mode "own_key": the key kept in the OS keychain ("anthropic-api-key");
3. mode "account": the account API's proxy, `<account.server_url>/v1/analysis`, authenticated with
   the session token kept in the keychain ("session-token").
Only `base_url` and the credential differ; everything after that is the same code path.
Both credentials travel as `Authorization: Bearer …` with this SDK version.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain.errors import UserError
from app.settings import ACCOUNT_SERVER_URL, CLAUDE_MODE, ClaudeMode, Settings

if TYPE_CHECKING:
    import anthropic

log = logging.getLogger(__name__)

API_KEY_SECRET = "anthropic-api-key"  # noqa: S105 (keychain entry name)
SESSION_TOKEN_SECRET = "session-token"  # noqa: S105 (keychain entry name)
PROXY_PATH = "/v1/analysis"
MODES: tuple[str, ...] = tuple(m.value for m in ClaudeMode)
TIMEOUT_S = 120.0


NOT_CONFIGURED = (
    "Claude n'est pas configuré : enregistrez une clé API avec "
    "« maitre-ao config set-api-key » ou connectez votre compte Maître AO."
)


class ClaudeNotConfigured(UserError):
    """No way to reach Claude: no key, no account."""


@dataclass(frozen=True, slots=True)
class Access:
    """How Claude is reached (never logged with its secret)."""

    source: str  # env, own_key, account
    base_url: str | None  # None: the SDK default or ANTHROPIC_BASE_URL
    api_key: str | None = None
    auth_token: str | None = None

    def describe(self) -> str:
        labels = {
            "env": "clé de la variable ANTHROPIC_API_KEY",
            "own_key": "votre clé API (trousseau du système)",
            "account": "le service Maître AO (abonnement)",
        }
        return labels.get(self.source, self.source)


def get_secret(name: str) -> str | None:
    from local_store.keychain import get_secret as _get

    return _get(name)


def _store_scoped_session_name() -> str:
    """The account client keeps its access token per store file (sync.client.KeychainTokens)."""
    from app.domain.paths import store_path
    from local_store.keychain import store_key_name

    return SESSION_TOKEN_SECRET + "-" + store_key_name(store_path()).removeprefix("store-key-")


def account_token() -> str | None:
    """The account session's access token ("session-token", else the account client's entry)."""
    return get_secret(SESSION_TOKEN_SECRET) or get_secret(_store_scoped_session_name())


def resolve_access(settings: Settings | None = None) -> Access | None:
    """The access to use now, or None when Claude is not configured."""
    settings = settings or Settings.load()
    env_key = os.environ.get("ANTHROPIC_API_KEY", "").strip()
    if env_key:
        return Access("env", None, api_key=env_key)
    mode = settings.get(CLAUDE_MODE)
    if mode == "own_key":
        key = get_secret(API_KEY_SECRET)
        return Access("own_key", None, api_key=key) if key else None
    if mode == "account":
        server = settings.get(ACCOUNT_SERVER_URL).rstrip("/")
        token = account_token()
        if server and token:
            return Access("account", server + PROXY_PATH, auth_token=token)
    return None


def is_configured(settings: Settings | None = None) -> bool:
    return resolve_access(settings) is not None


def make_client(access: Access | None = None, *, timeout: float = TIMEOUT_S) -> anthropic.Anthropic:
    """The SDK client; retries are ours (see retry.py) so that the user sees each wait."""
    import anthropic  # slow to import (seconds): only when Claude is really used

    access = access or resolve_access()
    if access is None:
        raise ClaudeNotConfigured(NOT_CONFIGURED)
    log.info("claude client via %s", access.source)
    if access.auth_token is not None:
        return anthropic.Anthropic(
            auth_token=access.auth_token,
            base_url=access.base_url,
            max_retries=0,
            timeout=timeout,
        )
    return anthropic.Anthropic(
        api_key=access.api_key,
        base_url=access.base_url,  # None: the SDK reads ANTHROPIC_BASE_URL
        max_retries=0,
        timeout=timeout,
    )
