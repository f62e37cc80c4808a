"""`maitre-ao SUBCOMMAND …`: the command-line interface (stable: other tools call it).

Each area registers its sub-commands from its own module (see COMMAND_MODULES); a module exposes
`register(subparsers)` and sets `func` on its parsers: `func(args) -> int` (exit code).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from app.cli.french_argparse import VERSION_TEXT, FrenchArgumentParser
from app.domain.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UserError
from app.logging_setup import setup_logging

log = logging.getLogger(__name__)

COMMAND_MODULES: tuple[str, ...] = (
    "app.cli.store_cmds",  # store init|check|unlock|rekey|purge, backup, restore
    "app.cli.profile_cmds",  # profile import|show|validate
    "app.cli.dce_cmds",  # analyze, import, consultations, search
    "app.cli.claude_cmds",  # config set-api-key, usage
    "app.cli.drafting_cmds",  # demo, draft, export
    "app.cli.library_cmds",  # library import
    "app.cli.account_cmds",  # login, logout, sync
)


def version() -> str:
    from app import __version__

    return __version__


_Parser = FrenchArgumentParser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="maitre-ao", description="Maître AO — réponse aux appels d'offres publics.")
    parser.add_argument("--version", action="version", version=f"maitre-ao {version()}", help=VERSION_TEXT)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # area not built yet
            raise
        module.register(subparsers)
    return parser


def _silence_stdout() -> None:
    """Point stdout at devnull so that the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def run(argv: Sequence[str]) -> int:
    if list(argv) == ["--version"]:  # answered before any sub-command module is imported
        print(f"maitre-ao {version()}")
        return 0
    setup_logging()
    parser = build_parser()
    args = parser.parse_args(list(argv))
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        code = int(func(args))
        sys.stdout.flush()  # a closed pipe shows here, not at the interpreter's exit
        return code
    except BrokenPipeError:
        # `maitre-ao search X | head -1`: the reader has what it wanted; not an error.
        _silence_stdout()
        log.info("command %s: stdout closed by the reader", args.command)
        return EXIT_OK
    except UserError as exc:
        log.info("command %s failed: %s", args.command, type(exc).__name__)
        print(f"Erreur : {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected error in command %s", args.command)
        print(
            "Erreur inattendue. Le détail est dans le journal (dossier de données, logs/maitre-ao.log).",
            file=sys.stderr,
        )
        return EXIT_FAILURE


def main() -> int:
    return run(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
