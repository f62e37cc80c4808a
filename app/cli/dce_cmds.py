"""`maitre-ao analyze PATH…`, `maitre-ao import PATH…`, `maitre-ao consultations list`, `maitre-ao search TEXT`.

`analyze` reads a ZIP, a folder or files and prints the analysis without touching the store;
`import` stores the DCE as a new consultation (encrypted store) and prints its pieces and fiche.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from app.domain.errors import EXIT_OK, InvalidInput
from app.domain.fsutil import atomic_write_text
from app.domain.labels import CONSULTATION_STATUS_LABELS, parse_status, short_piece_label, status_label

ENGINES = ("offline", "claude", "hybrid")


def _progress_printer() -> Any:
    """Progress on stderr when it is a terminal (never pollutes stdout, which may be JSON)."""
    if not sys.stderr.isatty():
        return lambda done, total, label: None

    def show(done: int, total: int, label: str) -> None:
        suffix = f" ({done}/{total})" if total else ""
        print(f"\r\033[K{label}{suffix}", end="", file=sys.stderr, flush=True)

    return show


def _end_progress() -> None:
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)


def claude_confirmation(send_to_claude: bool) -> Any:
    """How the CLI gets the agreement before DCE text goes to Claude: `--send-to-claude`, else a
    question on the terminal; with neither (not interactive), no agreement: exit 2, nothing sent."""
    if send_to_claude:
        return lambda _notice: True
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None

    def ask(notice: Any) -> bool:
        _end_progress()
        print("\n" + notice.text() + "\n", file=sys.stderr)
        print("Envoyer ce texte à Claude ? [o/N] ", end="", file=sys.stderr, flush=True)
        answer = sys.stdin.readline().strip().lower()
        return answer in ("o", "oui", "y", "yes")

    return ask


SEND_TO_CLAUDE_HELP = (
    "accepter l'envoi d'extraits du texte du DCE à Claude (Anthropic, États-Unis) sans question ; "
    "indispensable hors d'un terminal avec les moteurs claude et hybrid"
)


def _paths(values: list[str]) -> list[Path]:
    paths = [Path(v).expanduser() for v in values]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InvalidInput(f"Introuvable : {', '.join(missing)}.", field="CHEMIN")
    return paths


def _emit(text: str, out: str | None) -> None:
    if out:
        atomic_write_text(Path(out), text if text.endswith("\n") else text + "\n", mode=0o600)
        print(f"Écrit : {out}", file=sys.stderr)
    else:
        print(text)


def _fiche(analysis: Any) -> str:
    if analysis.fiche:
        return str(analysis.fiche)
    from app.analysis.fiche import render_fiche

    return render_fiche(analysis)


def cmd_analyze(args: argparse.Namespace) -> int:
    from app.analysis.engines import default_engine
    from app.services.consultations import analyze_files

    paths = _paths(args.paths)
    try:
        analysis = analyze_files(
            paths,
            args.engine or default_engine(),
            progress=_progress_printer(),
            confirm=claude_confirmation(args.send_to_claude),
        )
    finally:
        _end_progress()
    if args.format == "json":
        text = json.dumps(analysis.to_contract(), ensure_ascii=False, indent=2)
    else:
        text = _fiche(analysis)
    _emit(text, args.out)
    return EXIT_OK


def _piece_note(p: Any) -> str:
    if p.error:
        return f"erreur : {p.error}"
    if p.unread_reason:
        return f"non lu : {p.unread_reason}"
    if p.ocr_pages:
        return f"{p.ocr_pages} page(s) sans texte (OCR nécessaire)"
    return ""


def _print_import(
    result: Any, fmt: str, *, extra: dict[str, Any] | None = None, notes: Sequence[str] = ()
) -> None:
    """What an import (or a resumed one) read: JSON, or the pieces, the problems, `notes` (a new
    version's differences) and the fiche."""
    if fmt == "json":
        data = {
            "consultation_uuid": result.consultation_uuid,
            "pieces": [
                {
                    "file": p.path,
                    "kind": p.kind.value,
                    "pages": p.pages,
                    "ocr_pages": p.ocr_pages,
                    "unread_reason": p.unread_reason,
                    "error": p.error,
                }
                for p in result.pieces
            ],
            "errors": [{"file": e.file, "message": e.message} for e in result.errors],
            "warnings": result.warnings,
            "extracted": result.extracted,
            "reused": result.reused,
            **(extra or {}),
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    print(f"Consultation importée : {result.consultation_uuid}")
    print(f"{len(result.pieces)} pièce(s) :")
    for p in result.pieces:
        pages = f"{p.pages} p." if p.pages else "—"
        note = _piece_note(p)
        print(f"  {short_piece_label(p.kind):<18} {pages:>7}  {p.path}" + (f"  ({note})" if note else ""))
    if result.reused:
        print(f"{result.reused} fichier(s) déjà lus lors d'un import précédent : texte réutilisé.")
    for e in result.errors:
        print(f"Fichier refusé ou illisible : {e.file} : {e.message}", file=sys.stderr)
    for w in result.warnings:
        print(f"Attention : {w}", file=sys.stderr)
    if notes:
        print()
        for line in notes:
            print(line)
    if result.analysis is not None:
        print()
        print(_fiche(result.analysis))


def cmd_import(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import open_cli_store
    from app.services.versions import import_checked

    paths = _paths(args.paths)
    store = open_cli_store()
    try:
        try:
            checked = import_checked(
                store, paths, new_version=args.new_version or False, progress=_progress_printer()
            )
        finally:
            _end_progress()
        if checked.outcome == "duplicate":
            return _print_duplicate(store, checked, args)
        result = checked.result
        assert result is not None
        for other in checked.related:
            print(
                f"Attention : la consultation {other.uuid} a la même référence ; s'il s'agit d'un modificatif, "
                f"importez-le avec --nouvelle-version {other.uuid[:8]}.",
                file=sys.stderr,
            )
        notes: list[str] = []
        if checked.diff is not None:
            notes.append(
                f"Version {checked.version} (modificatif) de la consultation {checked.diff.previous_uuid}."
            )
            notes.append("Différences avec la version précédente :")
            notes.extend(f"  - {line}" for line in checked.diff.lines())
        extra = {
            "duplicate_of": None,
            "version": checked.version,
            "previous_version": checked.diff.previous_uuid if checked.diff else None,
            "differences": checked.diff.to_json() if checked.diff else None,
        }
        _print_import(result, args.format, extra=extra, notes=notes)
    finally:
        store.close()
    return EXIT_OK


def _interrupted_uuid(store: Any, value: str) -> str:
    """The uuid (or an unambiguous start of one) of a consultation, interrupted or not."""
    from app.services.consultations import list_consultations

    rows = list_consultations(store)
    matches = [r.uuid for r in rows if r.uuid == value] or [r.uuid for r in rows if r.uuid.startswith(value)]
    if len(matches) != 1:
        raise InvalidInput(
            f"aucune consultation « {value} » ou plusieurs (voir maitre-ao consultations list).",
            field="CONSULTATION",
        )
    return matches[0]


def cmd_consultations_resume(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import open_cli_store
    from app.services.consultations import resume_import

    store = open_cli_store()
    try:
        uuid = _interrupted_uuid(store, args.consultation)
        try:
            result = resume_import(store, uuid, progress=_progress_printer())
        finally:
            _end_progress()
        _print_import(result, args.format)
    finally:
        store.close()
    return EXIT_OK


def cmd_consultations_delete(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import open_cli_store
    from app.services.consultations import delete_import

    store = open_cli_store()
    try:
        uuid = _interrupted_uuid(store, args.consultation)
        delete_import(store, uuid)
    finally:
        store.close()
    print(f"Import interrompu supprimé : {uuid}")
    return EXIT_OK


def _print_duplicate(store: Any, checked: Any, args: argparse.Namespace) -> int:
    from app.services.consultations import get_consultation

    row = get_consultation(store, checked.consultation_uuid)
    if args.format == "json":
        data = {"consultation_uuid": row.uuid, "duplicate_of": row.uuid, "version": checked.version}
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Ce DCE est déjà importé : consultation {row.uuid}")
    print(
        f"  {row.title} — {status_label(row.status)}, {row.pieces} pièce(s) (même contenu, aucune copie créée)"
    )
    print("Pour l'importer comme nouvelle version (modificatif) : ajoutez --nouvelle-version.")
    return EXIT_OK


def cmd_consultations_versions(args: argparse.Namespace) -> int:
    from app.cli.drafting_cmds import _consultation
    from app.cli.store_cmds import open_cli_store
    from app.services.versions import version_info

    store = open_cli_store()
    try:
        uuid = _consultation(store, args.consultation)
        info = version_info(store, uuid)
    finally:
        store.close()
    if info is None:
        print(f"La consultation {uuid} est une première version (aucun modificatif enregistré avant elle).")
        return EXIT_OK
    number, diff = info
    print(f"Version {number} ; version précédente : {diff.previous_uuid}")
    for line in diff.lines():
        print(f"  - {line}")
    return EXIT_OK


def cmd_consultations_list(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import open_cli_store
    from app.services.consultations import is_interrupted, list_consultations

    status = ""
    if args.status:
        try:
            status = parse_status(args.status).value
        except ValueError:
            allowed = ", ".join(CONSULTATION_STATUS_LABELS.values())
            raise InvalidInput(
                f"Statut inconnu : « {args.status} » (attendu : {allowed}).", field="STATUT"
            ) from None
    store = open_cli_store()
    try:
        rows = list_consultations(store, query=args.query or "", status=status)
    finally:
        store.close()
    if args.format == "json":
        print(
            json.dumps(
                [
                    {
                        "uuid": r.uuid,
                        "title": r.title,
                        "buyer": r.buyer,
                        "reference": r.reference,
                        "deadline": r.deadline,
                        "status": r.status,
                        "status_label": status_label(r.status),
                        "pieces": r.pieces,
                        "import_interrupted": is_interrupted(r),
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    if not rows:
        print("Aucune consultation. Importez un DCE : maitre-ao import DCE.zip")
        return EXIT_OK
    for r in rows:
        deadline = _short_moment(r.deadline) or "date limite inconnue"
        buyer = f" — {r.buyer}" if r.buyer else ""
        print(f"{r.uuid}  {status_label(r.status):<10} {deadline:<20} {r.title}{buyer} ({r.pieces} pièces)")
        if is_interrupted(r):
            print(
                f"    import interrompu : reprendre avec « maitre-ao consultations resume {r.uuid[:8]} » "
                f"ou supprimer avec « maitre-ao consultations delete {r.uuid[:8]} »"
            )
    return EXIT_OK


def _short_moment(value: str | None) -> str:
    """'2027-07-16T12:00:00+02:00' -> '16/07/2027 à 12h00' (Paris time); other values as written."""
    from app.services.tracking import parse_moment

    when = parse_moment(value)
    if when is None:
        return value or ""
    if isinstance(when, datetime):
        return f"{when:%d/%m/%Y} à {when.hour}h{when.minute:02d}"
    return f"{when:%d/%m/%Y}"


def cmd_consultations_status(args: argparse.Namespace) -> int:
    from app.cli.drafting_cmds import _consultation
    from app.cli.store_cmds import open_cli_store
    from app.services.tracking import change_status

    store = open_cli_store()
    try:
        uuid = _consultation(store, args.consultation)
        new = change_status(store, uuid, " ".join(args.status))
    finally:
        store.close()
    print(f"Statut de la consultation {uuid} : {status_label(new)}")
    return EXIT_OK


def cmd_calendar(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import open_cli_store
    from app.services.ical import write_calendar

    store = open_cli_store()
    try:
        events = write_calendar(store, Path(args.out))
    finally:
        store.close()
    past = sum(1 for e in events if e.past)
    print(
        f"{len(events)} échéance(s) écrite(s) dans {args.out}"
        + (f" (dont {past} passée(s))" if past else "")
        + "."
    )
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import open_cli_store
    from app.services.consultations import list_consultations, search

    text = " ".join(args.text).strip()
    if not text:
        raise InvalidInput("Indiquez les mots à chercher.", field="TEXTE")
    store = open_cli_store()
    try:
        hits = search(store, text, consultation_uuid=args.consultation, limit=args.limit)
        titles = {r.uuid: r.title for r in list_consultations(store)}
    finally:
        store.close()
    if args.format == "json":
        print(
            json.dumps(
                [
                    {
                        "consultation_uuid": h.consultation_uuid,
                        "file": h.path,
                        "page": h.page,
                        "snippet": h.snippet,
                    }
                    for h in hits
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    if not hits:
        print(f"Aucun résultat pour « {text} ».")
        return EXIT_OK
    for h in hits:
        title = titles.get(h.consultation_uuid, h.consultation_uuid)
        snippet = " ".join(h.snippet.split())
        print(f"{h.path} p. {h.page} ({title})\n    {snippet}")
    return EXIT_OK


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "analyze",
        help="analyser un DCE (ZIP, dossier ou fichiers) sans l'importer",
        description="Lit le DCE et affiche l'analyse (JSON du contrat ou fiche de synthèse). "
        "Rien n'est écrit dans le coffre.",
    )
    p.add_argument("paths", nargs="+", metavar="CHEMIN", help="ZIP, dossier ou fichiers du DCE")
    p.add_argument(
        "--engine",
        choices=ENGINES,
        default=None,
        help="moteur d'analyse (par défaut : hybrid si Claude est configuré, sinon offline)",
    )
    p.add_argument("--format", choices=("json", "text"), default="json", help="json (défaut) ou text")
    p.add_argument("--out", metavar="FICHIER", help="écrire le résultat dans FICHIER")
    p.add_argument("--send-to-claude", action="store_true", help=SEND_TO_CLAUDE_HELP)
    p.set_defaults(func=cmd_analyze)

    p = subparsers.add_parser(
        "import",
        help="importer un DCE dans le coffre (nouvelle consultation)",
        description="Un DCE déjà importé (mêmes pièces) n'est pas importé une seconde fois : la commande "
        "donne la consultation existante. --nouvelle-version l'importe comme modificatif.",
    )
    p.add_argument("paths", nargs="+", metavar="CHEMIN", help="ZIP, dossier ou fichiers du DCE")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text (défaut) ou json")
    p.add_argument(
        "--nouvelle-version",
        dest="new_version",
        nargs="?",
        const=True,
        default=False,
        metavar="CONSULTATION",
        help="importer ce DCE comme nouvelle version (modificatif) de la consultation de même contenu ou de "
        "même référence, ou de CONSULTATION ; les différences sont affichées et gardées",
    )
    p.set_defaults(func=cmd_import)

    p = subparsers.add_parser("consultations", help="consultations importées")
    sub = p.add_subparsers(dest="consultations_command", metavar="ACTION", required=True)
    q = sub.add_parser("list", help="lister les consultations")
    q.add_argument("--query", metavar="FILTRE", help="filtrer par titre, acheteur ou référence")
    q.add_argument(
        "--status",
        metavar="STATUT",
        help="ne garder qu'un statut : " + ", ".join(CONSULTATION_STATUS_LABELS.values()),
    )
    q.add_argument("--format", choices=("text", "json"), default="text", help="text (défaut) ou json")
    q.set_defaults(func=cmd_consultations_list)
    q = sub.add_parser("resume", help="reprendre un import interrompu (mêmes fichiers)")
    q.add_argument("consultation", metavar="CONSULTATION", help="identifiant (ou son début)")
    q.add_argument("--format", choices=("text", "json"), default="text")
    q.set_defaults(func=cmd_consultations_resume)
    q = sub.add_parser("delete", help="supprimer un import interrompu et ses fichiers")
    q.add_argument("consultation", metavar="CONSULTATION", help="identifiant (ou son début)")
    q.set_defaults(func=cmd_consultations_delete)

    q = sub.add_parser(
        "status",
        help="changer le statut d'une consultation",
        description="Statuts : " + ", ".join(CONSULTATION_STATUS_LABELS.values()) + ". Un export fait passer "
        "une consultation « À analyser » à « En cours ».",
    )
    q.add_argument("consultation", metavar="CONSULTATION", help="identifiant (ou son début)")
    q.add_argument(
        "status", nargs="+", metavar="STATUT", help="Déposée, Gagnée, Perdue, En cours ou À analyser"
    )
    q.set_defaults(func=cmd_consultations_status)

    q = sub.add_parser("versions", help="différences avec la version précédente (modificatif)")
    q.add_argument("consultation", metavar="CONSULTATION", help="identifiant (ou son début)")
    q.set_defaults(func=cmd_consultations_versions)

    p = subparsers.add_parser(
        "calendar",
        help="écrire les échéances (remise, questions, visites) dans un fichier iCalendar (.ics)",
        description="Toutes les dates limites, dates de questions et visites de site des consultations, "
        "à l'heure de Paris, pour Outlook, Google Agenda, Calendrier…",
    )
    p.add_argument("--out", required=True, metavar="FICHIER", help="fichier .ics à écrire")
    p.set_defaults(func=cmd_calendar)

    p = subparsers.add_parser("search", help="chercher dans le texte des DCE importés (accents ignorés)")
    p.add_argument("text", nargs="+", metavar="TEXTE", help="mots à chercher")
    p.add_argument("--consultation", metavar="UUID", help="limiter à une consultation")
    p.add_argument("--limit", type=int, default=50, metavar="NOMBRE", help="nombre maximal de résultats")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_search)
