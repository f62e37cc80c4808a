"""One French label for every enum of app.domain (issue 16: no internal code shown to a user)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from enum import Enum

import app.domain
from app.domain.labels import ENUM_LABELS, ConsultationStatus, label, parse_status, short_piece_label


def _domain_enums() -> list[type[Enum]]:
    found: dict[str, type[Enum]] = {}
    for info in pkgutil.iter_modules(app.domain.__path__):
        module = importlib.import_module(f"app.domain.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Enum) and obj.__module__.startswith("app.domain") and obj is not Enum:
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return list(found.values())


def test_every_enum_of_app_domain_has_a_french_label_for_each_value() -> None:
    enums = _domain_enums()
    assert len(enums) >= 9
    missing = [
        f"{e.__name__}.{m.name}" for e in enums for m in e if e not in ENUM_LABELS or m not in ENUM_LABELS[e]
    ]
    assert not missing, f"enum values without a French label: {missing}"
    for e in enums:
        for m in e:
            text = label(m)
            assert text.strip() and "_" not in text, (e, m)  # abbreviations (RC, DUME, RIB) may stay


def test_labels_of_codes_as_stored() -> None:
    assert label("a_analyser") == "À analyser"
    assert label("CADRE_REPONSE") == "Cadre de réponse technique"
    assert label("rc_pro") == "Responsabilité civile professionnelle"
    assert label("attestation_urssaf") == "Attestation URSSAF"
    assert label(None) == "—"
    assert short_piece_label("AUTRE") == "Autre pièce"


def test_status_is_read_from_its_label_or_its_code() -> None:
    assert parse_status("Déposée") is ConsultationStatus.DEPOSEE
    assert parse_status("deposee") is ConsultationStatus.DEPOSEE
    assert parse_status("en cours") is ConsultationStatus.EN_COURS
    assert parse_status("À ANALYSER") is ConsultationStatus.A_ANALYSER
    for bad in ("", "envoyée"):
        try:
            parse_status(bad)
        except ValueError:
            continue
        raise AssertionError(bad)
