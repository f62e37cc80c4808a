"""Drafting from the library: a 40-section outline against a 2 000-block library in the store, next to a
plain FTS5 query loop over the same blocks (target: drafting ≤ 2× the loop, and ≤ 1 s). Prints only.

Run: `.venv/bin/python bench/drafting.py` (also part of `make bench`).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import keyring  # noqa: E402

from tests.support.keyrings import MemoryKeyring  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
BLOCKS = 2000
SECTIONS = 40


def _median(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    keyring.set_keyring(MemoryKeyring())
    os.environ.setdefault("MAITRE_AO_HOME", tempfile.mkdtemp(prefix="maitre-ao-bench-"))
    from app.dce.reader import read_dce
    from app.drafting.answer import draft_missing
    from app.drafting.offline import DraftContext
    from app.drafting.outline import Outline, OutlineSection, OutlineSource
    from app.drafting.requirements import extract_requirements, map_requirements
    from app.drafting.reuse import StoreIndex, section_query
    from app.drafting.themes import theme_of
    from app.services import library
    from app.services.consultations import run_engine
    from app.services.profile import read_profile_file
    from local_store import repo_library
    from local_store.repo_library import NewBlock
    from local_store.store import create_store

    example = REPO / "app" / "resources" / "example"
    profile = read_profile_file(example / "profile.json")
    pieces = read_dce([example / "dce.zip"], workers=1).pieces
    analysis = run_engine(pieces, "offline")
    seeds = library.example_blocks()
    with tempfile.TemporaryDirectory() as tmp:
        store, _ = create_store(Path(tmp) / "bench.db")
        # 2 000 blocks: the example mémoires' blocks, each with a variant number so none is identical.
        blocks = [
            NewBlock(
                title=f"{b.title} ({i // len(seeds) + 1})",
                body=f"{b.body}\n\nVariante {i} : " + " ".join(b.body.split()[i % 17 : i % 17 + 40]),
                tags=b.tags,
                source_file=b.source_file,
                source_facts=b.source_facts,
                content_hash=f"bench-{i}",
            )
            for i, b in ((i, seeds[i % len(seeds)]) for i in range(BLOCKS))
        ]
        repo_library.add_blocks(store, blocks)
        start = time.perf_counter()
        repo_library.refresh_index(store)
        indexing = time.perf_counter() - start

        # 40 sections: the example cadre's questions and the usual parts of a mémoire, twice over.
        titles = [
            "Organisation du chantier en site occupé et sécurité des usagers",
            "Planning détaillé des travaux et points d'arrêt",
            "Procédures de contrôle qualité, autocontrôles et fiches de suivi",
            "Équipe affectée au chantier",
            "Moyens matériels mobilisés et leur provenance",
            "Tri des déchets sur site et filières de valorisation",
            "Mesures de réduction des nuisances, bruit et poussière",
            "Délais d'intervention et astreinte",
            "Maintenance préventive et curative",
            "Réversibilité et fin de contrat",
        ]
        sections = []
        for i in range(SECTIONS // 2):
            sections.append(OutlineSection(key=str(i + 1), title=f"Partie {i + 1}", level=1))
            title = titles[i % len(titles)]
            sections.append(
                OutlineSection(key=f"{i + 1}.1", title=title, level=2, theme=theme_of(title), criterion=title)
            )
        outline = Outline(OutlineSource.CRITERIA, sections)
        requirements = extract_requirements(pieces)
        map_requirements(requirements, outline)
        index = StoreIndex(store)

        def draft() -> None:
            ctx = DraftContext(
                profile=profile,
                analysis=analysis,
                works=True,
                index=index,
                requirements=[replace(r) for r in requirements],
            )
            draft_missing(outline, ctx, {})

        queries = [
            section_query(s, [r.text for r in requirements if r.section_key == s.key]) for s in sections
        ]

        def loop() -> None:
            for q in queries:
                repo_library.rank(store, q, 12)  # as many rows as drafting reads per section

        drafting = _median(draft)
        baseline = _median(loop)
        store.close()
    print(f"library: {BLOCKS} blocks, normalised FTS5 index built in {indexing * 1000:.0f} ms (once)")
    print(f"drafting, {SECTIONS}-section outline:        {drafting * 1000:7.1f} ms (median of {RUNS})")
    print(f"FTS5 query loop, same {SECTIONS} queries:    {baseline * 1000:7.1f} ms")
    print(f"ratio drafting / loop: {drafting / baseline:.2f}× (target ≤ 2×, and ≤ 1 s)")


if __name__ == "__main__":
    main()
