"""Retention on the desktop (issue 18, item 6): the DCE purge runs on every store open (CLI and app),
covers imports never analysed, and backups say in their name and metadata the date after which they
hold expired DCEs (`store purge` lists them); the data folder and its files are private."""

from __future__ import annotations

import os
import stat
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.services import consultations as svc
from app.services import store as store_service
from local_store.store import Store, connect, open_store
from tests.conftest import EXAMPLE_DIR, run_cli

EXAMPLE = EXAMPLE_DIR / "dce.zip"


def _age(store: Store, uuid: str, days: int, *, analysed: bool) -> None:
    then = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
    with store.transaction() as tx:
        tx.execute(
            "UPDATE consultations SET created_at = ?, analyzed_at = ? WHERE uuid = ?",
            (then, then if analysed else None, uuid),
        )


def _blobs(store: Store) -> int:
    return int(store.read().execute("SELECT count(*) FROM blobs").fetchone()[0])


def test_a_never_analysed_import_is_purged_after_the_retention_period(store: Store) -> None:
    uuid = svc.import_dce(store, [EXAMPLE], workers=1, analyze=False).consultation_uuid
    _age(store, uuid, 31, analysed=False)
    report = store_service.purge(store)
    assert [c.uuid for c in report.consultations] == [uuid] and report.applied
    assert _blobs(store) == 0


def test_a_recent_never_analysed_import_is_kept(store: Store) -> None:
    uuid = svc.import_dce(store, [EXAMPLE], workers=1, analyze=False).consultation_uuid
    _age(store, uuid, 29, analysed=False)
    assert store_service.purge(store).empty
    assert _blobs(store) > 0


def test_any_cli_command_applies_the_retention_rule(store: Store, cli_env: dict[str, str]) -> None:
    uuid = svc.import_dce(store, [EXAMPLE], workers=1).consultation_uuid
    _age(store, uuid, 40, analysed=True)
    store.close()
    code, out, err = run_cli(["store", "purge", "--dry-run"], cli_env)  # shows, changes nothing
    assert code == 0, err
    assert "seraient supprimées" in out
    code, out, err = run_cli(["consultations", "list"], cli_env)  # a CLI-only user
    assert code == 0, err
    again = open_store()
    try:
        assert _blobs(again) == 0
        [row] = svc.list_consultations(again)
        assert row.pieces == 9  # the list of pieces stays, their content is gone (example DCE: 9)
    finally:
        again.close()


def test_opening_the_store_as_the_app_does_purges(store: Store) -> None:
    uuid = svc.import_dce(store, [EXAMPLE], workers=1).consultation_uuid
    _age(store, uuid, 40, analysed=True)
    store.close()
    reopened = store_service.open_current()
    try:
        assert _blobs(reopened) == 0
    finally:
        reopened.close()


def _backup_meta(path: Path, store: Store) -> str | None:
    conn = connect(path, store.key, readonly=True)
    try:
        row = conn.execute("SELECT value FROM kv WHERE key = 'backup.dce_expire_after'").fetchone()
        return None if row is None else str(row[0])
    finally:
        conn.close()


def test_backups_say_when_their_dce_pieces_expire(
    store: Store, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    empty = store_service.backup(store, tmp_path / "vide.maitreao")
    assert empty.name == "vide.maitreao" and _backup_meta(empty, store) == ""

    uuid = svc.import_dce(store, [EXAMPLE], workers=1).consultation_uuid
    fresh = store_service.backup(store, tmp_path / "sauvegarde.maitreao")
    expected = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    assert fresh.name == f"sauvegarde.dce-expire-{expected}.maitreao"
    assert _backup_meta(fresh, store) == expected

    _age(store, uuid, 40, analysed=True)
    old = store_service.backup(store, tmp_path / "ancienne.maitreao")
    past = (datetime.now(UTC) - timedelta(days=10)).date().isoformat()
    assert old.name == f"ancienne.dce-expire-{past}.maitreao"
    assert [b.path for b in store_service.expired_backups(store)] == [str(old.resolve())]
    store.close()

    code, out, err = run_cli(["store", "purge"], cli_env)
    assert code == 0, err
    assert str(old.resolve()) in out and past in out
    assert str(fresh.resolve()) not in out


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_data_folder_and_files_are_private(tmp_path: Path, cli_env: dict[str, str]) -> None:
    home = tmp_path / "neuf" / "maitre-ao"
    env = {**cli_env, "MAITRE_AO_HOME": str(home)}
    old_umask = os.umask(0o022)
    try:
        code, _out, err = run_cli(["store", "init"], env)
    finally:
        os.umask(old_umask)
    assert code == 0, err
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "logs").stat().st_mode) == 0o700
    log = home / "logs" / "maitre-ao.log"
    assert log.exists() and stat.S_IMODE(log.stat().st_mode) == 0o600
    for path in home.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, (path, oct(path.stat().st_mode))
        assert stat.S_IMODE(path.stat().st_mode) & expected == stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_passphrase_mode_files_are_private(tmp_path: Path, cli_env: dict[str, str]) -> None:
    home = tmp_path / "phrase"
    env = {**cli_env, "MAITRE_AO_HOME": str(home)}
    code, _out, err = run_cli(["store", "init", "--passphrase"], env, stdin="une phrase assez longue\n")
    assert code == 0, err
    keymode = home / "maitre-ao.db.keymode"
    assert keymode.exists() and stat.S_IMODE(keymode.stat().st_mode) == 0o600
