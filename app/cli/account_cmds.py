"""`maitre-ao login|logout|sync|conflicts|account`: the account and the sync with other devices.

The password is typed at the terminal (hidden) or read from stdin, never taken from an argument
(arguments end up in shell history and process lists). Tokens go to the OS keychain only.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.store_cmds import open_cli_store, read_secret
from app.domain.errors import EXIT_OK, UsageError
from app.services import account
from app.settings import ACCOUNT_EMAIL, ACCOUNT_SERVER_URL, Settings


def cmd_login(args: argparse.Namespace) -> int:
    settings = Settings.load()
    server = args.server or settings.get(ACCOUNT_SERVER_URL)
    if not server:
        raise UsageError("indiquez l'adresse du service : maitre-ao login --server URL --email ADRESSE")
    store = open_cli_store()
    try:
        password = read_secret("Mot de passe du compte Maître AO : ")
        email = account.login(store, server, args.email, password)
        notice = account.pending_policy(store)
    finally:
        store.close()
    settings.set(ACCOUNT_SERVER_URL, server)  # the default for the next login
    settings.set(ACCOUNT_EMAIL, email)
    print(f"Connecté au compte {email} ({server}).")
    print("Synchronisez avec : maitre-ao sync")
    _print_policy(notice)
    return EXIT_OK


def _print_policy(notice: account.PolicyNotice | None) -> None:
    if notice is None:
        return
    print()
    print(notice.text())
    print("Pour indiquer que vous en avez pris connaissance : maitre-ao policy accept")


def cmd_policy(args: argparse.Namespace) -> int:
    store = open_cli_store()
    try:
        notice = account.pending_policy(store)
        if notice is None:
            print("Vous avez pris connaissance de la politique de confidentialité en vigueur.")
            return EXIT_OK
        if args.policy_command == "show":
            _print_policy(notice)
            return EXIT_OK
        account.acknowledge_policy(store)
    finally:
        store.close()
    print(f"Politique de confidentialité du {notice.version} : prise de connaissance enregistrée.")
    return EXIT_OK


def cmd_logout(args: argparse.Namespace) -> int:
    store = open_cli_store()
    try:
        account.logout(store)
    finally:
        store.close()
    print("Déconnecté. Vos données restent sur cet ordinateur.")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    store = open_cli_store()
    try:
        if args.status:
            st = account.status(store)
            print(f"Compte : {st.email or '—'} ({st.server_url or 'non connecté'})")
            print(f"Connecté : {'oui' if st.logged_in else 'non'}")
            print(f"Dernière synchronisation : {st.last_sync or 'jamais'}")
            print(f"À envoyer : {st.to_send}   Gardés sur cet ordinateur : {st.held_back}")
            print(f"Conflits à départager : {st.open_conflicts}")
            return EXIT_OK
        summary = account.sync_now(store)
        notice = account.pending_policy(store)
    finally:
        store.close()
    for line in account.describe(summary):
        print(line)
    _print_policy(notice)
    return EXIT_OK


def cmd_conflicts(args: argparse.Namespace) -> int:
    store = open_cli_store()
    try:
        if args.resolve is not None:
            account.resolve_conflict(store, args.resolve, args.keep)
            print(f"Conflit n° {args.resolve} réglé (version gardée : {args.keep}).")
            return EXIT_OK
        conflicts = account.list_conflicts(store)
    finally:
        store.close()
    if not conflicts:
        print("Aucun conflit à départager.")
    for c in conflicts:
        label = c.local_data.get("title") or c.local_data.get("raison_sociale") or c.record_uuid
        server = "supprimé ailleurs" if c.server_data is None else "modifié ailleurs"
        print(f"n° {c.id}  {c.table_name}  « {label} »  ({server}, le {c.created_at[:16]})")
    return EXIT_OK


def cmd_account_delete(args: argparse.Namespace) -> int:
    if not args.yes:
        raise UsageError(
            "la suppression du compte est définitive : relancez avec --yes pour confirmer "
            "(et --wipe-local pour effacer aussi les données de cet ordinateur)."
        )
    store = open_cli_store()
    try:
        password = read_secret("Mot de passe du compte Maître AO (confirmation) : ")
        account.delete_account(store, password=password, wipe_local=args.wipe_local)
    except BaseException:
        store.close()
        raise
    if not args.wipe_local:
        store.close()
    print("Compte supprimé sur le serveur, avec toutes les données synchronisées.")
    if args.wipe_local:
        print("Les données de cet ordinateur ont été effacées.")
    return EXIT_OK


def register(subparsers: Any) -> None:
    login = subparsers.add_parser(
        "login", help="se connecter au compte Maître AO (mot de passe au terminal ou sur stdin)"
    )
    login.add_argument("--server", metavar="URL", help="adresse du service (https://…)")
    login.add_argument("--email", metavar="ADRESSE", required=True)
    login.set_defaults(func=cmd_login)

    subparsers.add_parser("logout", help="se déconnecter (les données restent ici)").set_defaults(
        func=cmd_logout
    )

    sync = subparsers.add_parser(
        "sync", help="synchroniser maintenant et afficher ce qui a été envoyé et reçu"
    )
    sync.add_argument("--status", action="store_true", help="afficher l'état sans synchroniser")
    sync.set_defaults(func=cmd_sync)

    conflicts = subparsers.add_parser(
        "conflicts", help="lister ou départager les conflits de synchronisation"
    )
    conflicts.add_argument("--resolve", type=int, metavar="N", help="départager le conflit n° N")
    conflicts.add_argument(
        "--keep", choices=("local", "server"), default="server", help="version à garder (défaut : server)"
    )
    conflicts.set_defaults(func=cmd_conflicts)

    pol = subparsers.add_parser("policy", help="politique de confidentialité : nouvelle version à lire")
    pol_actions = pol.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    pol_actions.add_parser("show", help="afficher la nouvelle version et ses changements").set_defaults(
        func=cmd_policy
    )
    pol_actions.add_parser("accept", help="indiquer en avoir pris connaissance").set_defaults(func=cmd_policy)

    acct = subparsers.add_parser("account", help="compte Maître AO")
    actions = acct.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    delete = actions.add_parser("delete", help="Supprimer mon compte (effacement sur le serveur)")
    delete.add_argument("--yes", action="store_true", help="confirmer la suppression définitive")
    delete.add_argument(
        "--wipe-local", action="store_true", help="effacer aussi les données de cet ordinateur"
    )
    delete.set_defaults(func=cmd_account_delete)
