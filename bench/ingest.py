"""DCE import speed and memory, next to the peer and a bare PDFium extraction (same run).

Prints, for the real DCE ../shared/corpus/vsgp (when present) and for a generated 500-page DCE:
- the time until the analysis is ready (decisive pieces read, stored and analysed), and the whole
  import into a fresh encrypted store;
- next to `remporte init` on the same folder (the peer, PyPI `remporte`, when installed: targets
  ready ≤ 0.5 × and whole import ≤ 1.0 × its time), and next to a bare sequential pypdfium2
  extraction of the same PDFs (targets ready ≤ 1.5 ×, whole import ≤ 3 ×);
- peak memory of all the processes of each run together (target ≤ 2 × the peer's);
- CLI start-up (`maitre-ao --version`) next to a bare `python -c pass` (target ≤ 2 ×).
Medians over RUNS runs; the runs alternate so machine load hits all alike. Nothing is asserted.

Run: .venv/bin/python bench/ingest.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VSGP = REPO.parent / "shared" / "corpus" / "vsgp"
BIN = Path(sys.executable).parent
LAST_CPU = 0.0
sys.path.insert(0, str(REPO))


# --- the baselines ------------------------------------------------------------------------------
def pdf_blobs(path: Path) -> list[bytes]:
    """The PDFs of a DCE folder or ZIP (top level), as bytes."""
    if path.is_dir():
        return [p.read_bytes() for p in sorted(path.rglob("*.pdf"))]
    with zipfile.ZipFile(path) as zf:
        return [zf.read(i) for i in zf.infolist() if i.filename.lower().endswith(".pdf")]


def bare_extraction(blobs: list[bytes]) -> tuple[float, float, int]:
    """Wall and CPU seconds of a plain sequential pypdfium2 text read, and the page count."""
    import pypdfium2 as pdfium

    start, cpu = time.perf_counter(), time.process_time()
    pages = 0
    for data in blobs:
        doc = pdfium.PdfDocument(data)
        for page in doc:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        doc.close()
    return time.perf_counter() - start, time.process_time() - cpu, pages


def peer(path: Path) -> dict[str, float] | None:
    """`remporte init` on the same DCE: wall time and peak memory of all its processes."""
    exe = shutil.which("remporte", path=str(BIN)) or shutil.which("remporte")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="remporte-bench-") as tmp:
        _, wall, pss = sampled([exe, "init", str(path), "--dossier", str(Path(tmp) / "reponse")])
        return {"total": wall, "pss_mb": pss, "cpu": LAST_CPU}


def _tree_pss_mb(root: int) -> float:
    """Proportional set size of a process and all its descendants (Linux /proc): pages shared by
    forked workers are counted once, split between them, not once per process as RSS does."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total_kb, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
                total_kb += next(int(x.split()[1]) for x in f if x.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            continue
    return total_kb / 1024


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sampled(argv: list[str]) -> tuple[str, float, float]:
    """Run a command; (stdout, wall seconds, peak memory in MB of all its processes together,
    sampled every 20 ms: PSS on Linux, else the command's own peak RSS). The CPU seconds of the
    command and its processes go to LAST_CPU (less sensitive to the machine's load than wall time)."""
    global LAST_CPU
    cpu = _children_cpu()
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, cwd=REPO)
        peak = 0.0
        while proc.poll() is None:
            if sys.platform.startswith("linux"):
                peak = max(peak, _tree_pss_mb(proc.pid))
            time.sleep(0.02)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            raise subprocess.CalledProcessError(proc.returncode, argv)
        if not peak:
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        LAST_CPU = _children_cpu() - cpu
        out.seek(0)
        return out.read().decode(), wall, peak


def startup(runs: int) -> None:
    exe = BIN / "maitre-ao"
    ours = [sampled([str(exe), "--version"])[1] for _ in range(runs)]
    bare = [sampled([sys.executable, "-c", "pass"])[1] for _ in range(runs)]
    o, b = statistics.median(ours), statistics.median(bare)
    print(
        f"== CLI start-up: maitre-ao --version {o * 1000:.0f} ms, python -c pass {b * 1000:.0f} ms, "
        f"ratio {o / b:.2f} (target ≤ 2)"
    )


# --- one import, in a child process (its own memory figures) -----------------------------------------
def child(path: Path, mode: str) -> None:
    home = Path(tempfile.mkdtemp(prefix="maitre-ao-bench-"))
    os.environ["MAITRE_AO_HOME"] = str(home)
    os.environ["MAITRE_AO_TEST_KEYRING"] = str(home / "keyring.json")
    os.environ["PYTHON_KEYRING_BACKEND"] = "tests.support.keyrings.FileKeyring"
    from app.dce.reader import read_dce
    from app.services.consultations import import_dce
    from local_store.store import create_store

    out: dict[str, float | None] = {}
    if mode == "import":
        store, _ = create_store()
        start = time.perf_counter()
        ready: list[float] = []
        result = import_dce(store, [path], on_analysis=lambda a: ready.append(time.perf_counter() - start))
        out["total"] = time.perf_counter() - start
        out["ready"] = ready[0] if ready else None
        out["pieces"] = len(result.pieces)
        store.close()
    else:  # read only: no store, no analysis
        start = time.perf_counter()
        decisive: list[float] = []
        read_dce([path], on_decisive=lambda p: decisive.append(time.perf_counter() - start))
        out["total"] = time.perf_counter() - start
        out["ready"] = decisive[0] if decisive else None
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    out["cpu"] = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    # Linux reports ru_maxrss in KiB; RUSAGE_CHILDREN is the largest waited-for child.
    out["rss_main_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["rss_worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(out))


