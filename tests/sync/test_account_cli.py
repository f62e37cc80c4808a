"""`maitre-ao login|sync|logout|conflicts|account delete` in a child process, and the account use cases."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.domain.errors import InvalidInput
from app.services import account as account_service
from local_store import repo_library
from local_store.store import create_store, open_store
from sync.client import AccountClient
from tests.conftest import run_cli
from tests.sync.conftest import Account, DeviceFactory, LiveServer


@pytest.fixture
def live(sqlite_server: LiveServer) -> LiveServer:
    return sqlite_server


def _account(live: LiveServer) -> Account:
    from tests.sync.conftest import new_account

    return new_account(live)


def test_login_sync_logout_from_the_cli(
    live: LiveServer, cli_env: dict[str, str], tmp_path: Path, isolated_home: Path
) -> None:
    acct = _account(live)
    store, _ = create_store()
    block = repo_library.add_block(store, "Références travaux publics", "Trois chantiers de voirie.")
    store.close()

    # The password is never an argument.
    code, _out, err = run_cli(
        ["login", "--server", live.url, "--email", acct.email, "--password", "x"], cli_env
    )
    assert code == 2 and "erreur d'utilisation" in err
    code, out, err = run_cli(
        ["login", "--server", live.url, "--email", acct.email], cli_env, stdin="faux-mot-de-passe\n"
    )
    assert code == 1 and "mot de passe incorrect" in err
    code, out, err = run_cli(
        ["login", "--server", live.url, "--email", acct.email], cli_env, stdin=acct.password + "\n"
    )
    assert code == 0, err
    assert acct.email in out and acct.password not in out + err
    # Tokens live in the keychain only (here the test keychain file), not in the settings or the log.
    keyring = json.loads(Path(os.environ["MAITRE_AO_TEST_KEYRING"]).read_text(encoding="utf-8"))
    token_entries = [k for k in keyring if "session-token" in k or "refresh-token" in k]
    assert len(token_entries) == 2
    tokens = [keyring[k] for k in token_entries]
    for path in isolated_home.rglob("*"):
        if path.is_file() and path.suffix in {".json", ".log", ".txt"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not any(t in text for t in tokens), path

    code, out, err = run_cli(["sync"], cli_env)
    assert code == 0, err
    assert "Envoyé : 1 (1 bloc de bibliothèque)" in out and "octets envoyés" in out
    code, out, _ = run_cli(["sync", "--status"], cli_env)
    assert code == 0 and "À envoyer : 0" in out and acct.email in out

    # Another computer (its own data folder) logs into the same account and receives the block.
    other_home = tmp_path / "second-computer"
    other_home.mkdir()
    other_env = {**cli_env, "MAITRE_AO_HOME": str(other_home)}
    assert run_cli(["store", "init"], other_env)[0] == 0
    assert (
        run_cli(
            ["login", "--server", live.url, "--email", acct.email], other_env, stdin=acct.password + "\n"
        )[0]
        == 0
    )
    code, out, err = run_cli(["sync"], other_env)
    assert code == 0, err
    assert "Reçu : 1 (1 bloc de bibliothèque)" in out
    other = open_store(other_home / "maitre-ao.db")
    assert repo_library.get_block(other, block.uuid).body == "Trois chantiers de voirie."
    other.close()

    code, out, _ = run_cli(["logout"], cli_env)
    assert code == 0 and "Déconnecté" in out
    code, _out, err = run_cli(["sync"], cli_env)
    assert code == 1 and "maitre-ao login" in err


def test_resolving_a_conflict_by_keeping_the_local_copy(devices: DeviceFactory) -> None:
    a, b = devices("a"), devices("b")
    block = repo_library.add_block(a.store, "Méthodologie", "commune")
    a.sync()
    b.sync()
    repo_library.update_block(a.store, block.uuid, body="version A")
    repo_library.update_block(b.store, block.uuid, body="version B")
    a.sync()
    b.sync()
    [conflict] = account_service.list_conflicts(b.store)
    account_service.resolve_conflict(b.store, conflict.id, "local")
    assert account_service.list_conflicts(b.store) == []
    b.sync()
    a.sync()
    assert repo_library.get_block(a.store, block.uuid).body == "version B"
    assert repo_library.get_block(b.store, block.uuid).body == "version B"


def test_deleting_the_account_erases_it_on_the_server_then_wipes_locally(
    live: LiveServer, cli_env: dict[str, str], isolated_home: Path
) -> None:
    acct = _account(live)
    store, _ = create_store()
    repo_library.add_block(store, "Bloc", "texte")
    store.close()
    assert (
        run_cli(["login", "--server", live.url, "--email", acct.email], cli_env, stdin=acct.password + "\n")[
            0
        ]
        == 0
    )
    assert run_cli(["sync"], cli_env)[0] == 0
    code, _out, err = run_cli(["account", "delete"], cli_env)
    assert code == 2 and "--yes" in err
    # The password is asked again: a wrong one leaves the account and this computer's data alone.
    code, _out, err = run_cli(
        ["account", "delete", "--yes", "--wipe-local"], cli_env, stdin="faux-mot-de-passe\n"
    )
    assert code != 0 and "mot de passe incorrect" in err
    assert (isolated_home / "maitre-ao.db").exists()
    code, out, err = run_cli(
        ["account", "delete", "--yes", "--wipe-local"], cli_env, stdin=acct.password + "\n"
    )
    assert code == 0, err
    assert "supprimé" in out
    assert not (isolated_home / "maitre-ao.db").exists()
    # The account is gone from the server: its password no longer opens a session.
    from sync.client import AuthRequired

    with pytest.raises(AuthRequired), AccountClient(live.url) as client:
        client.login(acct.email, acct.password)


def test_status_and_memoire_switch_through_the_services(devices: DeviceFactory, live: LiveServer) -> None:
    from local_store import repo_consultations, repo_proposals

    a = devices("a")
    with a.store.transaction() as tx:
        cid = repo_consultations.create(tx, title="Gymnase", source_name=None)
    proposal = repo_proposals.get_or_create_proposal(a.store, cid)
    repo_proposals.save_outline(a.store, proposal.uuid, [repo_proposals.NewSection("Méthodologie", 1)])
    st = account_service.status(a.store)
    assert (st.to_send, st.held_back) == (1, 2)  # the consultation; its mémoire waits for the switch
    account_service.set_memoire_sync(a.store, cid, True)
    assert account_service.status(a.store).to_send == 3
    with pytest.raises(InvalidInput, match="introuvable"):
        account_service.set_memoire_sync(a.store, "00000000-0000-0000-0000-000000000000", True)
    assert account_service.status_line(st) == "Synchronisation : non connecté"
