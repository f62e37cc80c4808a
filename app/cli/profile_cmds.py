"""`maitre-ao profile import FILE.json | show [--format json] | validate FILE.json`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.store_cmds import open_cli_store
from app.domain.errors import EXIT_OK, NotReady
from app.domain.profile import CompanyProfile
from app.services import profile as profile_service


def _summary(profile: CompanyProfile) -> str:
    return (
        f"{profile.raison_sociale} (SIRET {profile.siret}) : {len(profile.certifications)} certification(s), "
        f"{len(profile.references)} référence(s), {len(profile.moyens_humains)} moyen(s) humain(s), "
        f"{len(profile.moyens_materiels)} moyen(s) matériel(s), "
        f"{len(profile.documents_administratifs)} document(s) administratif(s)"
    )


def _print_warnings(profile: CompanyProfile) -> None:
    for warning in profile_service.warnings(profile):
        print(f"  Attention — {warning}")


def cmd_import(args: argparse.Namespace) -> int:
    profile = profile_service.read_profile_file(Path(args.file))  # exit 4 before opening anything
    store = open_cli_store()
    try:
        result = profile_service.save(store, profile)
    finally:
        store.close()
    print(f"Profil importé : {_summary(result.profile)}")
    print(f"{result.changed} enregistrement(s) ajouté(s) ou modifié(s).")
    _print_warnings(result.profile)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    store = open_cli_store()
    try:
        profile = profile_service.load(store)
        expiring = profile_service.expiring(store) if profile else []
    finally:
        store.close()
    if profile is None:
        raise NotReady(
            "Aucun profil d'entreprise enregistré. Importez-en un : maitre-ao profile import FICHIER.json"
        )
    if args.format == "json":
        print(profile_service.profile_json(profile))
        return EXIT_OK
    print(_summary(profile))
    address = profile.adresse.one_line()
    if address:
        print(f"Adresse : {address}")
    for turnover in profile.last_turnovers():
        print(f"CA {turnover.annee} : {turnover.montant_ht:,.0f} € HT".replace(",", " "))
    if profile.signataire:
        print(f"Signataire : {profile.signataire.name}, {profile.signataire.role}")
    for item in expiring:
        print(f"  « {item.label} » : fin de validité le {item.expires_on:%d/%m/%Y}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    profile = profile_service.read_profile_file(Path(args.file))
    print(f"Profil valide : {_summary(profile)}")
    _print_warnings(profile)
    return EXIT_OK


def cmd_attach(args: argparse.Namespace) -> int:
    """Keep the file (PDF, PNG, JPEG) of an administrative document in the encrypted store."""
    from app.domain.errors import InvalidInput
    from app.services import documents

    store = open_cli_store()
    try:
        profile = profile_service.load(store)
        docs = profile.documents_administratifs if profile else []
        wanted = args.document.casefold()
        matches = [d for d in docs if d.uuid == args.document or wanted in d.label.casefold()]
        if len(matches) != 1:
            names = ", ".join(f"« {d.label} »" for d in docs) or "aucun"
            raise InvalidInput(
                f"document « {args.document} » {'ambigu' if matches else 'introuvable'} (documents : {names}).",
                field="DOCUMENT",
            )
        doc = matches[0]
        assert doc.uuid is not None
        documents.attach_file(store, doc.uuid, Path(args.file))
        expiry = f", valable jusqu'au {doc.expires_on:%d/%m/%Y}" if doc.expires_on else ""
        print(f"Fichier {Path(args.file).name} rangé dans le coffre pour « {doc.label} »{expiry}.")
    finally:
        store.close()
    return EXIT_OK


def register(subparsers: Any) -> None:
    profile = subparsers.add_parser("profile", help="profil de l'entreprise (identité, références, moyens…)")
    actions = profile.add_subparsers(dest="profile_command", metavar="ACTION", required=True)

    imp = actions.add_parser("import", help="enregistrer le profil lu dans un fichier JSON")
    imp.add_argument("file", metavar="FICHIER.json")
    imp.set_defaults(func=cmd_import)

    show = actions.add_parser("show", help="afficher le profil enregistré")
    show.add_argument("--format", choices=("text", "json"), default="text", help="json : le format d'import")
    show.set_defaults(func=cmd_show)

    validate = actions.add_parser("validate", help="vérifier un fichier de profil sans l'enregistrer")
    validate.add_argument("file", metavar="FICHIER.json")
    validate.set_defaults(func=cmd_validate)

    attach = actions.add_parser("attach", help="ranger le fichier d'un document administratif dans le coffre")
    attach.add_argument("document", metavar="DOCUMENT", help="libellé (ou début) ou identifiant du document")
    attach.add_argument("file", metavar="FICHIER", help="PDF, PNG ou JPEG")
    attach.set_defaults(func=cmd_attach)
