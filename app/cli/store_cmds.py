"""`maitre-ao store init|check|unlock|rekey|purge`, `maitre-ao backup FILE`, `maitre-ao restore FILE`.

Secrets (recovery key, passphrase) are typed at the terminal or read from stdin, never taken from an
argument (arguments end up in shell history and process lists). Other CLI modules open the store
with `open_cli_store()` (it asks for the passphrase when the store uses one).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from app.domain.errors import EXIT_FAILURE, EXIT_OK, NotFound, UsageError
from app.domain.numbers import number
from app.services import store as store_service
from local_store.store import Store, StoreExists


def read_secret(prompt: str, *, hidden: bool = True, confirm: bool = False) -> str:
    """One secret line: from the terminal (hidden) or from stdin when it is not a terminal."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise UsageError(f"{prompt.strip(' :')} attendue sur l'entrée standard.")
        return line.rstrip("\r\n")
    value = getpass.getpass(prompt) if hidden else input(prompt)
    if confirm and getpass.getpass("Confirmez : ") != value:
        raise UsageError("Les deux saisies diffèrent.")
    return value


def open_cli_store(*, apply_retention: bool = True) -> Store:
    """The store for a CLI command (asks for the passphrase when the store uses one); the retention
    rule is applied on opening, as the app does."""
    passphrase = read_secret("Phrase secrète du coffre : ") if store_service.needs_passphrase() else None
    return store_service.open_current(passphrase, apply_retention=apply_retention)


def _print_recovery_key(text: str) -> None:
    print()
    print("CLÉ DE SECOURS — notez-la ou imprimez-la maintenant, elle ne sera plus affichée :")
    print()
    print(f"    {text}")
    print()
    print("Elle rouvre le coffre si le trousseau du système perd sa clé, ou sur un autre ordinateur")
    print("(maitre-ao store unlock), et elle est nécessaire pour restaurer une sauvegarde.")


def cmd_init(args: argparse.Namespace) -> int:
    if store_service.exists():
        raise StoreExists(store_service.current_path())  # before asking for anything
    passphrase = None
    if args.passphrase:
        passphrase = read_secret("Nouvelle phrase secrète (12 caractères au moins) : ", confirm=True)
    store, text = store_service.create(passphrase)
    try:
        print(f"Coffre chiffré créé : {store.path}")
        if text:
            _print_recovery_key(text)
        else:
            print("Il est protégé par votre phrase secrète : sans elle, les données sont perdues.")
    finally:
        store.close()
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    store = open_cli_store()
    try:
        report = store_service.check(store)
    finally:
        store.close()
    print(f"Coffre : {report.path}")
    print(f"Schéma : {report.schema}   Taille : {number(report.size_bytes / 1024, 0)} Kio")
    width = max(len(label) for label, _ in report.counts)
    for label, count in report.counts:
        print(f"  {label.ljust(width)}  {count}")
    if report.ok:
        print("Intégrité : OK (chiffrement et structure vérifiés)")
        return EXIT_OK
    print("Intégrité : PROBLÈMES DÉTECTÉS", file=sys.stderr)
    for problem in report.problems[:20]:
        print(f"  {problem}", file=sys.stderr)
    return EXIT_FAILURE


def cmd_unlock(args: argparse.Namespace) -> int:
    text = read_secret("Clé de secours : ", hidden=False)
    store = store_service.unlock(text)
    store.close()
    print("Coffre déverrouillé : sa clé est de nouveau dans le trousseau du système.")
    return EXIT_OK


def cmd_rekey(args: argparse.Namespace) -> int:
    store = open_cli_store()
    try:
        if store.passphrase_mode:
            new = read_secret("Nouvelle phrase secrète : ", confirm=True)
            store_service.rekey(store, new)
            print("Clé changée : le coffre s'ouvre désormais avec la nouvelle phrase secrète.")
        else:
            text = store_service.rekey(store)
            print("Clé changée. L'ancienne clé de secours n'ouvre plus le coffre (elle reste celle des")
            print("sauvegardes faites avant ce changement).")
            _print_recovery_key(text)
    finally:
        store.close()
    return EXIT_OK


