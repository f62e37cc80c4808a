"""Load on the account API: 50 concurrent sync clients pulling and pushing against the server on
PostgreSQL with two uvicorn workers on loopback. Prints throughput, p50/p99 latency and errors.

    .venv/bin/python bench/server_load.py [--seconds 30] [--clients 50]

A fresh database (maitreao_bench_<random>) is created on postgresql://postgres@127.0.0.1:5432 and dropped
at the end. Each client is one device; two devices share an account (so pushes contend on the account's
revision lock). Each iteration pushes one record (new or edited from its last revision) then pulls the
changes after its cursor. Sign-ups and logins (bcrypt) happen before the measured window; the window
itself uses a minimal HTTP/1.1 client so that the generator takes little CPU from the server it measures
(it prints its own share). Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "mot-de-passe-bench-42"
SYNC = {"Maitre-AO-Protocol": "1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Stats:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = {"push": [], "pull": []}
        self.errors: dict[str, int] = {}

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


async def setup_accounts(client: httpx.AsyncClient, accounts: int) -> list[str]:
    async def one(n: int) -> str:
        email = f"bench-{n}-{uuid.uuid4().hex[:8]}@exemple.fr"
        r = await client.post(
            "/v1/accounts",
            json={"email": email, "password": PASSWORD, "first_name": "Banc", "last_name": f"N{n}"},
        )
        r.raise_for_status()
        return email

    return list(await asyncio.gather(*(one(n) for n in range(accounts))))


async def login(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    # bcrypt at cost 12 is deliberately slow: give set-up all the time it needs.
    r = await client.post("/v1/sessions", json={"email": email, "password": PASSWORD}, timeout=600.0)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}", **SYNC}


class Connection:
    """One keep-alive HTTP/1.1 connection, written directly on asyncio streams.

    The load generator shares the machine's cores with the server and PostgreSQL: httpx costs about
    1 ms of CPU per request, which would be taken from the server it measures. This client does only what
    the bench needs (JSON bodies, Content-Length or chunked answers) for a fraction of that.
    """

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        self.fixed = "".join(f"{k}: {v}\r\n" for k, v in {"Host": f"{host}:{port}", **headers}.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, method: str, target: str, payload: object = None) -> tuple[int, Any]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        body = b"" if payload is None else json.dumps(payload).encode()
        head = f"{method} {target} HTTP/1.1\r\n{self.fixed}"
        if payload is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + body)
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
            lines = raw.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            fields = {
                k.strip().lower(): v.strip()
                for k, _, v in (line.partition(":") for line in lines[1:] if line)
            }
            if fields.get("transfer-encoding", "").lower() == "chunked":
                content = bytearray()
                while size := int((await self.reader.readline()).split(b";")[0], 16):
                    content += await self.reader.readexactly(size)
                    await self.reader.readexactly(2)
                await self.reader.readexactly(2)
            else:
                content = bytearray(await self.reader.readexactly(int(fields.get("content-length", "0"))))
        except BaseException:
            await self.close()
            raise
        if fields.get("connection", "").lower() == "close":
            await self.close()
        return status, json.loads(content) if content else None


async def device(conn: Connection, stop_at: float, stats: Stats) -> None:
    mine: dict[str, int] = {}  # record id -> last revision pushed
    cursor: str | None = None
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        if len(mine) < 20 or n % 2:
            rid, base = str(uuid.uuid4()), 0
        else:
            rid = secrets.choice(list(mine))
            base = mine[rid]
        change = {
            "type": "reference",
            "id": rid,
            "base_revision": base,
            "data": {"titre": f"Chantier {n}", "montant": n * 1000},
        }
        started = time.perf_counter()
        try:
            status, answer = await conn.request(
                "POST", "/v1/sync/push", {"idempotency_key": uuid.uuid4().hex, "changes": [change]}
            )
            stats.latencies["push"].append(time.perf_counter() - started)
            if status == 200:
                mine[rid] = answer["records"][0]["revision"]
            else:
                stats.error(f"push {status}")
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            stats.error(f"push {type(exc).__name__}")
        started = time.perf_counter()
        try:
            target = "/v1/sync/changes" + (f"?cursor={cursor}" if cursor else "")
            status, answer = await conn.request("GET", target)
            stats.latencies["pull"].append(time.perf_counter() - started)
            if status == 200:
                cursor = answer["next_cursor"]
            else:
                stats.error(f"pull {status}")
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            stats.error(f"pull {type(exc).__name__}")


async def set_up(base_url: str, clients: int) -> list[dict[str, str]]:
    """Sign-ups and logins (bcrypt at cost 12: slow on purpose), before the measured window."""
    async with httpx.AsyncClient(base_url=base_url, timeout=600.0) as client:
        emails = await setup_accounts(client, max(1, clients // 2))
        return list(await asyncio.gather(*(login(client, emails[i % len(emails)]) for i in range(clients))))


async def run_load(base_url: str, sessions: list[dict[str, str]], seconds: float) -> tuple[Stats, float]:
    url = httpx.URL(base_url)
    conns = [Connection(url.host, url.port or 80, headers) for headers in sessions]
    stats = Stats()
    start = time.monotonic()
    stop_at = start + seconds
    await asyncio.gather(*(device(conn, stop_at, stats) for conn in conns))
    elapsed = time.monotonic() - start
    for conn in conns:
        await conn.close()
    return stats, elapsed


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of one process, from /proc (0.0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def process_tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its descendants (the uvicorn supervisor and its workers)."""
    return _proc_cpu(pid) + sum(process_tree_cpu(child) for child in _children(pid))


