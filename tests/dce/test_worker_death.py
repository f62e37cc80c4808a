"""Extraction processes die with the process that started them, even on `kill -9` (issue 18, item 5)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from app.dce.worker import process_alive as _alive

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX; Windows waits on a handle")

# The child starts a pool as an import does (fork when single-threaded, else the fork server), gives
# every worker a long task, prints the workers' process ids, then waits to be killed.
_CHILD = textwrap.dedent(
    """
    import sys, threading, time
    from app.dce import reader
    from app.dce.worker import warm_up

    if sys.argv[1] == "forkserver":
        threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()  # as under Qt
    ctx = reader._mp_context()
    assert ctx.get_start_method() == sys.argv[1], ctx.get_start_method()
    pool = reader.new_pool(2, ctx, ctx.Event())
    for f in [pool.submit(warm_up) for _ in range(4)]:
        f.result()
    pool.submit(time.sleep, 3600)
    pool.submit(time.sleep, 3600)
    time.sleep(0.5)
    print(" ".join(str(pid) for pid in pool._processes), flush=True)
    time.sleep(3600)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork / fork server contexts are Linux's")
@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_workers_die_within_seconds_of_a_kill_9_of_their_parent(method: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, method],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        pids = [int(p) for p in line.split()]
        assert len(pids) == 2, proc.stderr.read() if proc.stderr else line
        assert all(_alive(pid) for pid in pids)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
            time.sleep(0.05)
        survivors = [pid for pid in pids if _alive(pid)]
        assert survivors == [], f"workers still running 5 s after their parent was killed: {survivors}"
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in locals().get("pids", []):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
