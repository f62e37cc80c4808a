"""A privacy policy version the account has not acknowledged is shown after login / sync, with its
changes, and « J'ai pris connaissance » acknowledges it on the server (issue 18, item 8)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.services import account as account_service
from sync.client import AccountClient
from tests.sync.conftest import (  # noqa: F401  (session fixtures: one server for the module)
    LiveServer,
    new_account,
    sqlite_server,
    sqlite_sync_url,
)
from tests.ui.test_sync_ui import WAIT_MS, logged_in_app, sync_and_wait, window_for
from ui.context import AppContext


def test_new_policy_version_is_shown_once_and_acknowledged(
    qtbot: QtBot,
    ctx: AppContext,
    sqlite_server: LiveServer,  # noqa: F811
) -> None:
    live = sqlite_server
    acct = new_account(live)
    logged_in_app(ctx, live, acct)
    window = window_for(ctx, qtbot)
    sync_and_wait(window, qtbot)
    qtbot.waitUntil(lambda: window.policy.dialog is not None, timeout=WAIT_MS)
    dialog = window.policy.dialog
    assert dialog is not None
    text = dialog.text.text()
    assert live.settings.privacy_policy_version in text and live.settings.privacy_policy_url in text
    assert dialog.accept_button.text() == "J'ai pris connaissance"
    dialog.accept()
    qtbot.waitUntil(
        lambda: ctx.runner.call(lambda: account_service.pending_policy(ctx.backend.store)) is None,
        timeout=WAIT_MS,
    )
    with AccountClient(live.url) as client:
        client.login(acct.email, acct.password)
        assert client.me()["policy"]["up_to_date"] is True
    sync_and_wait(window, qtbot)
    ctx.runner.wait_idle(WAIT_MS / 1000)
    assert window.policy.dialog is None  # not shown again


def test_later_asks_again_at_the_next_start_only(
    qtbot: QtBot,
    ctx: AppContext,
    sqlite_server: LiveServer,  # noqa: F811
) -> None:
    live = sqlite_server
    logged_in_app(ctx, live, new_account(live))
    window = window_for(ctx, qtbot)
    sync_and_wait(window, qtbot)
    qtbot.waitUntil(lambda: window.policy.dialog is not None, timeout=WAIT_MS)
    assert window.policy.dialog is not None
    window.policy.dialog.reject()
    sync_and_wait(window, qtbot)
    ctx.runner.wait_idle(WAIT_MS / 1000)
    assert window.policy.dialog is None  # once per session
    assert ctx.runner.call(lambda: account_service.pending_policy(ctx.backend.store)) is not None
