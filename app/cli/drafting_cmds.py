"""`maitre-ao demo`, `draft`, `export`: from an analysed DCE to the files a company hands in."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.domain.errors import EXIT_OK, InvalidInput, UserError
from app.domain.numbers import number

EXAMPLE_DIR = Path(__file__).resolve().parents[1] / "resources" / "example"


def _form_kind(path: Path) -> str:
    """DC1 or DC2, from the file name, else from the form's own title."""
    name = path.name.upper()
    for kind in ("DC1", "DC2"):
        if kind in name:
            return kind
    try:
        import docx

        text = " ".join(p.text for p in docx.Document(str(path)).paragraphs[:80]).lower()
    except Exception as exc:  # not a Word file
        raise InvalidInput(f"formulaire illisible ({path.name}).", field="--form") from exc
    if "déclaration du candidat" in text:
        return "DC2"
    if "lettre de candidature" in text:
        return "DC1"
    raise InvalidInput(f"impossible de savoir si {path.name} est un DC1 ou un DC2.", field="--form")


def _export_options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for value in args.form or []:
        path = Path(value)
        if not path.is_file():
            raise InvalidInput(f"fichier introuvable : {value}", field="--form")
        options[f"{_form_kind(path).lower()}_form"] = path
    if args.template:
        template = Path(args.template)
        if not template.is_file():
            raise InvalidInput(f"fichier introuvable : {args.template}", field="--template")
        options["template"] = template
    if args.logo:
        options["logo"] = Path(args.logo)
    if getattr(args, "annexe", False):
        options["annex"] = True
    return options


def _print_result(answer: Any, result: Any) -> None:
    from app.export import pagecount

    g = answer.gonogo
    print(f"Go / no-go : {g.verdict.value}")
    for c in g.checks:
        source = f"  [{c.source}]" if c.source else ""
        print(f"  {c.status.value:<11} {c.label} : {c.detail}{source}")
    counts: dict[str, int] = {}
    for r in answer.requirements:
        counts[r.coverage.value] = counts.get(r.coverage.value, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in counts.items()) or "aucune"
    print(f"Exigences relevées : {len(answer.requirements)} ({summary})")
    from app.domain.labels import OUTLINE_SOURCE_LABELS

    plan = OUTLINE_SOURCE_LABELS.get(str(answer.outline.source.value), str(answer.outline.source.value))
    print(f"Plan du mémoire ({plan}) : {len(answer.outline.sections)} sections")
    if answer.outline.note:
        print(f"  ! {answer.outline.note}")
    pages = result.memoire.pages
    body = f" (corps du mémoire : {pagecount.describe(pages.body)})" if pages else ""
    print(f"Mémoire : environ {result.memoire.estimated_pages} pages{body}")
    print(f"Fichiers écrits dans {result.folder} :")
    for f in result.files:
        print(f"  {f.name}")
    for kind, report in result.forms.items():
        print(
            f"Formulaire {kind} officiel : {len(report.filled)} champ(s) rempli(s), {len(report.ticked)} case(s) cochée(s)"
        )
        if report.missing:
            print(f"  non trouvés dans ce formulaire : {', '.join(report.missing)}", file=sys.stderr)
    for w in result.warnings:
        print(f"Attention : {w}", file=sys.stderr)


def cmd_demo(args: argparse.Namespace) -> int:
    from app.analysis.fiche import render_fiche
    from app.dce.reader import read_dce
    from app.domain.fsutil import atomic_write_text
    from app.services import library, proposals
    from app.services.consultations import run_engine
    from app.services.profile import read_profile_file

    out = Path(args.out)
    dce = EXAMPLE_DIR / "dce.zip"
    if not dce.is_file():
        raise UserError("Le DCE d'exemple est absent de cette installation.")
    profile = read_profile_file(EXAMPLE_DIR / "profile.json")
    outcome = read_dce([dce], workers=1)
    analysis = run_engine(outcome.pieces, "offline")
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(
        out / "analysis.json", json.dumps(analysis.to_contract(), ensure_ascii=False, indent=2), mode=0o644
    )
    atomic_write_text(out / "fiche.txt", analysis.fiche or render_fiche(analysis), mode=0o644)
    blocks = library.example_blocks()
    answer = proposals.answer_offline(analysis, outcome.pieces, profile, blocks)
    result = proposals.export_all(answer, out, lot=args.lot, **_export_options(args))
    print(
        f"Démonstration sur le DCE d'exemple ({analysis.reference or dce.name}) et le profil {profile.display_name}."
    )
    print("Fichiers : analysis.json, fiche.txt")
    _print_result(answer, result)
    from app.export.memoire_figures import figures

    used = sum(len(v) for v in answer.reused.values())
    print(f"Bibliothèque d'exemple : {len(blocks)} blocs, {used} repris dans le mémoire (à relire)")
    for key, chosen in answer.reused.items():
        for p in chosen:
            print(f"  § {key} ← {p.origin} (score {number(p.score, 2)})")
    print("Mémoire remis à l'acheteur (memoire.docx) :")
    keys = [s.key for s in answer.outline.sections]
    for line in figures(result.folder / "memoire.docx", answer.requirements, keys).lines():
        print(f"  {line}")
    return EXIT_OK