def _size(n: int) -> str:
    return f"{number(n / 1024 / 1024, 1)} Mio" if n >= 1024 * 1024 else f"{number(n / 1024, 0)} Kio"


def cmd_purge(args: argparse.Namespace) -> int:
    store = open_cli_store(apply_retention=False)
    try:
        report = store_service.purge(store, dry_run=args.dry_run)
        old_backups = store_service.expired_backups(store)
    finally:
        store.close()
    for b in old_backups:
        print(
            f"Sauvegarde contenant des pièces de DCE au-delà de la durée de conservation (depuis le "
            f"{b.dce_expire_after}) : {b.path} — supprimez-la quand vous n'en avez plus besoin "
            "(les sauvegardes ne sont jamais modifiées)."
        )
    days = store_service.retention_days()
    verb = "seraient supprimées" if args.dry_run else "supprimées"
    if report.empty:
        print(
            f"Rien à supprimer (pièces de DCE analysées ou importées il y a plus de {days} jours : aucune)."
        )
        return EXIT_OK
    for c in report.consultations:
        print(f"  {c.title} — analysée ou importée le {c.analyzed_at[:10]} : {c.pieces} pièce(s) {verb}")
    print(
        f"{len(report.consultations)} consultation(s) ; {report.blobs} fichier(s) ({_size(report.blob_bytes)}) "
        f"et {report.extractions} texte(s) extrait(s) {verb}."
    )
    if args.dry_run:
        print("Simulation : rien n'a été supprimé.")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    store = open_cli_store()
    try:
        dest = store_service.backup(store, Path(args.file))
    finally:
        store.close()
    how = "sa phrase secrète" if store.passphrase_mode else "la clé de secours"
    print(f"Sauvegarde chiffrée écrite : {dest} (il faudra {how} pour la restaurer).")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise NotFound(f"Fichier introuvable : {path}")
    if args.passphrase:
        store, moved = store_service.restore(
            path, passphrase=read_secret("Phrase secrète de la sauvegarde : ")
        )
    else:
        store, moved = store_service.restore(
            path, recovery_text=read_secret("Clé de secours : ", hidden=False)
        )
    store.close()
    print(f"Sauvegarde restaurée dans {store.path}.")
    if moved:
        print(f"L'ancien coffre est conservé sous {moved}.")
    return EXIT_OK


def register(subparsers: Any) -> None:
    store = subparsers.add_parser("store", help="coffre chiffré local : création, vérification, clés")
    actions = store.add_subparsers(dest="store_command", metavar="ACTION", required=True)

    init = actions.add_parser("init", help="créer le coffre et afficher sa clé de secours")
    init.add_argument(
        "--passphrase",
        action="store_true",
        help="protéger le coffre par une phrase secrète (sans trousseau système), lue au terminal ou sur stdin",
    )
    init.set_defaults(func=cmd_init)
    actions.add_parser("check", help="compter les données et vérifier l'intégrité").set_defaults(
        func=cmd_check
    )
    actions.add_parser(
        "unlock",
        help="rouvrir le coffre avec la clé de secours (saisie ou stdin) et la remettre au trousseau",
    ).set_defaults(func=cmd_unlock)
    actions.add_parser("rekey", help="changer la clé du coffre (nouvelle clé de secours)").set_defaults(
        func=cmd_rekey
    )
    purge = actions.add_parser(
        "purge", help="supprimer les pièces de DCE au-delà de la durée de conservation"
    )
    purge.add_argument(
        "--dry-run", action="store_true", help="montrer ce qui serait supprimé, sans supprimer"
    )
    purge.set_defaults(func=cmd_purge)

    backup = subparsers.add_parser("backup", help="écrire une sauvegarde chiffrée du coffre")
    backup.add_argument("file", metavar="FICHIER")
    backup.set_defaults(func=cmd_backup)

    restore = subparsers.add_parser(
        "restore", help="restaurer une sauvegarde (clé de secours saisie ou stdin)"
    )
    restore.add_argument("file", metavar="FICHIER")
    restore.add_argument(
        "--passphrase", action="store_true", help="la sauvegarde est protégée par une phrase secrète"
    )
    restore.set_defaults(func=cmd_restore)
