"""The desktop reads the privacy policy version at login and sync; a version the account has not
acknowledged is shown with its changes and acknowledged on the server (issue 18, item 8)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services import account as account_service
from local_store.store import Store
from server.db import make_engine
from server.migrate import upgrade
from sync.client import AccountClient
from tests.conftest import run_cli
from tests.sync.conftest import LiveServer, _settings, new_account


@pytest.fixture
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own: the test changes its policy version."""
    url = "sqlite:///" + str(tmp_path_factory.mktemp("policy-server") / "server.db")
    upgrade(url)
    server = LiveServer(_settings(url), make_engine(url))
    yield server
    server.stop()


def _me(live: LiveServer, email: str, password: str) -> dict[str, object]:
    with AccountClient(live.url) as client:
        client.login(email, password)
        return client.me()


def test_login_finds_the_unacknowledged_version_then_acknowledges_it(live: LiveServer, store: Store) -> None:
    acct = new_account(live)
    account_service.login(store, live.url, acct.email, acct.password)
    notice = account_service.pending_policy(store)
    assert notice is not None and notice.version == live.settings.privacy_policy_version
    assert notice.url == live.settings.privacy_policy_url and notice.acknowledged_version is None
    assert notice.version in notice.text() and notice.url in notice.text()

    account_service.acknowledge_policy(store)
    assert account_service.pending_policy(store) is None
    policy = _me(live, acct.email, acct.password)["policy"]
    assert isinstance(policy, dict) and policy["up_to_date"] is True

    # A newer version: the next sync finds it, with what the user saw before.
    live.settings = dataclasses.replace(live.settings, privacy_policy_version="2027-03-01")
    live.restart()
    account_service.sync_now(store)
    newer = account_service.pending_policy(store)
    assert newer is not None and newer.version == "2027-03-01"
    assert newer.acknowledged_version == "2026-11-01" and "2026-11-01" in newer.text()
    account_service.acknowledge_policy(store)
    policy = _me(live, acct.email, acct.password)["policy"]
    assert isinstance(policy, dict) and policy["acknowledged_version"] == "2027-03-01"
    account_service.sync_now(store)
    assert account_service.pending_policy(store) is None


def test_changes_given_by_the_server_are_listed() -> None:
    notice = account_service.PolicyNotice(
        "2027-03-01",
        "https://www.maitre-ao.fr/confidentialite",
        account_service._changes(
            "- Hébergement : nouveau centre à Paris\n- Conservation des journaux : 6 mois"
        ),
        "2026-11-01",
    )
    text = notice.text()
    assert "Ce qui change :" in text and "- Conservation des journaux : 6 mois" in text


def test_cli_shows_the_new_version_and_accepts_it(
    live: LiveServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    acct = new_account(live)
    assert run_cli(["store", "init"], cli_env)[0] == 0
    code, out, err = run_cli(
        ["login", "--server", live.url, "--email", acct.email], cli_env, stdin=acct.password + "\n"
    )
    assert code == 0, err
    assert "politique de confidentialité" in out and "maitre-ao policy accept" in out
    code, out, err = run_cli(["policy", "accept"], cli_env)
    assert code == 0, err
    assert "prise de connaissance enregistrée" in out
    code, out, err = run_cli(["sync"], cli_env)
    assert code == 0, err
    assert "maitre-ao policy accept" not in out