def _consultation(store: Any, value: str) -> str:
    """A consultation uuid, or an unambiguous start of one."""
    from app.services import consultations

    rows = consultations.list_consultations(store)
    matches = [r.uuid for r in rows if r.uuid == value] or [r.uuid for r in rows if r.uuid.startswith(value)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise InvalidInput(
            f"aucune consultation « {value} » (voir maitre-ao consultations list).", field="CONSULTATION"
        )
    raise InvalidInput(
        f"« {value} » désigne plusieurs consultations : donnez plus de caractères.", field="CONSULTATION"
    )


def cmd_draft(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import open_cli_store
    from app.services import proposals

    store = open_cli_store()
    try:
        uuid = _consultation(store, args.consultation)

        def on_section(section: Any) -> None:
            print(f"\n== {section.key} {section.title}", flush=True)

        def on_text(text: str) -> None:
            print(text, end="", flush=True)

        stored = proposals.draft_consultation(
            store,
            uuid,
            args.engine,
            lot=args.lot,
            overwrite=args.overwrite,
            on_section=on_section,
            on_text=on_text if args.engine == "claude" else None,
        )
        answer = stored.answer
        print()
        from app.drafting.markers import find_markers

        markers = sum(len(find_markers(answer.bodies.get(s.key, ""))) for s in answer.outline.sections)
        print(
            f"{len(answer.outline.sections)} sections enregistrées ; {markers} élément(s) [à compléter : …] à renseigner."
        )
    finally:
        store.close()
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import open_cli_store
    from app.services import proposals

    store = open_cli_store()
    try:
        uuid = _consultation(store, args.consultation)
        from local_store import repo_library

        stored = proposals.open_answer(store, uuid, args.lot)
        result = proposals.export_all(
            stored.answer,
            Path(args.out),
            lot=args.lot,
            image=lambda sha: repo_library.image_data(store, sha),
            **_export_options(args),
        )
        _print_result(stored.answer, result)
        from app.services.tracking import mark_exported

        if mark_exported(store, uuid):
            print("Statut de la consultation : En cours.")
    finally:
        store.close()
    return EXIT_OK


def _add_export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lot", type=int, default=None, help="numéro du lot auquel répondre")
    p.add_argument(
        "--form",
        action="append",
        metavar="CHEMIN",
        help="DC1 ou DC2 officiel vierge (.docx) à remplir (répétable)",
    )
    p.add_argument(
        "--template", metavar="CHEMIN", help="modèle Word de l'entreprise (.docx ou .dotx) pour le mémoire"
    )
    p.add_argument("--logo", metavar="CHEMIN", help="logo de l'entreprise pour la page de garde")
    p.add_argument(
        "--annexe",
        action="store_true",
        help="ajouter au mémoire l'annexe « matrice de conformité » (où chaque exigence est traitée)",
    )


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("demo", help="parcours complet hors ligne sur le DCE et le profil d'exemple")
    p.add_argument("--out", required=True, metavar="DOSSIER", help="dossier où écrire les fichiers")
    _add_export_options(p)
    p.set_defaults(func=cmd_demo)

    p = subparsers.add_parser("draft", help="rédiger les sections du mémoire d'une consultation")
    p.add_argument("consultation", metavar="CONSULTATION", help="identifiant de la consultation")
    p.add_argument("--engine", choices=("offline", "claude"), default="offline", help="moteur de rédaction")
    p.add_argument("--lot", type=int, default=None, help="numéro du lot")
    p.add_argument("--overwrite", action="store_true", help="rédiger à nouveau les sections déjà écrites")
    p.set_defaults(func=cmd_draft)

    p = subparsers.add_parser("export", help="exporter mémoire, DC1, DC2, matrice et liste des pièces")
    p.add_argument("consultation", metavar="CONSULTATION", help="identifiant de la consultation")
    p.add_argument("--out", required=True, metavar="DOSSIER", help="dossier où écrire les fichiers")
    _add_export_options(p)
    p.set_defaults(func=cmd_export)
