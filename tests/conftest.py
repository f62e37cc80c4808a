"""Shared test set-up: a private data folder and keychain per test, Qt offscreen, the corpus."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import pytest

from tests.support.keyrings import FileKeyring

if TYPE_CHECKING:
    from local_store.store import Store

REPO = Path(__file__).resolve().parents[1]
CORPUS = (REPO / ".." / "shared" / "corpus").resolve()
EXAMPLE_DIR = REPO / "app" / "resources" / "example"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own data folder and its own (file-backed) keychain, shared with children."""
    home = tmp_path / "maitre-ao-home"
    home.mkdir()
    monkeypatch.setenv("MAITRE_AO_HOME", str(home))
    monkeypatch.setenv("MAITRE_AO_TEST_KEYRING", str(tmp_path / "keyring.json"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.support.keyrings.FileKeyring")
    # Qt keeps its own dialogs' state (file dialog columns, last folder) in ~/.config/QtProject.conf:
    # each test starts from a first-time user's Qt settings, and never writes the developer's.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    for var in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    yield home
    keyring.set_keyring(previous)


@pytest.fixture
def corpus() -> Path:
    """../shared/corpus, or skip when this clone has none."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    return CORPUS


@pytest.fixture
def cli_env() -> dict[str, str]:
    """Environment for running `maitre-ao` in a child process with this test's home and keychain."""
    return dict(os.environ)


def run_cli(args: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[int, str, str]:
    import subprocess

    proc = subprocess.run(
        [sys.executable, "-m", "ui.launcher", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def store_with_recovery(isolated_home: Path) -> Iterator[tuple[Store, str]]:
    """A freshly created encrypted store in this test's home and the recovery key shown at creation."""
    from local_store.store import create_store

    created, recovery_key = create_store()
    yield created, recovery_key
    created.close()


@pytest.fixture
def store(store_with_recovery: tuple[Store, str]) -> Store:
    """A freshly created encrypted store in this test's home (its key in the test keychain)."""
    return store_with_recovery[0]
