"""`maitre-ao-server serve`: one process, or several workers sharing the port (SO_REUSEPORT)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_serve_answers_on_loopback_with_security_headers(tmp_path: Path, repo_root: Path) -> None:
    import socket
    import time

    import httpx

    url = f"sqlite:///{tmp_path / 'serve.db'}"
    env = {**os.environ, "DATABASE_URL": url}
    assert _run(["migrate"], env, repo_root).returncode == 0
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
        env=env,
        cwd=repo_root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.HTTPError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        assert r.json() == {"status": "ok"}
        assert r.headers["x-frame-options"] == "DENY" and "server" not in r.headers
        assert (
            httpx.get(f"http://127.0.0.1:{port}/openapi.json").json()["info"]["title"].startswith("Maître AO")
        )
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _established_by_process(pid: int, port: int) -> int:
    """Accepted connections on `port` held by one process (Linux /proc: socket inodes of its fds)."""
    states = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            states[fields[9]] = (local_port, fields[3])
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inode = target[8:-1]
            if states.get(inode) == (port, "01"):  # 01 = ESTABLISHED
                count += 1
    return count


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")
def test_serve_with_two_workers_shares_connections_restarts_a_dead_worker_and_stops_cleanly(
    tmp_path: Path, repo_root: Path
) -> None:
    import signal
    import socket
    import time

    import httpx

    url = f"sqlite:///{tmp_path / 'serve.db'}"
    env = {**os.environ, "DATABASE_URL": url}
    assert _run(["migrate"], env, repo_root).returncode == 0
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=repo_root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def workers() -> list[int]:
        # multiprocessing also starts a resource tracker: only the spawned workers count (a worker that
        # just died may vanish between the two reads).
        found = []
        for child in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split():
            try:
                if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                    found.append(int(child))
            except OSError:
                continue
        return found

    def wait_until(check: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 30
        while not check():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)

    def healthy() -> bool:
        try:
            return httpx.get(base + "/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(lambda: healthy() and len(workers()) == 2)
        # Long-lived connections opened in a burst (as clients reconnecting after a restart) end up on
        # both workers, not piled on whichever worker woke first.
        conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
        try:
            for conn in conns:
                conn.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            for conn in conns:
                assert conn.recv(65536).startswith(b"HTTP/1.1 200")
            held = [_established_by_process(pid, port) for pid in workers()]
            assert sum(held) == 40 and min(held) >= 8, held
        finally:
            for conn in conns:
                conn.close()

        # A second server on the same port is refused, in French, instead of silently sharing traffic.
        second = subprocess.run(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            cwd=repo_root,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1 and "Démarrage impossible" in second.stderr

        # A worker that dies is replaced; the service keeps answering.
        victim = workers()[0]
        os.kill(victim, signal.SIGKILL)
        wait_until(lambda: victim not in workers() and len(workers()) == 2 and healthy())
        survivors = workers()
    finally:
        proc.terminate()
        proc.wait(timeout=40)
    assert proc.returncode == 0
    for pid in survivors:  # no orphan worker left behind
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