def workers_cpu(pid: int) -> dict[int, float]:
    """CPU seconds of each child of the supervisor: shows whether the workers share the load."""
    return {child: process_tree_cpu(child) for child in _children(pid)}


def postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL process on this machine (the bench database is the busy one)."""
    total = 0.0
    for entry in Path("/proc").iterdir() if Path("/proc").exists() else []:
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip().startswith("postgres"):
                    total += _proc_cpu(int(entry.name))
            except OSError:
                continue
    return total


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited during start-up")
        try:
            if httpx.get(url + "/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server not ready")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=2):
            pass
    except psycopg.Error:
        print("PostgreSQL is not reachable on 127.0.0.1:5432: nothing measured.")
        return 0
    name = f"maitreao_bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{name}",
        "MAITRE_AO_SIGNUP_MAX_PER_IP": "100000",  # every bench client signs up from 127.0.0.1
        # …and logs in from it, 50 at once: attempts in flight count on the IP key until they succeed.
        "MAITRE_AO_LOGIN_MAX_PER_IP": "100000",
        "PYTHONPATH": str(REPO),
    }
    server: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run(
            [sys.executable, "-m", "server.cli", "migrate"],
            env=env,
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, server)
        sessions = asyncio.run(set_up(base, args.clients))
        load_before = os.getloadavg()[0]
        cpu_before = (process_tree_cpu(server.pid), postgres_cpu(), time.process_time())
        per_worker_before = workers_cpu(server.pid)
        stats, elapsed = asyncio.run(run_load(base, sessions, args.seconds))
        cpu_after = (process_tree_cpu(server.pid), postgres_cpu(), time.process_time())
        per_worker = [
            cpu - per_worker_before.get(child, 0.0) for child, cpu in workers_cpu(server.pid).items()
        ]
        server_cpu, db_cpu, client_cpu = (
            after - before for after, before in zip(cpu_after, cpu_before, strict=True)
        )
        load_after = os.getloadavg()[0]
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    everything = stats.latencies["push"] + stats.latencies["pull"]
    errors = sum(stats.errors.values())
    print(
        f"server: PostgreSQL, {args.workers} uvicorn workers, loopback; {args.clients} clients for {elapsed:.1f} s"
    )
    print(f"requests: {len(everything)}  throughput: {len(everything) / elapsed:.0f} req/s")
    for what, values in (("all", everything), *stats.latencies.items()):
        print(
            f"{what:5} n={len(values):6}  p50={percentile(values, 0.5) * 1000:7.1f} ms  "
            f"p99={percentile(values, 0.99) * 1000:7.1f} ms  "
            f"mean={(statistics.fmean(values) if values else float('nan')) * 1000:7.1f} ms"
        )
    print(f"errors: {errors}" + (f"  {stats.errors}" if errors else ""))
    # The client, both workers and PostgreSQL share this machine: its load colours every figure.
    print(f"machine: {os.cpu_count()} CPUs, load average {load_before:.1f} before, {load_after:.1f} after")
    per_request = 1000 / max(1, len(everything))
    print(
        f"CPU in the window: server workers {server_cpu:.1f} s ({server_cpu * per_request:.2f} ms/request), "
        f"PostgreSQL {db_cpu:.1f} s ({db_cpu * per_request:.2f} ms/request), "
        f"load generator {client_cpu:.1f} s ({client_cpu * per_request:.2f} ms/request)"
    )
    busy = " / ".join(f"{cpu:.1f}" for cpu in sorted(per_worker, reverse=True) if cpu >= 0.05)
    print(f"CPU per server process: {busy} s in {elapsed:.0f} s")
    print("target: p99 <= 150 ms, 0 errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
