"""`maitre-ao store …`, `backup`, `restore` as a user (or a script) runs them, in child processes."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from tests.conftest import run_cli

KEY_LINE = re.compile(r"^\s+([A-Z2-7]{5}(?:-[A-Z2-7]{5}){7}-[A-Z2-7]{4})$", re.MULTILINE)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _init(env: dict[str, str]) -> str:
    code, out, err = run_cli(["store", "init"], env)
    assert code == 0, err
    match = KEY_LINE.search(out)
    assert match, out
    return match.group(1)


def _forget_key(env: dict[str, str]) -> None:
    Path(env["MAITRE_AO_TEST_KEYRING"]).unlink()


def test_init_check_lock_unlock(cli_env: dict[str, str], isolated_home: Path) -> None:
    recovery_key = _init(cli_env)
    db = isolated_home / "maitre-ao.db"
    assert db.exists()

    code, out, err = run_cli(["store", "init"], cli_env)
    assert code == 1 and "existe déjà" in err

    code, out, err = run_cli(["store", "check"], cli_env)
    assert code == 0, err
    assert "Intégrité : OK" in out and "certifications" in out

    _forget_key(cli_env)
    before = _digest(db)
    code, out, err = run_cli(["store", "check"], cli_env)
    assert code == 3
    assert "maitre-ao store unlock" in err
    assert _digest(db) == before

    code, out, err = run_cli(["store", "unlock"], cli_env, stdin="AAAAA-BBBBB\n")
    assert code == 4 and "clé de secours" in err

    from local_store import recovery

    wrong = recovery.format_key(recovery.new_secret())  # well formed, but another store's key
    code, out, err = run_cli(["store", "unlock"], cli_env, stdin=wrong + "\n")
    assert code == 3 and "n'ouvre pas" in err
    assert _digest(db) == before

    code, out, err = run_cli(["store", "unlock"], cli_env, stdin=recovery_key.lower() + "\n")
    assert code == 0, err
    code, out, err = run_cli(["store", "check"], cli_env)
    assert code == 0, err


def test_wrong_key_in_keychain_is_exit_3(cli_env: dict[str, str], isolated_home: Path) -> None:
    _init(cli_env)
    keyring_file = Path(cli_env["MAITRE_AO_TEST_KEYRING"])
    entries = json.loads(keyring_file.read_text(encoding="utf-8"))
    entries = {k: ("ab" * 32 if "store-key" in k else v) for k, v in entries.items()}
    keyring_file.write_text(json.dumps(entries), encoding="utf-8")
    db = isolated_home / "maitre-ao.db"
    before = _digest(db)
    code, _, err = run_cli(["profile", "show"], cli_env)
    assert code == 3 and "store unlock" in err
    assert _digest(db) == before


def test_backup_restore_and_rekey(cli_env: dict[str, str], isolated_home: Path, tmp_path: Path) -> None:
    recovery_key = _init(cli_env)
    example = Path(__file__).resolve().parents[2] / "app" / "resources" / "example" / "profile.json"
    assert run_cli(["profile", "import", str(example)], cli_env)[0] == 0
    backup = tmp_path / "sauvegarde.bak"
    code, out, err = run_cli(["backup", str(backup)], cli_env)
    assert code == 0, err
    assert backup.exists()

    code, out, err = run_cli(["store", "rekey"], cli_env)
    assert code == 0, err
    new_key = KEY_LINE.search(out)
    assert new_key and new_key.group(1) != recovery_key

    # Another machine: empty keychain and data folder; the backup needs the key of its time.
    other = dict(cli_env)
    other["MAITRE_AO_HOME"] = str(tmp_path / "autre-poste")
    other["MAITRE_AO_TEST_KEYRING"] = str(tmp_path / "autre-trousseau.json")
    os.makedirs(other["MAITRE_AO_HOME"])
    code, _, err = run_cli(["restore", str(backup)], other, stdin=new_key.group(1) + "\n")
    assert code == 3, err
    code, out, err = run_cli(["restore", str(backup)], other, stdin=recovery_key + "\n")
    assert code == 0, err
    code, out, err = run_cli(["profile", "show", "--format", "json"], other)
    assert code == 0, err
    assert json.loads(out)["siret"] == json.loads(example.read_text(encoding="utf-8"))["siret"]


def test_purge_dry_run_then_purge(cli_env: dict[str, str], isolated_home: Path) -> None:
    _init(cli_env)
    from local_store.store import open_store

    store = open_store()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO consultations(uuid, title, created_at, analyzed_at, updated_at) "
            "VALUES ('c1', 'Réfection de toiture', '2025-01-01', '2025-01-10T10:00:00+00:00', '2025-01-10')"
        )
        conn.execute("INSERT INTO blobs(sha256, size, data) VALUES ('ab', 3, x'010203')")
        conn.execute(
            "INSERT INTO pieces(consultation_uuid, path, kind, sha256, size, imported_at) "
            "VALUES ('c1', 'RC.pdf', 'RC', 'ab', 3, '2025-01-01')"
        )
    store.close()

    code, out, err = run_cli(["store", "purge", "--dry-run"], cli_env)
    assert code == 0, err
    assert "Réfection de toiture" in out and "seraient supprimées" in out and "rien n'a été supprimé" in out
    code, out, err = run_cli(["store", "purge"], cli_env)
    assert code == 0, err
    assert "Réfection de toiture" in out
    code, out, err = run_cli(["store", "purge", "--dry-run"], cli_env)
    assert code == 0 and "Rien à supprimer" in out


def test_passphrase_store_from_stdin(cli_env: dict[str, str], isolated_home: Path) -> None:
    env = dict(cli_env)
    env["PYTHON_KEYRING_BACKEND"] = "tests.support.keyrings.ForgetfulKeyring"
    code, out, err = run_cli(["store", "init"], env)
    assert code == 1 and "--passphrase" in err  # the keychain keeps nothing: refused, and said why
    code, out, err = run_cli(["store", "init", "--passphrase"], env, stdin="phrase secrète assez longue\n")
    assert code == 0, err
    assert not KEY_LINE.search(out)
    code, out, err = run_cli(["store", "check"], env, stdin="phrase secrète assez longue\n")
    assert code == 0, err
    code, out, err = run_cli(["store", "check"], env, stdin="mauvaise phrase secrète\n")
    assert code == 3


def test_usage_error_is_exit_2(cli_env: dict[str, str]) -> None:
    code, _, err = run_cli(["store", "frobnicate"], cli_env)
    assert code == 2 and "utilisation" in err
    code, _, err = run_cli(["backup"], cli_env)
    assert code == 2 and "FICHIER" in err
