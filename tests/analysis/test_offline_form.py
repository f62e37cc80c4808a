"""Form of the contract (extension shown in the fiche): accord-cadre, bons de commande, tranches."""

from __future__ import annotations

from app.analysis.offline import analyze_offline
from tests.analysis.helpers import assert_evidence_honest, piece


def _form(*pages: str) -> str | None:
    pieces = [piece(*pages)]
    analysis = analyze_offline(pieces)
    assert_evidence_honest(analysis, pieces)
    return analysis.contract_form


def test_framework_agreement_with_orders_and_single_holder() -> None:
    assert (
        _form(
            "Objet : accord-cadre de maintenance des ascenseurs",
            "Les prestations sont exécutées par l'émission de bons de commande.\n"
            "L'accord-cadre sera conclu avec un seul opérateur économique.",
        )
        == "Accord-cadre à bons de commande, mono-attributaire"
    )


def test_framework_agreement_with_subsequent_contracts() -> None:
    assert (
        _form("L'accord-cadre multi-attributaire donnera lieu à des marchés subséquents.")
        == "Accord-cadre à marchés subséquents, multi-attributaire"
    )


def test_tranches() -> None:
    text = "Les travaux font l'objet d'une tranche ferme et de deux tranches optionnelles."
    assert _form(text) == "Marché à tranches : tranche ferme et 2 tranche(s) optionnelle(s)"
    numbered = (
        "Tranche ferme : gros œuvre.\nTranche optionnelle n° 1 : parking.\nTranche optionnelle n° 3 : voirie."
    )
    assert _form(numbered) == "Marché à tranches : tranche ferme et 3 tranche(s) optionnelle(s)"


def test_plain_contract_says_nothing() -> None:
    assert _form("Le marché a pour objet la fourniture de mobilier scolaire.") is None
