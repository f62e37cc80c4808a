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
    assert (
        "Attestation de vigilance URSSAF : expire le 10/12/2026, avant la date limite du 18/12/2026 : à renouveler."
        in (checklist.warnings)
    )
    # Insurance named as a reader says it, never by its internal code.
    assert not any("rc_pro" in w or "decennale" in w for w in checklist.warnings)
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
    assert visit[0].note.startswith("visite obligatoire")


def test_visit_note_gives_the_visit_date() -> None:
    checklist = build_checklist(
        analysis(site_visit=SiteVisit.MANDATORY, site_visit_date="2026-12-08T10:00:00+01:00"),
        example_profile(),
        on=date(2026, 12, 18),
        today=date(2026, 11, 26),
    )
    visit = next(i for i in checklist.items if i.document is RequiredDocument.ATTESTATION_VISITE)
    assert visit.note == "visite obligatoire : mardi 8 décembre 2026 à 10h00"


def test_missing_profile_data_is_to_provide() -> None:
    checklist = build_checklist(
        analysis(), example_profile(references=[], documents_administratifs=[]), on=date(2026, 12, 18)
    )
    status = {i.document: i.status for i in checklist.items}
    assert status[RequiredDocument.REFERENCES] is ItemStatus.A_FOURNIR
    assert status[RequiredDocument.KBIS] is ItemStatus.A_FOURNIR
