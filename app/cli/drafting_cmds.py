"""`maitre-ao demo`, `draft`, `export`: from an analysed DCE to the files a company hands in."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.domain.errors import EXIT_OK, InvalidInput, NotFound
from app.domain.labels import status_label
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
    from app.export.schedule import euros

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
    buyer = result.buyer
    if buyer is not None:
        for s in buyer.schedules:
            total = f", total {euros(s.total)} HT" if s.total is not None else ""
            print(f"Bordereau {s.file_name} : {s.written} prix écrits sur {s.lines} lignes{total}")
        for ae in buyer.ae:
            amount = (
                f", montant {euros(ae.amount)} HT repris de {buyer.amount_source}"
                if ae.amount is not None
                else ""
            )
            print(f"Acte d'engagement {ae.file_name} : {len(ae.filled)} rubrique(s) remplie(s){amount}")
        for c in buyer.cadres:
            unplaced = f", {len(c.unplaced)} en annexe" if c.unplaced else ""
            print(f"Cadre de réponse {c.file_name} : {len(c.placed)} réponse(s) à leur place{unplaced}")
        if buyer.to_sign:
            print(f"À signer par le représentant habilité : {', '.join(buyer.to_sign)}")
    sub = result.submission
    if sub is not None:
        signing = sum(1 for e in sub.entries if e.status == "à signer")
        missing = sum(1 for e in sub.entries if e.status == "manquant")
        print(
            f"Dossier de remise : {sub.folder.name}/{sub.layout.candidature}, {sub.folder.name}/{sub.layout.offre} "
            f"et {sub.archive.name} ({signing} pièce(s) à signer, {missing} manquante(s), voir checklist.docx)"
        )
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
        raise NotFound("Le DCE d'exemple est absent de cette installation.")
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
    files, prices = _example_buyer_files(dce, outcome.pieces)
    result = proposals.export_all(
        answer,
        out,
        lot=args.lot,
        buyer_files=files,
        prices=prices,
        rc_text=proposals.rc_text(outcome.pieces),
        **_export_options(args),
    )
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


def _example_buyer_files(dce: Path, pieces: list[Any]) -> tuple[list[Any], dict[str, dict[str, float]]]:
    """The example DCE's AE and schedules, with the example company's prices (prices.json, by
    designation) — what a user gets after typing them in the Prix tab."""
    import tempfile
    import zipfile

    from app.export.buyer_docs import BuyerFile, prices_by_designation, safe_name
    from app.export.schedule import read_schedule
    from app.services.prices import BUYER_KINDS

    known = json.loads((EXAMPLE_DIR / "prices.json").read_text(encoding="utf-8"))
    files: list[Any] = []
    prices: dict[str, dict[str, float]] = {}
    with zipfile.ZipFile(dce) as zf, tempfile.TemporaryDirectory(prefix="maitre-ao-demo-") as tmp:
        names = set(zf.namelist())
        for piece in pieces:
            if piece.kind not in BUYER_KINDS or piece.path not in names:
                continue
            name = safe_name(piece.path)
            data = zf.read(piece.path)
            files.append(BuyerFile(name, piece.kind, data))
            if name.lower().endswith((".xlsx", ".xlsm")):
                source = Path(tmp) / name
                source.write_bytes(data)
                prices[name] = prices_by_designation(read_schedule(source, name), known)
    return files, prices


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
    from app.cli.dce_cmds import claude_confirmation
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
            confirm=claude_confirmation(args.send_to_claude),
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


def stored_status(store: Any, uuid: str) -> str:
    from app.services.consultations import get_consultation

    return str(get_consultation(store, uuid).status)


def cmd_export(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import open_cli_store
    from app.services import proposals

    store = open_cli_store()
    try:
        uuid = _consultation(store, args.consultation)

        stored = proposals.open_answer(store, uuid, args.lot)
        before = stored_status(store, uuid)
        # The service moves a consultation still "À analyser" to "En cours" (status follows the work).
        result = proposals.export_consultation(
            store, uuid, Path(args.out), lot=args.lot, **_export_options(args)
        )
        _print_result(stored.answer, result)
        if stored_status(store, uuid) != before:
            print(f"Statut de la consultation : {status_label(stored_status(store, uuid))}.")
    finally:
        store.close()
    return EXIT_OK


def cmd_lots(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import open_cli_store
    from app.services import lots

    store = open_cli_store()
    try:
        uuid = _consultation(store, args.consultation)
        if args.lots or args.clear:
            chosen = lots.choose_lots(store, uuid, [] if args.clear else args.lots)
        else:
            chosen = lots.chosen_lots(store, uuid)
        if chosen:
            print(f"Lot(s) auxquels vous répondez : {', '.join(str(n) for n in chosen)}")
        else:
            print("Aucun lot choisi : le DC1 laissera la case du lot à cocher.")
    finally:
        store.close()
    return EXIT_OK


def cmd_subcontract(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import open_cli_store
    from app.export.schedule import euros
    from app.services import subcontractors

    store = open_cli_store()
    try:
        uuid = _consultation(store, args.consultation)
        if args.action == "add":
            missing = [
                opt
                for opt, v in (("--name", args.name), ("--siret", args.siret), ("--services", args.services))
                if not v
            ]
            if missing:
                raise InvalidInput(f"précisez {', '.join(missing)}.", field=missing[0])
            sub = subcontractors.declare(
                store,
                uuid,
                {
                    "raison_sociale": args.name,
                    "siret": args.siret,
                    "prestations": args.services,
                    "montant_ht": args.amount,
                    "paiement_direct": not args.no_direct_payment,
                    "adresse": args.address or "",
                    "representant": args.representative or "",
                },
            )
            print(f"Sous-traitant enregistré ({sub.uuid}) : un DC4 sera joint à l'export.")
        elif args.action == "remove":
            if not args.id:
                raise InvalidInput("précisez --id (voir maitre-ao subcontract list).", field="--id")
            subcontractors.remove(store, uuid, args.id)
            print("Sous-traitant retiré.")
        else:
            for sub in subcontractors.list_for(store, uuid):
                amount = euros(sub.montant_ht) + " HT" if sub.montant_ht is not None else "montant à préciser"
                direct = "paiement direct" if sub.paiement_direct else "sans paiement direct"
                print(
                    f"{sub.uuid}  {sub.raison_sociale}  SIRET {sub.siret}  {sub.prestations} — {amount}, {direct}"
                )
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
    from app.cli.dce_cmds import SEND_TO_CLAUDE_HELP

    p.add_argument("--send-to-claude", action="store_true", help=SEND_TO_CLAUDE_HELP)
    p.set_defaults(func=cmd_draft)

    p = subparsers.add_parser(
        "subcontract", help="déclarer les sous-traitants d'une consultation (un DC4 chacun)"
    )
    p.add_argument("action", choices=("add", "list", "remove"))
    p.add_argument("consultation", metavar="CONSULTATION", help="identifiant de la consultation")
    p.add_argument("--name", help="dénomination sociale du sous-traitant")
    p.add_argument("--siret", help="SIRET du sous-traitant")
    p.add_argument("--services", help="nature des prestations sous-traitées")
    p.add_argument("--amount", type=float, default=None, help="montant HT en euros")
    p.add_argument(
        "--no-direct-payment", action="store_true", help="le sous-traitant n'est pas payé en direct"
    )
    p.add_argument("--address", help="adresse du sous-traitant")
    p.add_argument("--representative", help="nom et qualité de la personne qui engage le sous-traitant")
    p.add_argument("--id", help="identifiant du sous-traitant à retirer")
    p.set_defaults(func=cmd_subcontract)

    p = subparsers.add_parser("lots", help="choisir les lots auxquels l'entreprise répond (DC1, export)")
    p.add_argument("consultation", metavar="CONSULTATION", help="identifiant de la consultation")
    p.add_argument(
        "lots", metavar="LOT", type=int, nargs="*", help="numéros des lots (aucun : afficher le choix)"
    )
    p.add_argument("--clear", action="store_true", help="effacer le choix")
    p.set_defaults(func=cmd_lots)

    p = subparsers.add_parser("export", help="exporter mémoire, DC1, DC2, matrice et liste des pièces")
    p.add_argument("consultation", metavar="CONSULTATION", help="identifiant de la consultation")
    p.add_argument("--out", required=True, metavar="DOSSIER", help="dossier où écrire les fichiers")
    _add_export_options(p)
    p.set_defaults(func=cmd_export)
