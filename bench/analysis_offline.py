"""Offline analysis speed, next to the extraction of the same pages (same run).

For the real DCE ../shared/corpus/vsgp (when present), the project's example DCE and the RC samples of
tests/analysis/rc_samples (rendered to PDF once), prints:
- the median time to extract the pages (app.dce.read_dce in this process, workers=1),
- the median time of analyze_offline on those pages,
- their ratio (the analysis should be a small fraction of the extraction).
Medians over RUNS runs. Figures only: nothing is asserted.

Run: .venv/bin/python bench/analysis_offline.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VSGP = REPO.parent / "shared" / "corpus" / "vsgp"
EXAMPLE = REPO / "app" / "resources" / "example" / "dce.zip"
sys.path.insert(0, str(REPO))

from app.analysis.offline import analyze_offline  # noqa: E402
from app.dce.reader import read_dce  # noqa: E402
from app.domain.document import PieceText  # noqa: E402


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def extract(paths: list[Path]) -> list[PieceText]:
    return read_dce(paths, workers=1).pieces


def report(name: str, paths: list[Path], runs: int) -> None:
    pieces = extract(paths)
    pages = sum(len(p.pages) for p in pieces)
    extraction = median_seconds(lambda: extract(paths), runs)
    analysis = median_seconds(lambda: analyze_offline(pieces), runs)
    print(
        f"{name:28s} {len(pieces):3d} pieces {pages:4d} pages  extraction {extraction * 1000:8.1f} ms  "
        f"analysis {analysis * 1000:7.2f} ms  ratio {analysis / extraction:6.3f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if VSGP.exists():
        report("vsgp", [VSGP], args.runs)
    else:
        print("vsgp: corpus absent, skipped")
    if EXAMPLE.exists():
        report("example DCE", [EXAMPLE], args.runs)
    else:
        print("example DCE: not built, skipped")
    from tests.analysis.rc_samples.render import render, sources

    with tempfile.TemporaryDirectory() as tmp:
        for source in sources():
            out = Path(tmp) / source.stem
            out.mkdir()
            report(f"sample {source.stem}", render(source, out), args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
