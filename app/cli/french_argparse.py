"""argparse in French: titles, the help option, the usage prefix and argparse's own error messages.

argparse builds its texts with gettext and ships no French catalogue; rather than patching its private
`_`, the parser and formatter below set every title and help explicitly, and `translate_error`
rewrites the messages argparse formats before it calls `error()`.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

from app.domain.errors import EXIT_USAGE

USAGE_PREFIX = "utilisation : "
HELP_TEXT = "afficher cette aide et quitter"
VERSION_TEXT = "afficher la version et quitter"

# argparse's error templates (Python 3.11–3.13) and their French form.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"^the following arguments are required: (.*)$", r"arguments obligatoires manquants : \1"),
        (r"^unrecognized arguments: (.*)$", r"arguments non reconnus : \1"),
        (r"^invalid choice: (.*) \(choose from (.*)\)$", r"choix invalide : \1 (choix possibles : \2)"),
        (r"^expected one argument$", "une valeur est attendue"),
        (r"^expected at most one argument$", "une valeur au plus est attendue"),
        (r"^expected at least one argument$", "une valeur au moins est attendue"),
        (r"^expected (\d+) arguments?$", r"\1 valeur(s) attendue(s)"),
        (r"^invalid (\w+) value: (.*)$", r"valeur invalide (\1) : \2"),
        (r"^not allowed with argument (.*)$", r"incompatible avec l'argument \1"),
        (r"^ambiguous option: (.*) could match (.*)$", r"option ambiguë : \1 peut désigner \2"),
        (r"^one of the arguments (.*) is required$", r"l'un des arguments \1 est obligatoire"),
        (r"^ignored explicit argument (.*)$", r"argument explicite ignoré : \1"),
        (r"^argument (\S+): (.*)$", "argument \\1 : \\2"),
    )
)
_TYPE_NAMES = {"int": "entier", "float": "nombre", "str": "texte"}


def translate_error(message: str) -> str:
    """argparse's English error message in French (unknown messages are kept as they are)."""
    prefix = ""
    match = re.match(r"^argument (\S+): (.*)$", message, re.DOTALL)
    if match:
        prefix, message = f"argument {match.group(1)} : ", match.group(2)
    for pattern, replacement in _ERRORS:
        if pattern.match(message):
            message = pattern.sub(replacement, message)
            break
    for en, fr in _TYPE_NAMES.items():
        message = message.replace(f"({en})", f"({fr})")
    return prefix + message


class FrenchHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


class FrenchArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose every own text is French; usage errors exit with EXIT_USAGE."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        kwargs["add_help"] = False  # ours, with a French help text
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP_TEXT)

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", type(self))
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"{self.prog} : erreur d'utilisation : {translate_error(message)}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
