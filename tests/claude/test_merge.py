"""Hybrid merge: offline first; Claude fills gaps and replaces only unverified offline values."""

from __future__ import annotations

from app.analysis.claude.merge import merge, missing_fields
from app.domain.analysis import Analysis, Engine, Evidence


def _ev(engine: Engine, verified: bool = True) -> Evidence:
    return Evidence(file="RC.pdf", page=1, quote="citation", verified=verified, engine=engine)


def test_merge_rules() -> None:
    offline = Analysis(
        buyer="Ville de A",
        deadline="2025-04-18T12:00:00+02:00",
        offer_validity_days=90,
        evidence={
            "buyer": _ev(Engine.OFFLINE),
            "deadline": _ev(Engine.OFFLINE),
            "offer_validity_days": _ev(Engine.OFFLINE, verified=False),
        },
        fiche="ancienne fiche",
    )
    claude = Analysis(
        buyer="Ville de B",  # verified offline value: stays
        deadline="2025-05-01T12:00:00+02:00",  # unverified Claude value: never overrides
        offer_validity_days=120,  # verified Claude value over an unverified offline one
        memoire_page_limit=15,  # a gap: filled even though unverified, and flagged
        evidence={
            "buyer": _ev(Engine.CLAUDE),
            "deadline": _ev(Engine.CLAUDE, verified=False),
            "offer_validity_days": _ev(Engine.CLAUDE),
            "memoire_page_limit": _ev(Engine.CLAUDE, verified=False),
        },
    )
    assert set(missing_fields(offline)) >= {"offer_validity_days", "memoire_page_limit", "criteria"}
    assert "buyer" not in missing_fields(offline)
    merged = merge(offline, claude)
    assert merged.engine == "hybrid" and merged.fiche is None
    assert merged.buyer == "Ville de A" and merged.evidence["buyer"].engine == Engine.OFFLINE
    assert merged.deadline == "2025-04-18T12:00:00+02:00"
    assert merged.evidence["deadline"].engine == Engine.OFFLINE
    assert (
        merged.offer_validity_days == 120 and merged.evidence["offer_validity_days"].engine == Engine.CLAUDE
    )
    assert merged.memoire_page_limit == 15
    assert merged.evidence["memoire_page_limit"].verified is False
    assert merged.evidence["memoire_page_limit"].engine == Engine.CLAUDE
