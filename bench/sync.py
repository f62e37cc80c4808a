"""Sync figures: a first sync of 10,000 records, then one changed record.

1. First sync: device A pushes 10,000 records (9,000 library blocks of ~600 characters and a company
   profile with 999 references), then device B, fresh, pulls them all. Time of each.
2. One changed record: A edits one block and syncs (push + pull), B syncs (receives it). Bytes sent
   and received on the wire (request/status lines, headers, bodies) per sync and time; target ≤ 4 KB
   per sync. Median of several runs, with the baseline of a sync that has nothing to do measured in
   the same run (the ratio shows what the change costs on top of the empty round trips).

The account API runs in-process under uvicorn on a loopback port, on a fresh PostgreSQL database when
one is reachable on 127.0.0.1:5432, else on a SQLite file. Devices are real SQLCipher stores.
Prints figures, never asserts them. Run: .venv/bin/python bench/sync.py [--records N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import keyring  # noqa: E402

from tests.support.keyrings import MemoryKeyring  # noqa: E402

RUNS = 7
BODY = (
    "Notre entreprise met en œuvre un plan d'assurance qualité pour chaque chantier : réunion de "
    "lancement, points d'arrêt, contrôle des supports, autocontrôles tracés, levée des réserves. "
) * 3


def _fill(store: object, blocks: int, references: int) -> None:
    from app.domain.profile import CompanyProfile, Reference
    from local_store import repo_profile

    now = "2026-11-26T10:00:00.000+00:00"
    with store.transaction() as tx:  # type: ignore[attr-defined]
        tx.executemany(
            "INSERT INTO library_blocks(uuid, title, tags, body, updated_at, dirty) VALUES (?, ?, ?, ?, ?, 1)",
            [
                (str(uuid.uuid4()), f"Bloc {i}", "qualité,chantier", f"{BODY} n°{i}", now)
                for i in range(blocks)
            ],
        )
    profile = CompanyProfile(
        raison_sociale="Bâtiments Durand SARL",
        siret="73282932000074",
        references=[
            Reference(
                client=f"Commune n°{i}", object="Réfection de voirie", year=2000 + i % 25, amount=125000.0
            )
            for i in range(references)
        ],
    )
    repo_profile.save_profile(store, profile)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    os.environ["MAITRE_AO_HOME"] = str(work / "home")

    from local_store import repo_library
    from local_store.store import create_store
    from server.db import make_engine
    from server.migrate import upgrade
    from sync.client import AccountClient, MemoryTokens
    from sync.engine import SyncEngine
    from tests.server.conftest import PASSWORD, create_pg_database, drop_pg_database, postgres_reachable
    from tests.sync.conftest import LiveServer, _settings

    pg_name = None
    if postgres_reachable():
        pg_name, url = create_pg_database()
        backend = "PostgreSQL"
    else:
        url, backend = "sqlite:///" + str(work / "server.db"), "SQLite"
    upgrade(url)
    live = LiveServer(_settings(url), make_engine(url))
    try:
        email = f"bench-{uuid.uuid4().hex[:10]}@exemple.fr"
        with AccountClient(live.url) as c:
            c.sign_up(email, PASSWORD, "Camille", "Durand")

        def device(name: str) -> tuple[object, SyncEngine]:
            store, _ = create_store(work / name / "maitre-ao.db")
            client = AccountClient(live.url, MemoryTokens())
            client.login(email, PASSWORD)
            return store, SyncEngine(store, client)

        store_a, a = device("a")
        _store_b, b = device("b")
        references = max(args.records // 10 - 1, 0)
        blocks = args.records - references - 1
        _fill(store_a, blocks, references)

        print(f"Server: {backend} (in-process uvicorn on loopback); devices: SQLCipher stores")
        t0 = time.perf_counter()
        sa = a.sync()
        push_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        sb = b.sync()
        pull_s = time.perf_counter() - t0
        print(
            f"First sync, {sa.total_sent} records pushed by A: {push_s:.2f} s "
            f"({sa.requests} requests, {sa.bytes_sent / 1e6:.1f} MB sent)"
        )
        print(
            f"First sync, {sb.total_received} records pulled by B: {pull_s:.2f} s "
            f"({sb.requests} requests, {sb.bytes_received / 1e6:.1f} MB received)"
        )

        target = repo_library.list_blocks(store_a)[0].uuid  # type: ignore[arg-type]
        empty_t, change_a, change_b = [], [], []
        for run in range(RUNS):
            t0 = time.perf_counter()
            se = a.sync()
            empty_t.append((time.perf_counter() - t0, se.bytes_sent, se.bytes_received))
            repo_library.update_block(store_a, target, body=f"{BODY} (révision {run})")  # type: ignore[arg-type]
            t0 = time.perf_counter()
            s1 = a.sync()
            change_a.append((time.perf_counter() - t0, s1.bytes_sent, s1.bytes_received, s1.total_sent))
            t0 = time.perf_counter()
            s2 = b.sync()
            change_b.append((time.perf_counter() - t0, s2.bytes_sent, s2.bytes_received, s2.total_received))

        def med(rows: list[tuple[float, ...]], i: int) -> float:
            return statistics.median(r[i] for r in rows)

        print(f"One changed record ({len(BODY) + 20} characters of text), median of {RUNS} runs:")
        print(
            f"  A (push + pull): {med(change_a, 1):.0f} B sent, {med(change_a, 2):.0f} B received, "
            f"total {med(change_a, 1) + med(change_a, 2):.0f} B, {med(change_a, 0) * 1000:.0f} ms "
            f"(records sent: {med(change_a, 3):.0f})"
        )
        print(
            f"  B (pull):        {med(change_b, 1):.0f} B sent, {med(change_b, 2):.0f} B received, "
            f"total {med(change_b, 1) + med(change_b, 2):.0f} B, {med(change_b, 0) * 1000:.0f} ms "
            f"(records received: {med(change_b, 3):.0f})"
        )
        print(
            f"  baseline, a sync with nothing to do: {med(empty_t, 1):.0f} B sent, {med(empty_t, 2):.0f} B "
            f"received, {med(empty_t, 0) * 1000:.0f} ms; A's one-change sync = "
            f"{med(change_a, 0) / med(empty_t, 0):.1f}× its time"
        )
        print("  target: ≤ 4096 B each way per sync")
    finally:
        live.stop()
        if pg_name:
            drop_pg_database(pg_name)


if __name__ == "__main__":
    main()
