"""SIRET checks: Luhn on the SIRET and its SIREN, La Poste's exception, typing habits."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.domain.profile import CompanyProfile
from app.domain.siret import is_valid_siret, siret_error


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000074",  # Luhn-valid SIRET of a Luhn-valid SIREN
        "732 829 320 00074",  # typed with spaces
        "732.829.320.00074",
        "35600000000048",  # La Poste's head office (passes Luhn too)
        "35600000049837",  # a La Poste establishment: fails Luhn, digit sum 50
        "35600000000001",  # digit sum 15
    ],
)
def test_valid(siret: str) -> None:
    assert siret_error(siret) is None
    assert is_valid_siret(siret)


@pytest.mark.parametrize(
    ("siret", "reason"),
    [
        ("", "vide"),
        ("7328293200007A", "chiffres"),
        ("7328293200007", "14 chiffres (saisis : 13)"),
        ("732829320000740", "14 chiffres (saisis : 15)"),
        ("73282932000075", "clé de contrôle"),  # last digit mistyped
        ("12345678900007", "SIREN"),  # SIRET passes Luhn, its SIREN does not
        ("35600000000002", "La Poste"),  # digit sum 16, not Luhn either
    ],
)
def test_invalid_with_french_reason(siret: str, reason: str) -> None:
    error = siret_error(siret)
    assert error is not None and reason in error
    assert not is_valid_siret(siret)


def test_profile_normalizes_and_rejects() -> None:
    profile = CompanyProfile(raison_sociale="Exemple", siret="732 829 320 00074")
    assert profile.siret == "73282932000074"
    with pytest.raises(ValidationError) as info:
        CompanyProfile(raison_sociale="Exemple", siret="73282932000075")
    assert "clé de contrôle" in str(info.value)
