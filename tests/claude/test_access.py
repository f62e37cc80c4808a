"""One code path, two ways to pay: the user's own key or the account's proxy (same SDK client)."""

from __future__ import annotations

import pytest

from app.analysis.claude.client import resolve_access
from app.analysis.engines import analyze, default_engine
from app.domain.document import PieceText
from app.domain.errors import UsageError
from app.services import claude as claude_service
from app.settings import ACCOUNT_SERVER_URL, CLAUDE_MODE, Settings
from local_store import repo_usage
from local_store.keychain import set_secret
from local_store.store import Store
from tests.claude.conftest import extraction
from tests.support.fake_claude import FakeClaude, Reply

KEY = "sk-ant-api03-" + "k" * 40


def test_account_mode_goes_through_the_proxy_with_the_session_token(
    fake: FakeClaude, dce: list[PieceText], waits: list[float]
) -> None:
    settings = Settings.load()
    settings.set(ACCOUNT_SERVER_URL, fake.url + "/")
    set_secret("session-token", "jeton-de-session")
    claude_service.set_mode("account")
    assert default_engine() == "hybrid"
    fake.push(Reply.structured(extraction()))
    result = analyze(dce, "claude")
    call = fake.message_calls[0]
    assert call.raw_path == "/v1/analysis/v1/messages"  # the SDK's path under the proxy's base URL
    assert call.headers["authorization"] == "Bearer jeton-de-session"
    assert result.engine == "claude"


def test_proxy_path_is_the_account_base_url(fake: FakeClaude, monkeypatch: pytest.MonkeyPatch) -> None:
    Settings.load().set(ACCOUNT_SERVER_URL, "https://compte.example.fr/")
    Settings.load().set(CLAUDE_MODE, "account")
    set_secret("session-token", "t")
    access = resolve_access()
    assert access is not None and access.base_url == "https://compte.example.fr/v1/analysis"
    assert access.auth_token == "t" and access.api_key is None


def test_environment_key_wins_then_the_keychain_key(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_access() is None and default_engine() == "offline"
    claude_service.set_api_key(KEY)
    access = resolve_access()
    assert access is not None and access.source == "own_key" and access.api_key == KEY
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-from-env")
    access = resolve_access()
    assert access is not None and access.source == "env" and access.api_key == "sk-ant-from-env"
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    claude_service.delete_api_key()
    assert resolve_access() is None and Settings.load().get(CLAUDE_MODE) == "off"


def test_modes_need_their_credentials() -> None:
    with pytest.raises(UsageError):
        claude_service.set_mode("own_key")
    with pytest.raises(UsageError):
        claude_service.set_mode("account")
    with pytest.raises(UsageError):
        claude_service.set_mode("gratuit")


def test_unknown_engine_is_a_usage_error(dce: list[PieceText]) -> None:
    with pytest.raises(UsageError, match="Moteur d'analyse inconnu"):
        analyze(dce, "gpt")


def test_claude_engine_without_access_says_how_to_configure(dce: list[PieceText]) -> None:
    with pytest.raises(Exception, match="set-api-key"):
        analyze(dce, "claude")
    result = analyze(dce, "hybrid")  # hybrid degrades to offline, and says so
    assert any("Claude n'est pas configuré" in w for w in result.warnings)


def test_account_mode_finds_the_token_the_account_client_saved() -> None:
    """sync.client.KeychainTokens keeps the access token under a name scoped by the store file."""
    from app.domain.paths import store_path
    from local_store.keychain import store_key_name
    from sync.client import KeychainTokens

    Settings.load().set(ACCOUNT_SERVER_URL, "https://compte.example.fr")
    Settings.load().set(CLAUDE_MODE, "account")
    KeychainTokens(scope=store_key_name(store_path()).removeprefix("store-key-")).save("acces", "renouv")
    access = resolve_access()
    assert access is not None and access.auth_token == "acces"


def test_connection_check_is_one_tiny_recorded_call(claude_env: FakeClaude, store: Store) -> None:
    claude_env.push(Reply.error(529, retry_after="0"), Reply.json_text("B"))
    statuses: list[str] = []
    message = claude_service.check_connection(store, on_status=statuses.append)
    assert message.startswith("Connexion à Claude réussie")
    assert statuses == ["Claude surchargé, nouvelle tentative immédiate"]
    assert claude_env.message_calls[-1].body["max_tokens"] == 1
    rows = repo_usage.rows(store)
    assert [r.purpose for r in rows] == ["test"] and rows[0].input_tokens > 0
