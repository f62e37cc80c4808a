"""A writer killed with SIGKILL mid-loop leaves a store that opens, is intact and keeps every commit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from local_store.store import Store, open_store
from tests.conftest import REPO


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_sigkill_in_write_loop_loses_no_committed_row(store: Store) -> None:
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.local_store.crash_writer"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=dict(os.environ),
    )
    assert proc.stdout is not None
    committed: list[int] = []
    try:
        for line in proc.stdout:
            committed.append(int(line))
            if len(committed) >= 120:
                break
        os.kill(proc.pid, signal.SIGKILL)  # while it is in the middle of its next transactions
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    assert len(committed) >= 120

    reopened = open_store()
    try:
        assert reopened.integrity_errors() == []
        conn = reopened.read()
        keys = {r["key"] for r in conn.execute("SELECT key FROM kv WHERE key LIKE 'row-%'")}
        missing = [i for i in committed if f"row-{i}" not in keys]
        assert missing == []
        # Each committed row's blob is there and whole (same transaction).
        for r in conn.execute("SELECT kv.value, blobs.size FROM kv JOIN blobs ON blobs.sha256 = kv.value"):
            assert r["size"] == 16_000
        assert (
            conn.execute("SELECT count(*) FROM kv WHERE key LIKE 'row-%'").fetchone()[0]
            == conn.execute("SELECT count(*) FROM blobs").fetchone()[0]
        )
    finally:
        reopened.close()
