"""The account client at the network edge (HTTPS rule, retries with backoff, token refresh, protocol
version) and the engine's recovery paths (expired cursor → full compare, a server that lost history)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, update

from local_store import repo_library, repo_sync
from server.context import AppContext
from server.models import Account as AccountRow
from server.models import SyncRecord, utcnow
from server.retention import purge
from sync import client as client_mod
from sync.client import (
    AccountClient,
    AuthRequired,
    InsecureServerUrl,
    MemoryTokens,
    Offline,
    UpdateRequired,
    check_server_url,
)
from tests.sync.conftest import Account, DeviceFactory, FaultTransport, LiveServer


@pytest.mark.parametrize(
    "url", ["https://api.maitre-ao.fr", "http://127.0.0.1:8000/", "http://localhost:9000", "http://[::1]:80"]
)
def test_https_or_loopback_is_accepted(url: str) -> None:
    assert check_server_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url", ["http://api.maitre-ao.fr", "http://192.168.1.20:8000", "ftp://x.fr", "api.fr"]
)
def test_plain_http_to_another_machine_is_refused(url: str) -> None:
    with pytest.raises(InsecureServerUrl) as exc:
        AccountClient(url)
    assert "https" in exc.value.message


def test_certificates_are_verified() -> None:
    client = AccountClient("https://api.maitre-ao.fr")
    # httpx keeps the SSL context it was given: verification on, host names checked.
    ssl_context = client.http._transport._pool._ssl_context  # type: ignore[attr-defined]
    import ssl

    assert ssl_context.verify_mode == ssl.CERT_REQUIRED and ssl_context.check_hostname
    assert client.http.timeout.read is not None and client.http.timeout.connect is not None
    client.close()


def _client(
    live: LiveServer, transport: FaultTransport, sleeps: list[float], retries: int = 3
) -> AccountClient:
    return AccountClient(
        live.url,
        MemoryTokens(),
        transport=transport,
        retries=retries,
        backoff_seconds=0.5,
        sleep=sleeps.append,
    )


def test_dropped_connections_are_retried_with_growing_delays(sqlite_server: LiveServer) -> None:
    from tests.sync.conftest import new_account

    account = new_account(sqlite_server)
    transport, sleeps = FaultTransport(), []  # type: ignore[var-annotated]
    client = _client(sqlite_server, transport, sleeps)
    client.login(account.email, account.password)
    transport.faults = ["drop_before", "drop_after", "drop_before"]
    page = client.pull(None, 10)
    assert page.records == [] and len(sleeps) == 3
    assert sleeps[0] < sleeps[1] < sleeps[2] and sleeps[0] >= 0.5
    transport.faults = ["drop_before"] * 4
    with pytest.raises(Offline) as exc:
        client.pull(None, 10)
    assert "injoignable" in exc.value.message


def test_an_expired_access_token_is_refreshed_once(sqlite_server: LiveServer) -> None:
    from tests.sync.conftest import new_account

    account = new_account(sqlite_server)
    tokens = MemoryTokens()
    client = AccountClient(sqlite_server.url, tokens)
    client.login(account.email, account.password)
    old_refresh = tokens.refresh
    tokens.access = "mao_at_expired-or-revoked"
    assert client.pull(None, 10).records == []
    assert tokens.access != "mao_at_expired-or-revoked" and tokens.refresh != old_refresh
    tokens.access, tokens.refresh = "mao_at_bad", "mao_rt_bad"
    with pytest.raises(AuthRequired) as exc:
        client.pull(None, 10)
    assert "reconnectez-vous" in exc.value.message


def test_an_old_client_is_told_to_update(sqlite_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.sync.conftest import new_account

    account = new_account(sqlite_server)
    client = AccountClient(sqlite_server.url)
    client.login(account.email, account.password)
    monkeypatch.setattr(client_mod, "PROTOCOL_VERSION", 0)
    with pytest.raises(UpdateRequired) as exc:
        client.pull(None, 10)
    assert "mettez à jour l'application" in exc.value.message


def test_expired_cursor_triggers_a_full_compare(devices: DeviceFactory, server: LiveServer) -> None:
    a, b = devices("a"), devices("b")
    kept = repo_library.add_block(a.store, "Gardé", "reste")
    gone = repo_library.add_block(a.store, "Supprimé", "part")
    a.sync()
    b.sync()
    repo_library.delete_block(a.store, gone.uuid)
    a.sync()
    # B stays away long enough for the tombstone to be compacted on the server.
    with server.engine.begin() as conn:
        conn.execute(
            update(SyncRecord)
            .where(SyncRecord.id == gone.uuid)
            .values(updated_at=utcnow() - timedelta(days=server.settings.tombstone_days + 1))
        )
    with AppContext(server.settings, server.engine).tx() as s:
        purge(s, server.settings)
    offline_edit = repo_library.update_block(b.store, kept.uuid, body="reste, modifié hors ligne")
    summary = b.sync()
    assert summary.full_compare  # type: ignore[attr-defined]
    assert [blk.uuid for blk in repo_library.list_blocks(b.store)] == [kept.uuid]
    a.sync()
    assert repo_library.get_block(a.store, kept.uuid).body == offline_edit.body
    assert repo_sync.kv_get(b.store.read(), repo_sync.FULL_COMPARE_KEY) is None


def test_records_a_restored_server_lost_are_sent_again(
    devices: DeviceFactory, server: LiveServer, account: Account
) -> None:
    a = devices("a")
    first = repo_library.add_block(a.store, "Premier", "1")
    a.sync()
    second = repo_library.add_block(a.store, "Second", "2")
    a.sync()
    # The server is restored from a backup taken between the two syncs.
    with server.engine.begin() as conn:
        conn.execute(delete(SyncRecord).where(SyncRecord.id == second.uuid))
        conn.execute(update(AccountRow).where(AccountRow.email == account.email).values(sync_revision=1))
    summary = a.sync()
    assert summary.full_compare  # type: ignore[attr-defined]
    b = devices("b")
    b.sync()
    assert sorted(blk.uuid for blk in repo_library.list_blocks(b.store)) == sorted([first.uuid, second.uuid])


def test_an_unreadable_cursor_is_dropped_for_a_full_compare(devices: DeviceFactory) -> None:
    a, b = devices("a"), devices("b")
    block = repo_library.add_block(a.store, "Bloc", "texte")
    a.sync()
    with b.store.transaction() as tx:
        repo_sync.kv_set(tx, repo_sync.CURSOR_KEY, "c1.abîmé")
    summary = b.sync()
    assert summary.full_compare  # type: ignore[attr-defined]
    assert repo_library.get_block(b.store, block.uuid).body == "texte"
