"""SIRET / SIREN checks (Luhn, with La Poste's exception)."""

from __future__ import annotations

LA_POSTE_SIREN = "356000000"


def normalize(value: str) -> str:
    """Digits only: users type SIRETs with spaces or dots ("123 456 789 00012")."""
    return "".join(ch for ch in value if not ch.isspace() and ch not in ".-")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def siret_error(value: str) -> str | None:
    """None when `value` is a valid SIRET, else the reason in French."""
    digits = normalize(value)
    if not digits:
        return "Le SIRET est vide."
    if not digits.isdigit():
        return "Le SIRET ne doit contenir que des chiffres."
    if len(digits) != 14:
        return f"Le SIRET doit comporter 14 chiffres (saisis : {len(digits)})."
    if digits.startswith(LA_POSTE_SIREN):
        # La Poste's establishments do not follow Luhn: their digit sum is a multiple of 5
        # (the head office, 356 000 000 00048, does pass Luhn).
        if sum(int(c) for c in digits) % 5 == 0 or luhn_ok(digits):
            return None
        return "Ce SIRET de La Poste est invalide (la somme des chiffres doit être un multiple de 5)."
    if not luhn_ok(digits):
        return "Ce SIRET est invalide (clé de contrôle incorrecte) : vérifiez la saisie."
    if not luhn_ok(digits[:9]):
        return "Le SIREN (9 premiers chiffres) est invalide : vérifiez la saisie."
    return None


def is_valid_siret(value: str) -> bool:
    return siret_error(value) is None
