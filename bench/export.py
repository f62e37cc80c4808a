"""Time to export a 60-page mémoire (target ≤ 1 s), to draft every section offline, and to fill a
20,000-line DQE next to openpyxl loading and saving the same file bare (target ≤ 2×). Prints only.

Run: `.venv/bin/python bench/export.py` (also part of `make bench`).
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import docx  # noqa: E402

from app.dce.reader import read_dce  # noqa: E402
from app.domain.kinds import PieceKind  # noqa: E402
from app.drafting.answer import prepare_answer  # noqa: E402
from app.drafting.gonogo import PARIS  # noqa: E402
from app.drafting.outline import Outline, OutlineSection, OutlineSource  # noqa: E402
from app.drafting.requirements import Coverage, Requirement  # noqa: E402
from app.export.memoire import MemoireInput, write_memoire  # noqa: E402
from app.services.consultations import run_engine  # noqa: E402
from app.services.profile import read_profile_file  # noqa: E402

EXAMPLE = REPO / "app" / "resources" / "example"
RUNS = 5

PARAGRAPH = (
    "Notre équipe organise le chantier en site occupé avec un phasage validé par le maître d'ouvrage, "
    "des cheminements protégés pour les usagers et un affichage quotidien des zones d'intervention. "
    "Chaque phase fait l'objet d'un point d'arrêt, d'une fiche d'autocontrôle et d'une réception partielle "
    "avant l'ouverture de la suivante ; les écarts sont tracés et levés sous huit jours. "
)


def _median(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def big_memoire_input() -> MemoireInput:
    """About 60 pages: 24 sections of ~1 100 words, profile tables, a 150-row compliance annex."""
    profile = read_profile_file(EXAMPLE / "profile.json")
    analysis = run_engine(read_dce([EXAMPLE / "dce.zip"], workers=1).pieces, "offline")
    sections: list[OutlineSection] = []
    bodies: dict[str, str] = {}
    for i in range(1, 7):
        sections.append(OutlineSection(key=str(i), title=f"Partie {i}", level=1))
        bodies[str(i)] = PARAGRAPH
        for j in range(1, 5):
            key = f"{i}.{j}"
            sections.append(OutlineSection(key=key, title=f"Question {key}", level=2))
            paragraphs = [PARAGRAPH * 3 for _ in range(5)] + ["### Points clés"]
            paragraphs += [f"- {PARAGRAPH[:120]}" for _ in range(4)]
            if j == 2:
                paragraphs.append("[[TABLE:moyens_humains]]")
            if j == 3:
                paragraphs.append("[[TABLE:references]]")
            if j == 4:
                paragraphs.append("[à compléter : élément propre au chantier]")
            bodies[key] = "\n\n".join(paragraphs)
    requirements = [
        Requirement(
            ident=f"EX-{n:03d}",
            # As long as the CCTP's usual sentences (the annex is sized to its content).
            text=f"Le titulaire devra respecter l'exigence technique n° {n} relative au lot concerné, "
            "fournir les fiches techniques des matériaux et faire valider les plans d'exécution.",
            file="CCTP.pdf",
            page=1 + n // 5,
            origin=PieceKind.CCTP,
            section_key="1.1",
            section_title="Question 1.1",
            coverage=Coverage.PARTIELLE,
        )
        for n in range(1, 151)
    ]
    return MemoireInput(
        analysis=analysis,
        profile=profile,
        outline=Outline(OutlineSource.CADRE_REPONSE, sections),
        bodies=bodies,
        requirements=requirements,
    )


def big_dqe(path: Path, lines: int = 20_000) -> None:
    """A DQE like the buyers' ones: header, sections every 50 lines with sub-totals, TOTAL HT."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "DQE"
    ws.append(["N°", "Désignation", "Unité", "Quantité", "Prix unitaire € HT", "Montant € HT"])
    subtotals = []
    first = 2
    for n in range(1, lines + 1):
        row = ws.max_row + 1
        ws.append([f"{n}", f"Ouvrage n° {n}", "u", 1 + n % 7, None, f"=D{row}*E{row}"])
        ws.cell(row, 5).number_format = '#,##0.00\\ "€"'
        if n % 50 == 0:
            ws.append(["", f"Sous-total {n // 50}", "", "", "", f"=SUM(F{first}:F{row})"])
            subtotals.append(f"F{ws.max_row}")
            first = ws.max_row + 1
    ws.append(["", "TOTAL HT", "", "", "", f"=SUM({','.join(subtotals[:200])})"])
    wb.save(path)


def bench_dqe() -> None:
    import openpyxl

    from app.export.schedule import read_schedule
    from app.export.schedule_fill import fill_schedule

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "DQE.xlsx"
        big_dqe(source)

        def bare() -> None:
            wb = openpyxl.load_workbook(source)
            wb.save(Path(tmp) / "bare.xlsx")

        def fill() -> None:
            schedule = read_schedule(source)
            fill_schedule(
                source, Path(tmp) / "filled.xlsx", schedule, {ln.key: 12.5 for ln in schedule.lines}
            )

        runs = 3
        baseline = statistics.median(_timed(bare) for _ in range(runs))
        filled = statistics.median(_timed(fill) for _ in range(runs))
    print(
        f"fill a 20,000-line DQE (read lines, check totals, write a copy): median {filled * 1000:.0f} ms; "
        f"openpyxl load+save of the same file: {baseline * 1000:.0f} ms (ratio {filled / baseline:.2f}×, target ≤ 2×)"
    )


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    bench_dqe()
    data = big_memoire_input()
    words = sum(len(b.split()) for b in data.bodies.values())
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "memoire.docx"
        result = write_memoire(data, out)

        def empty_doc() -> None:
            doc = docx.Document()
            doc.save(io.BytesIO())

        baseline = _median(empty_doc)
        export = _median(lambda: write_memoire(data, out))
        pages = f"~{result.estimated_pages} (estimate)"
        from app.export.render import page_count, render_pdf, soffice

        if soffice() is not None:
            pages = f"{page_count(render_pdf(out))} (LibreOffice)"
    print(
        f"mémoire: {len(data.outline.sections)} sections, {words} words, {len(data.requirements)} requirements, pages {pages}"
    )
    print(f"export mémoire DOCX: median {export * 1000:.0f} ms over {RUNS} runs (target ≤ 1000 ms)")
    print(
        f"baseline python-docx empty document open+save: {baseline * 1000:.0f} ms (ratio {export / baseline:.1f}×)"
    )

    pieces = read_dce([EXAMPLE / "dce.zip"], workers=1).pieces
    analysis = run_engine(pieces, "offline")
    profile = read_profile_file(EXAMPLE / "profile.json")
    now = datetime(2026, 6, 15, 9, 0, tzinfo=PARIS)
    answer = prepare_answer(analysis, pieces, profile, now=now)
    draft = _median(lambda: prepare_answer(analysis, pieces, profile, now=now))
    print(
        f"offline answer on the example DCE (outline, {len(answer.outline.sections)} sections drafted, "
        f"{len(answer.requirements)} requirements mapped and covered, go/no-go, checklist): median {draft * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
