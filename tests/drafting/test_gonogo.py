"""Go / no-go against the company profile: each check with its status and the page it was read on."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.analysis import SiteVisit
from app.domain.kinds import PieceKind
from app.domain.profile import Certification
from app.drafting.gonogo import PARIS, CheckStatus, Verdict, evaluate
from tests.drafting.builders import analysis, cctp, example_profile, piece, rc

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)


def _check(result, label_start: str):  # type: ignore[no-untyped-def]
    return next(c for c in result.checks if c.label.startswith(label_start))


def test_the_example_company_can_answer_with_sources() -> None:
    result = evaluate(analysis(), [rc(), cctp()], example_profile(), now=NOW)
    cert = _check(result, "Certification Qualibat 2112")
    assert cert.status is CheckStatus.OK and (cert.file, cert.page) == ("RC.pdf", 2)
    turnover = _check(result, "Chiffre d'affaires minimum")
    assert turnover.status is CheckStatus.OK and "2 000 000" in turnover.detail.replace("\u202f", " ")
    assert _check(result, "Date limite").detail.startswith("22 jours restants")
    assert _check(result, "Assurance décennale").status is CheckStatus.OK  # works: décennale checked
    assert result.days_left == 22
    # The URSSAF attestation expires before the deadline: answer, but renew it first.
    assert result.verdict is Verdict.GO_SOUS_RESERVE
    assert any("URSSAF" in r for r in result.reasons)


def test_missing_certification_without_equivalence_blocks() -> None:
    strict = piece("RC.pdf", PieceKind.RC, "Le candidat doit détenir la certification MASE.")
    result = evaluate(analysis(), [strict], example_profile(), now=NOW)
    mase = _check(result, "Certification MASE")
    assert mase.status is CheckStatus.BLOQUANT and mase.page == 1
    assert result.verdict is Verdict.NO_GO


def test_or_equivalent_turns_a_missing_certification_into_a_point_to_check() -> None:
    lenient = piece("RC.pdf", PieceKind.RC, "Certification MASE ou équivalent exigée.")
    assert _check(
        evaluate(analysis(), [lenient], example_profile(), now=NOW), "Certification MASE"
    ).status is (CheckStatus.A_VERIFIER)


def test_certification_expired_at_the_deadline_is_not_valid() -> None:
    profile = example_profile()
    profile.certifications = [
        Certification(name="Qualibat 2112 - Maçonnerie", valid_to=date(2026, 12, 1))  # deadline 18/12
    ]
    strict = piece("RC.pdf", PieceKind.RC, "Qualification Qualibat 2112 exigée.")
    check = _check(evaluate(analysis(), [strict], profile, now=NOW), "Certification Qualibat 2112")
    assert check.status is CheckStatus.BLOQUANT and "01/12/2026" in check.detail


def test_turnover_below_the_minimum_blocks() -> None:
    result = evaluate(
        analysis(), [rc()], example_profile(chiffre_affaires=[{"annee": 2025, "montant_ht": 900000}]), now=NOW
    )
    assert _check(result, "Chiffre d'affaires minimum").status is CheckStatus.BLOQUANT


def test_passed_mandatory_visit_and_passed_deadline_block() -> None:
    a = analysis(site_visit=SiteVisit.MANDATORY, site_visit_date="2026-11-20T10:00:00+01:00")
    result = evaluate(a, [rc()], example_profile(), now=NOW)
    visit = _check(result, "Visite")
    assert visit.status is CheckStatus.BLOQUANT and (visit.file, visit.page) == ("RC.pdf", 2)
    late = evaluate(analysis(deadline="2026-11-20T12:00:00+01:00"), [rc()], example_profile(), now=NOW)
    assert _check(late, "Date limite").status is CheckStatus.BLOQUANT
    assert late.verdict is Verdict.NO_GO


def test_works_without_decennale_block() -> None:
    profile = example_profile(assurances=[{"kind": "rc_pro", "assureur": "X"}])
    result = evaluate(analysis(), [rc()], profile, now=NOW)
    assert _check(result, "Assurance décennale").status is CheckStatus.BLOQUANT
    services = evaluate(analysis(object="Maintenance du parc informatique"), [], profile, now=NOW)
    assert not any(c.label == "Assurance décennale" for c in services.checks)


def test_similar_references_are_found_by_the_words_of_the_object() -> None:
    check = _check(evaluate(analysis(), [], example_profile(), now=NOW), "Références similaires")
    assert check.status is CheckStatus.OK
    assert "Commune de Coupvray" in check.detail and "Département de Seine-et-Marne" in check.detail
    none = evaluate(analysis(object="Fourniture de denrées alimentaires"), [], example_profile(), now=NOW)
    assert _check(none, "Références similaires").status is CheckStatus.A_VERIFIER


@pytest.mark.parametrize(
    ("sentence", "minimum"),
    [
        ("Chiffre d'affaires minimum exigé : 500 000 € HT.", "500 000"),
        ("Les candidats justifient d'un chiffre d'affaires annuel au moins égal à 1,5 M€.", "1 500 000"),
        ("Chiffre d’affaires global supérieur à 800 k€ sur chacun des trois derniers exercices.", "800 000"),
    ],
)
def test_minimum_turnover_wordings(sentence: str, minimum: str) -> None:
    result = evaluate(analysis(), [piece("RC.pdf", PieceKind.RC, sentence)], example_profile(), now=NOW)
    check = _check(result, "Chiffre d'affaires minimum")
    assert f"minimum {minimum} €" in check.detail.replace("\u202f", " ")


def test_minimum_staff() -> None:
    strict = piece("RC.pdf", PieceKind.RC, "Effectif minimum de 50 salariés exigé.")
    check = _check(evaluate(analysis(), [strict], example_profile(), now=NOW), "Effectif minimum")
    assert check.status is CheckStatus.BLOQUANT and check.detail == "minimum 50, effectif 38"


def test_similar_references_by_cpv_code() -> None:
    from app.drafting.gonogo import similar_references

    rc_with_cpv = piece(
        "RC.pdf",
        PieceKind.RC,
        "Classification CPV : 45214200-2 Travaux de construction de bâtiments scolaires.",
    )
    a = analysis(object="Opération Zéphyr")  # no word in common with any reference
    profile = example_profile()
    found = similar_references(a, [rc_with_cpv], profile)
    # 452… : the school works (45214200) and the college (45214220), plus other building works in 452.
    assert 0 in found and 4 in found
    assert similar_references(a, [], profile) == []


def test_documents_to_renew_make_one_reason_and_cite_no_dce_page() -> None:
    """The dates come from the company's profile: a validity row points at no page of the RC, and the
    verdict names the documents to renew once, not one sentence per document."""
    profile = example_profile()
    soon = date(2026, 12, 10)
    for doc in profile.documents_administratifs[:2]:
        doc.expires_on = soon
    result = evaluate(analysis(), [rc(), cctp()], profile, now=NOW)
    rows = [c for c in result.checks if c.label.startswith("Validité : ")]
    assert len(rows) >= 2
    assert all(c.file is None and c.page is None and c.source == "" for c in rows)
    renew = [r for r in result.reasons if r.startswith("Documents à renouveler : ")]
    assert len(renew) == 1
    for c in rows:
        assert c.label.removeprefix("Validité : ") in renew[0]
    assert not any(r.startswith("Validité : ") for r in result.reasons)
