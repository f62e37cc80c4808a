"""`maitre-ao library import FILE…`: past mémoires into the answer library."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.domain.errors import EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from app.cli.store_cmds import open_cli_store
    from app.services import library

    store = open_cli_store()
    try:
        for value in args.files:
            report = library.import_file(store, Path(value))
            print(
                f"{report.file_name} : {len(report.added)} bloc(s) ajouté(s), "
                f"{report.already_there} déjà dans la bibliothèque."
            )
            for block in report.added:
                tags = ", ".join(block.tags) or "sans étiquette"
                print(f"  + {block.title} [{tags}]")
    finally:
        store.close()
    return EXIT_OK


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("library", help="bibliothèque de réponses (mémoires passés)")
    sub = p.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    imp = sub.add_parser(
        "import", help="découper des mémoires passés (DOCX, ODT, PDF) en blocs réutilisables"
    )
    imp.add_argument("files", nargs="+", metavar="FICHIER", help="mémoire passé (.docx, .odt ou .pdf)")
    imp.set_defaults(func=cmd_import)
