"""Checklist of pieces: generated here / to provide / provided, and expiry warnings."""

from __future__ import annotations

from datetime import date

from app.domain.analysis import SiteVisit
from app.domain.kinds import RequiredDocument
from app.drafting.checklist import ItemStatus, Part, build_checklist
from tests.drafting.builders import analysis, example_profile


def test_statuses_follow_what_the_company_has() -> None:
    checklist = build_checklist(
        analysis(), example_profile(), on=date(2026, 12, 18), today=date(2026, 11, 26)
    )
    status = {i.document: (i.part, i.status) for i in checklist.items}
    assert status[RequiredDocument.DC1] == (Part.CANDIDATURE, ItemStatus.GENEREE)
    assert status[RequiredDocument.MEMOIRE_TECHNIQUE] == (Part.OFFRE, ItemStatus.GENEREE)
    assert status[RequiredDocument.KBIS] == (Part.CANDIDATURE, ItemStatus.FOURNIE)
    assert status[RequiredDocument.DPGF] == (Part.OFFRE, ItemStatus.A_FOURNIR)
    # URSSAF expires on 10/12, before the deadline: to provide again.
    fiscal = next(i for i in checklist.items if i.document is RequiredDocument.ATTESTATIONS_FISCALES_SOCIALES)
    assert fiscal.status is ItemStatus.A_FOURNIR and "10/12/2026" in fiscal.note
    assert [i.part for i in checklist.items] == sorted(
        (i.part for i in checklist.items), key=lambda p: p is Part.OFFRE
    )
    assert any("URSSAF" in w and "expirée à la date limite" in w for w in checklist.warnings)
    assert any("Qualibat 1552" in w and "expire bientôt" in w for w in checklist.warnings)


def test_mandatory_visit_adds_the_attestation() -> None:
    checklist = build_checklist(
        analysis(site_visit=SiteVisit.MANDATORY),
        example_profile(),
        on=date(2026, 12, 18),
        today=date(2026, 11, 26),
    )
    visit = [i for i in checklist.items if i.document is RequiredDocument.ATTESTATION_VISITE]
    assert len(visit) == 1 and visit[0].status is ItemStatus.A_FOURNIR and visit[0].part is Part.OFFRE


def test_missing_profile_data_is_to_provide() -> None:
    checklist = build_checklist(
        analysis(), example_profile(references=[], documents_administratifs=[]), on=date(2026, 12, 18)
    )
    status = {i.document: i.status for i in checklist.items}
    assert status[RequiredDocument.REFERENCES] is ItemStatus.A_FOURNIR
    assert status[RequiredDocument.KBIS] is ItemStatus.A_FOURNIR
