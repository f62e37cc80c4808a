"""Hybrid merge: the offline result first, Claude for what is missing, doubtful or unverified.

A Claude value whose quote was not found on its page ("non vérifié") fills a gap but never replaces
a verified offline value; each field's Evidence.engine says which engine found it.
"""

from __future__ import annotations

from typing import Any

from app.domain.analysis import EVIDENCED_FIELDS, Analysis, Confidence, Evidence

HYBRID = "hybrid"


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == ""


def missing_fields(offline: Analysis) -> list[str]:
    """Fields Claude should look at: empty, found with low confidence (à vérifier), or with
    evidence the grounding check rejected."""
    out = []
    for name in EVIDENCED_FIELDS:
        value = getattr(offline, name)
        evidence = offline.evidence.get(name)
        if _empty(value) or offline.doubtful(name) or (evidence is not None and not evidence.verified):
            out.append(name)
    return out


def merge(offline: Analysis, claude: Analysis) -> Analysis:
    result = offline.model_copy(deep=True)
    result.engine = HYBRID
    result.fiche = None  # the offline fiche no longer matches: re-rendered from the merged values
    for name in EVIDENCED_FIELDS:
        mine = getattr(offline, name)
        theirs = getattr(claude, name)
        if _empty(theirs):
            continue
        mine_ev: Evidence | None = offline.evidence.get(name)
        theirs_ev: Evidence | None = claude.evidence.get(name)
        theirs_ok = theirs_ev is not None and theirs_ev.verified
        doubtful = offline.doubtful(name) or (mine_ev is not None and not mine_ev.verified)
        take = _empty(mine) or (doubtful and theirs_ok)
        if not take:
            continue
        setattr(result, name, theirs)
        # A verified Claude value replaces a doubtful one: no longer à vérifier.
        result.confidence[name] = claude.confidence.get(
            name, Confidence.HIGH if theirs_ok else Confidence.LOW
        )
        if theirs_ev is not None:
            result.evidence[name] = theirs_ev
        else:
            result.evidence.pop(name, None)
        if name == "site_visit" and claude.site_visit_date:
            result.site_visit_date = claude.site_visit_date
    # Extensions without their own evidence: fill gaps only.
    for name in ("site_visit_date", "pse_allowed"):
        if _empty(getattr(result, name)) and not _empty(getattr(claude, name)):
            setattr(result, name, getattr(claude, name))
    return result
