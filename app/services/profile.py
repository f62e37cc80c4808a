"""Company profile use cases shared by the CLI and the desktop app: read a profile file (errors name
the field and the reason in French), load and save it in the store, what is about to expire."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.domain.errors import InvalidInput
from app.domain.profile import CompanyProfile
from app.drafting.expiry import EXPIRY_NOTICE_DAYS, ExpiringDocument, expiring_documents
from local_store import repo_profile
from local_store.repo_profile import SaveResult
from local_store.store import Store

# French names of the fields a user sees in error messages ("certifications[2].valid_to").
_FIELD_LABELS = {
    "raison_sociale": "raison sociale",
    "nom_commercial": "nom commercial",
    "siret": "SIRET",
    "forme_juridique": "forme juridique",
    "code_naf": "code NAF",
    "chiffre_affaires": "chiffre d'affaires",
    "montant_ht": "montant HT",
    "annee": "année",
    "valid_to": "valide jusqu'au",
    "valid_from": "valide depuis",
    "expires_on": "date d'expiration",
    "issued_on": "date de délivrance",
    "valid_until": "valide jusqu'au",
    "moyens_humains": "moyens humains",
    "moyens_materiels": "moyens matériels",
    "documents_administratifs": "documents administratifs",
}

_REASONS = {
    "missing": "champ obligatoire absent",
    "string_type": "texte attendu",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu (sans décimales)",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu",
    "bool_type": "vrai ou faux attendu (true/false)",
    "bool_parsing": "vrai ou faux attendu (true/false)",
    "date_type": "date attendue au format AAAA-MM-JJ",
    "date_parsing": "date attendue au format AAAA-MM-JJ",
    "date_from_datetime_parsing": "date attendue au format AAAA-MM-JJ",
    "date_from_datetime_inexact": "date attendue sans heure (AAAA-MM-JJ)",
    "list_type": "liste attendue",
    "dict_type": "objet attendu",
    "model_type": "objet attendu",
    "model_attributes_type": "objet attendu",
}


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"  # people count from 1
        else:
            out += ("." if out else "") + _FIELD_LABELS.get(part, part)
    return out or "profil"


def _reason(error: Any) -> str:
    kind = error.get("type", "")
    if kind == "value_error":
        # Our own validators already speak French (e.g. the SIRET check).
        ctx = error.get("ctx") or {}
        return str(ctx.get("error") or error.get("msg", "valeur invalide"))
    if kind == "enum":
        expected = (error.get("ctx") or {}).get("expected", "")
        return f"valeur non reconnue (attendu : {expected})"
    return _REASONS.get(kind, f"valeur invalide ({error.get('msg', kind)})")


def invalid_from(exc: ValidationError) -> InvalidInput:
    """The first problem of a pydantic error, as an InvalidInput (exit 4) with a French reason."""
    errors = exc.errors()
    first = errors[0]
    more = f" (et {len(errors) - 1} autre(s) problème(s))" if len(errors) > 1 else ""
    return InvalidInput(_reason(first) + more, field=_field_path(tuple(first.get("loc", ()))))


def parse_profile_json(text: str) -> CompanyProfile:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"JSON illisible ligne {exc.lineno}, colonne {exc.colno}.", field="fichier"
        ) from None
    if not isinstance(raw, dict):
        raise InvalidInput("un objet JSON est attendu ({ … }).", field="fichier")
    try:
        return CompanyProfile.model_validate(raw)
    except ValidationError as exc:
        raise invalid_from(exc) from None


def read_profile_file(path: Path) -> CompanyProfile:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"fichier introuvable : {path}", field="fichier") from None
    except UnicodeDecodeError:
        raise InvalidInput("le fichier doit être du JSON encodé en UTF-8.", field="fichier") from None
    except OSError as exc:
        raise InvalidInput(f"lecture impossible ({exc.strerror}).", field="fichier") from None
    return parse_profile_json(text)


def profile_json(profile: CompanyProfile) -> str:
    """The profile in the same JSON format `profile import` reads."""
    return json.dumps(profile.model_dump(mode="json"), ensure_ascii=False, indent=2)


def load(store: Store) -> CompanyProfile | None:
    return repo_profile.load_profile(store)


def save(store: Store, profile: CompanyProfile) -> SaveResult:
    return repo_profile.save_profile(store, profile)


def import_file(store: Store, path: Path) -> SaveResult:
    return save(store, read_profile_file(path))


def expiring(
    store: Store, *, within_days: int = EXPIRY_NOTICE_DAYS, today: date | None = None
) -> list[ExpiringDocument]:
    """Documents, insurance certificates and certifications expired or expiring within `within_days`:
    the same list (same labels, same window) the go/no-go and the export give."""
    today = today or date.today()
    company = repo_profile.load_profile(store)
    if company is None:
        return []
    found = expiring_documents(company, on=today, today=today, within_days=within_days)
    return sorted(found, key=lambda e: e.expires_on)


def warnings(profile: CompanyProfile, *, today: date | None = None) -> list[str]:
    """What a buyer would notice (valid profile, but incomplete or out of date)."""
    today = today or date.today()
    found: list[str] = []
    if len(profile.chiffre_affaires) < 3:
        found.append(
            f"chiffre d'affaires : {len(profile.chiffre_affaires)} exercice(s) renseigné(s) ; "
            "les acheteurs demandent souvent les 3 derniers."
        )
    if profile.signataire is None:
        found.append("signataire : absent (nécessaire pour le DC1).")
    for cert in profile.certifications:
        if cert.valid_to and cert.valid_to < today:
            found.append(f"certification « {cert.name} » : expirée le {cert.valid_to:%d/%m/%Y}.")
    for doc in profile.documents_administratifs:
        if doc.expires_on and doc.expires_on < today:
            found.append(f"document « {doc.label} » : expiré le {doc.expires_on:%d/%m/%Y}.")
    for ins in profile.assurances:
        if ins.valid_until and ins.valid_until < today:
            found.append(
                f"assurance {ins.assureur} ({ins.kind.value}) : expirée le {ins.valid_until:%d/%m/%Y}."
            )
    return found
