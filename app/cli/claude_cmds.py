"""`maitre-ao config set-api-key|delete-api-key|claude-mode|claude-test|show` and `maitre-ao usage`.

The API key is read from stdin (or typed hidden at a terminal), never from an argument: arguments
end up in the shell history and in the process list.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from app.cli.store_cmds import open_cli_store, read_secret
from app.domain.errors import EXIT_OK
from app.domain.numbers import euros


def _eur(value: float) -> str:
    return euros(value, 4)


def _tokens(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def cmd_set_api_key(args: argparse.Namespace) -> int:
    from app.services import claude as claude_service

    key = read_secret("Clé API Anthropic : ")
    claude_service.set_api_key(key)
    print("Clé API enregistrée dans le trousseau du système. Claude utilisera votre clé.")
    return EXIT_OK


def cmd_delete_api_key(args: argparse.Namespace) -> int:
    from app.services import claude as claude_service

    claude_service.delete_api_key()
    print("Clé API supprimée du trousseau.")
    return EXIT_OK


def cmd_mode(args: argparse.Namespace) -> int:
    from app.services import claude as claude_service

    claude_service.set_mode(args.mode)
    print(f"Accès à Claude : {claude_service.MODE_LABELS[args.mode]}.")
    return EXIT_OK


def cmd_test(args: argparse.Namespace) -> int:
    from app.services import claude as claude_service

    store = open_cli_store()
    try:
        print(claude_service.check_connection(store, on_status=print))
    finally:
        store.close()
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from app.services import claude as claude_service

    st = claude_service.status()
    print(f"Accès à Claude : {st.mode_label}")
    print(f"Utilisé maintenant : {st.access or 'aucun (analyse hors ligne)'}")
    print(f"Moteur d'analyse par défaut : {st.default_engine}")
    print(f"Modèle d'analyse : {st.extraction_model}")
    print(f"Modèle de rédaction : {st.drafting_model}")
    print(f"Budget de jetons d'entrée par analyse : {_tokens(st.input_budget)}")
    return EXIT_OK


def cmd_usage(args: argparse.Namespace) -> int:
    from app.services import claude as claude_service

    store = open_cli_store()
    try:
        summary = claude_service.usage_summary(store, args.consultation)
    finally:
        store.close()
    if args.format == "json":
        print(
            json.dumps(
                {
                    "consultation": args.consultation,
                    "calls": [asdict(row) for row in summary.rows],
                    "total": asdict(summary.total),
                    "month": asdict(summary.month),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    scope = f"consultation {args.consultation}" if args.consultation else "toutes les consultations"
    print(f"Consommation de Claude — {scope}")
    if not summary.rows:
        print("Aucun appel enregistré.")
    else:
        print(
            f"{'date (UTC)':<26}{'usage':<12}{'modèle':<22}{'entrée':>9}{'sortie':>9}{'cache +':>9}{'cache lu':>9}{'coût':>13}"
        )
        for r in summary.rows:
            print(
                f"{r.at:<26}{r.purpose:<12}{r.model:<22}{_tokens(r.input_tokens):>9}{_tokens(r.output_tokens):>9}"
                f"{_tokens(r.cache_write_tokens):>9}{_tokens(r.cache_read_tokens):>9}{_eur(r.cost_eur):>13}"
            )
    t = summary.total
    print(
        f"Total : {t.calls} appel(s), {_tokens(t.input_tokens)} jetons d'entrée, {_tokens(t.output_tokens)} de sortie, "
        f"{_tokens(t.cache_write_tokens)} écrits en cache, {_tokens(t.cache_read_tokens)} lus en cache — {_eur(t.cost_eur)}"
    )
    print(
        f"Dépense du mois en cours (toutes consultations) : {_eur(summary.month.cost_eur)} ({summary.month.calls} appel(s))"
    )
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    config = subparsers.add_parser("config", help="réglages : accès à Claude, clé API")
    actions = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser(
        "set-api-key", help="enregistrer votre clé API Anthropic (lue sur l'entrée standard)"
    ).set_defaults(func=cmd_set_api_key)
    actions.add_parser("delete-api-key", help="supprimer la clé API du trousseau").set_defaults(
        func=cmd_delete_api_key
    )
    mode = actions.add_parser("claude-mode", help="choisir l'accès à Claude : off, own_key ou account")
    mode.add_argument("mode", choices=["off", "own_key", "account"])
    mode.set_defaults(func=cmd_mode)
    actions.add_parser("claude-test", help="tester la connexion à Claude").set_defaults(func=cmd_test)
    actions.add_parser("show", help="afficher l'accès à Claude et les modèles").set_defaults(func=cmd_show)

    usage = subparsers.add_parser("usage", help="consommation de Claude (jetons et coût estimé)")
    usage.add_argument("--consultation", metavar="ID", help="une seule consultation (son identifiant)")
    usage.add_argument("--format", choices=["text", "json"], default="text")
    usage.set_defaults(func=cmd_usage)
