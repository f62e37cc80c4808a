"""In CI (CI=true) the PostgreSQL tests never skip: they fail when PostgreSQL is down, and `.ci/run`
fails when it cannot start PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pytest(repo_root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *args],
        cwd=repo_root, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("ci", ["true", ""])
def test_postgres_tests_fail_instead_of_skipping_in_ci(repo_root: Path, ci: str) -> None:
    down = f"postgresql://postgres@127.0.0.1:{_closed_port()}/postgres"
    env = {**os.environ, "CI": ci, "MAITRE_AO_TEST_POSTGRES": down}
    result = _pytest(
        repo_root,
        env,
        "-p",
        "tests.server.ci_postgres",
        "tests/server/test_retention.py::test_migrations_match_the_models",
        "-k",
        "postgresql",
    )
    if ci:
        assert result.returncode == 1, result.stdout
        assert "1 failed" in result.stdout or "1 error" in result.stdout, result.stdout
        assert "skipped" not in result.stdout
    else:
        assert result.returncode == 0, result.stdout
        assert "1 skipped" in result.stdout


def test_ci_run_fails_when_postgres_cannot_be_started(repo_root: Path) -> None:
    env = {
        **os.environ,
        "CI": "true",
        "MAITRE_AO_CI_PG_PORT": str(_closed_port()),
        "MAITRE_AO_CI_PG_WAIT": "1",
        "MAITRE_AO_CI_NO_PG_START": "1",  # do not touch the machine's real cluster from a test
    }
    result = subprocess.run(
        ["bash", ".ci/run", "--setup-only"],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "PostgreSQL" in result.stdout + result.stderr
    outside_ci = subprocess.run(
        ["bash", ".ci/run", "--setup-only"],
        cwd=repo_root,
        env={**env, "CI": "", "MAITRE_AO_CI_NO_SOFFICE_INSTALL": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert outside_ci.returncode == 0, outside_ci.stdout + outside_ci.stderr
    assert "its tests will skip" in outside_ci.stdout
