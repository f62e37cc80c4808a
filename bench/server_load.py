"""Load on the account API: 50 concurrent sync clients pulling and pushing against the server on
PostgreSQL with two uvicorn workers on loopback. Prints throughput, p50/p99 latency and errors.

    .venv/bin/python bench/server_load.py [--seconds 30] [--clients 50]

A fresh database (maitreao_bench_<random>) is created on postgresql://postgres@127.0.0.1:5432 and dropped
at the end. Each client is one device; two devices share an account (so pushes contend on the account's
revision lock). Each iteration pushes one record (new or edited from its last revision) then pulls the
changes after its cursor. Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

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


async def device(client: httpx.AsyncClient, headers: dict[str, str], stop_at: float, stats: Stats) -> None:
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
            r = await client.post(
                "/v1/sync/push",
                headers=headers,
                json={"idempotency_key": uuid.uuid4().hex, "changes": [change]},
            )
            stats.latencies["push"].append(time.perf_counter() - started)
            if r.status_code == 200:
                mine[rid] = r.json()["records"][0]["revision"]
            else:
                stats.error(f"push {r.status_code}")
        except httpx.HTTPError as exc:
            stats.error(f"push {type(exc).__name__}")
        started = time.perf_counter()
        try:
            params = {"cursor": cursor} if cursor else {}
            r = await client.get("/v1/sync/changes", headers=headers, params=params)
            stats.latencies["pull"].append(time.perf_counter() - started)
            if r.status_code == 200:
                cursor = r.json()["next_cursor"]
            else:
                stats.error(f"pull {r.status_code}")
        except httpx.HTTPError as exc:
            stats.error(f"pull {type(exc).__name__}")


async def run_load(base_url: str, clients: int, seconds: float) -> tuple[Stats, float]:
    limits = httpx.Limits(max_connections=clients * 2, max_keepalive_connections=clients * 2)
    async with httpx.AsyncClient(base_url=base_url, timeout=30.0, limits=limits) as client:
        # Sign-ups and logins (bcrypt, cost 12) happen before the measured window.
        emails = await setup_accounts(client, max(1, clients // 2))
        sessions = await asyncio.gather(*(login(client, emails[i % len(emails)]) for i in range(clients)))
        stats = Stats()
        start = time.monotonic()
        stop_at = start + seconds
        await asyncio.gather(*(device(client, headers, stop_at, stats) for headers in sessions))
        return stats, time.monotonic() - start


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
        load_before = os.getloadavg()[0]
        cpu_before = time.process_time()
        stats, elapsed = asyncio.run(run_load(base, args.clients, args.seconds))
        client_cpu = time.process_time() - cpu_before
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
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load_before:.1f} before, {load_after:.1f} after; "
        f"the load generator itself used {client_cpu:.1f} s of CPU (incl. set-up)"
    )
    print("target: p99 <= 150 ms, 0 errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
