"""Score the offline analysis against every truth file of ../shared/corpus/truth (`make score`).

For each truth file, the DCE folder of the same name is read and analysed offline, and scored with
the shared scorer (../shared/tools/score_analysis.py): a table of fields × cases, each case's
score, the mean and the lowest. Skips (exit 0) when the corpus is absent. Nothing is asserted.

Run: .venv/bin/python bench/score.py [--verbose]
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_analysis", SHARED / "tools" / "score_analysis.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    truths = sorted((SHARED / "corpus" / "truth").glob("*.json"))
    if not truths or not (SHARED / "tools" / "score_analysis.py").is_file():
        print("score: ../shared/corpus/truth or the shared scorer is absent, skipped")
        return 0
    from app.analysis.offline import analyze_offline
    from app.dce.reader import read_dce

    scorer = _scorer()
    verbose = "--verbose" in sys.argv
    table: dict[str, dict[str, float]] = {}
    totals: dict[str, float] = {}
    for truth_path in truths:
        case = truth_path.stem
        folder = SHARED / "corpus" / case
        if not folder.is_dir():
            print(f"{case}: no DCE folder, skipped")
            continue
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        started = time.perf_counter()
        analysis = analyze_offline(read_dce([folder], workers=1).pieces)
        pred = json.loads(json.dumps(analysis.to_contract()))
        rows = scorer.score(truth, pred)
        table[case] = rows
        totals[case] = sum(rows.values()) / len(rows)
        if verbose:
            for name, value in rows.items():
                if value < 1:
                    print(f"  {case}.{name}: truth={json.dumps(truth.get(name), ensure_ascii=False)[:150]}")
                    print(
                        f"  {' ' * len(case)} {' ' * len(name)}  got={json.dumps(pred.get(name), ensure_ascii=False)[:150]}"
                    )
        print(f"{case}: read and analysed in {time.perf_counter() - started:.2f} s")
    if not table:
        return 0
    cases = list(table)
    fields = list(next(iter(table.values())))
    width = max(10, *(len(c) for c in cases))
    print()
    print(f"{'field':22s}" + "".join(f"{c[:width]:>{width + 2}s}" for c in cases))
    for name in fields:
        print(f"{name:22s}" + "".join(f"{table[c][name]:>{width + 2}.2f}" for c in cases))
    print(f"{'case score':22s}" + "".join(f"{totals[c]:>{width + 2}.3f}" for c in cases))
    print()
    print(
        f"mean: {statistics.mean(totals.values()):.3f}   lowest: {min(totals.values()):.3f} ({min(totals, key=totals.__getitem__)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