def run_child(path: Path, mode: str) -> dict[str, float]:
    stdout, _, pss = sampled([sys.executable, __file__, "--child", str(path), "--mode", mode])
    found: dict[str, float] = json.loads(stdout.strip().splitlines()[-1])
    found["pss_mb"] = pss
    found["cpu_all"] = LAST_CPU
    return found


# --- the generated 500-page DCE ---------------------------------------------------------------------
def generated_dce(folder: Path, pages: int = 500) -> Path:
    import io

    from fpdf import FPDF
    from pypdf import PdfReader

    from app.resources.example.make_example_dce import make_cadre, make_dpgf, make_rc

    def prose(title: str, count: int) -> bytes:
        para = (
            "Le titulaire devra assurer l'exécution des prestations conformément aux normes en vigueur. "
            "La fourniture des fiches techniques des matériaux est obligatoire avant toute mise en œuvre. "
            "Les essais et contrôles sont à la charge du titulaire, qui devra en transmettre les procès-"
            "verbaux au maître d'œuvre dans un délai de huit jours. "
        )
        doc = FPDF()
        doc.set_font("Helvetica", size=10)
        for i in range(count):
            doc.add_page()
            text = f"{title} - article {i + 1}\n" + (para * 7)
            doc.multi_cell(0, 5, text.replace("œ", "oe").replace("’", "'"))
        return bytes(doc.output())

    rc = make_rc()
    rc_pages = len(PdfReader(io.BytesIO(rc)).pages)
    ccap_pages = 40
    archive = folder / "dce-500-pages.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("RC.pdf", rc)
        zf.writestr("CCAP.pdf", prose("Cahier des clauses administratives particulieres", ccap_pages))
        zf.writestr(
            "CCTP.pdf", prose("Cahier des clauses techniques particulieres", pages - rc_pages - ccap_pages)
        )
        zf.writestr("Cadre de reponse technique.docx", make_cadre())
        zf.writestr("DPGF.xlsx", make_dpgf())
    return archive


# --- report ---------------------------------------------------------------------------------------
def measure(name: str, path: Path, runs: int) -> None:
    blobs = pdf_blobs(path)
    bare: list[float] = []
    imports: list[dict[str, float]] = []
    peers: list[dict[str, float]] = []
    pages = 0
    for _ in range(runs):
        seconds, _cpu, pages = bare_extraction(blobs)
        bare.append(seconds)
        imports.append(run_child(path, "import"))
        found = peer(path)
        if found is not None:
            peers.append(found)

    def med(rows: list[dict[str, float]], key: str) -> float:
        values = [r[key] for r in rows if r.get(key) is not None]
        return statistics.median(values) if values else float("nan")

    base = statistics.median(bare)
    ready, total = med(imports, "ready"), med(imports, "total")
    print(f"== {name}: {len(blobs)} PDF(s), {pages} PDF pages, {runs} run(s), {os.cpu_count()} CPU(s)")
    print(f"   bare sequential pypdfium2 extraction ...... {base:6.2f} s (median)")
    print(
        f"   import: analysis ready ................... {ready:6.2f} s  ×{ready / base:.2f} bare (target ≤ 1.5)"
    )
    print(
        f"   import: whole import (store + analysis) .. {total:6.2f} s  ×{total / base:.2f} bare (target ≤ 3)"
    )
    pss = max(r["pss_mb"] for r in imports)
    print(
        f"   peak memory, all processes together: {pss:.0f} MB (peak RSS: importing process "
        f"{max(r['rss_main_mb'] for r in imports):.0f} MB, largest worker {max(r['rss_worker_mb'] for r in imports):.0f} MB)"
    )
    print(f"   CPU seconds, all processes: whole import {med(imports, 'cpu_all'):.2f}")
    if peers:
        p_total, p_pss = med(peers, "total"), max(r["pss_mb"] for r in peers)
        print(
            f"   peer `remporte init` ..................... {p_total:6.2f} s, peak memory {p_pss:.0f} MB, "
            f"CPU {med(peers, 'cpu'):.2f} s"
        )
        print(
            f"   vs peer: ready ×{ready / p_total:.2f} (target ≤ 0.5), whole import ×{total / p_total:.2f} "
            f"(target ≤ 1.0), memory ×{pss / p_pss:.2f} (target ≤ 2)"
        )
    else:
        print("   peer `remporte init`: not installed, compared with the bare extraction only")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=Path)
    parser.add_argument("--mode", default="import")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.mode)
        return 0
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    startup(max(args.runs, 5))
    if VSGP.is_dir():
        measure("vsgp (real DCE)", VSGP, args.runs)
    else:
        print("== vsgp: ../shared/corpus/vsgp absent, skipped")
    with tempfile.TemporaryDirectory(prefix="maitre-ao-bench-") as tmp:
        started = time.perf_counter()
        archive = generated_dce(Path(tmp))
        print(f"(generated the 500-page DCE in {time.perf_counter() - started:.1f} s)")
        measure("generated 500-page DCE", archive, args.runs)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
