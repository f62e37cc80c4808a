"""`maitre-ao-server serve`: one process, or several workers sharing the port (SO_REUSEPORT)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.server.conftest import run_server_cli

Serve = Callable[..., tuple[subprocess.Popen[bytes], int]]


@pytest.fixture
def serve(tmp_path: Path, repo_root: Path) -> Iterator[Serve]:
    """Start `serve [ARGS]` on a free loopback port over a migrated SQLite file; stopped at the end."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    assert run_server_cli(["migrate"], env, repo_root).returncode == 0
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> tuple[subprocess.Popen[bytes], int]:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        proc = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(port), *args],
            env=env,
            cwd=repo_root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(proc)
        wait_until(proc, lambda: healthy(port))
        return proc, port

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=40)


def healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until(proc: subprocess.Popen[bytes], check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not check():
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)


def test_serve_answers_on_loopback_with_security_headers(serve: Serve) -> None:
    _proc, port = serve()
    r = httpx.get(f"http://127.0.0.1:{port}/health")
    assert r.json() == {"status": "ok"}
    assert r.headers["x-frame-options"] == "DENY" and "server" not in r.headers
    openapi = httpx.get(f"http://127.0.0.1:{port}/openapi.json").json()
    assert openapi["info"]["title"].startswith("Maître AO")


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
        if target.startswith("socket:[") and states.get(target[8:-1]) == (port, "01"):  # 01 = ESTABLISHED
            count += 1
    return count


def _workers(supervisor: int) -> list[int]:
    """The spawned worker processes (multiprocessing also starts a resource tracker; a worker that just
    died may vanish between the two reads)."""
    found = []
    for child in Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split():
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(int(child))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")
def test_serve_with_two_workers_shares_connections_restarts_a_dead_worker_and_stops_cleanly(
    serve: Serve, tmp_path: Path, repo_root: Path
) -> None:
    proc, port = serve("--workers", "2")
    wait_until(proc, lambda: len(_workers(proc.pid)) == 2)

    # Long-lived connections opened in a burst (as clients reconnecting after a restart) end up on
    # both workers, not piled on whichever worker woke first.
    conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
    try:
        for conn in conns:
            conn.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        for conn in conns:
            assert conn.recv(65536).startswith(b"HTTP/1.1 200")
        held = [_established_by_process(pid, port) for pid in _workers(proc.pid)]
        assert sum(held) == 40 and min(held) >= 8, held
    finally:
        for conn in conns:
            conn.close()

    # A second server on the same port is refused, in French, instead of silently sharing traffic.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    second = run_server_cli(["serve", "--port", str(port), "--workers", "2"], env, repo_root)
    assert second.returncode == 1 and "Démarrage impossible" in second.stderr

    # A worker that dies is replaced; the service keeps answering.
    victim = _workers(proc.pid)[0]
    os.kill(victim, signal.SIGKILL)
    wait_until(proc, lambda: victim not in _workers(proc.pid) and len(_workers(proc.pid)) == 2)
    assert healthy(port)
    survivors = _workers(proc.pid)

    proc.terminate()
    assert proc.wait(timeout=40) == 0
    for pid in survivors:  # no orphan worker left behind
        assert not Path(f"/proc/{pid}").exists() or Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
