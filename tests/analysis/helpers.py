"""Small builders for synthetic DCE pieces (page texts as an extractor would print them)."""

from __future__ import annotations

import hashlib

from app.domain.analysis import Analysis
from app.domain.document import PageText, PieceText
from app.domain.kinds import PieceKind


def piece(*pages: str, kind: PieceKind = PieceKind.RC, path: str = "RC.pdf", paged: bool = True) -> PieceText:
    text = "\f".join(pages).encode()
    return PieceText(
        path=path,
        kind=kind,
        sha256=hashlib.sha256(text).hexdigest(),
        size=len(text),
        pages=[PageText(number=i, text=t) for i, t in enumerate(pages, start=1)],
        paged=paged,
    )


def squashed(text: str) -> str:
    return " ".join(text.split())


def assert_evidence_honest(analysis: Analysis, pieces: list[PieceText]) -> None:
    """Every quote appears (whitespace-normalised) on the page it cites."""
    by_path = {p.path: p for p in pieces}
    quotes = list(analysis.evidence.items()) + [
        (f"criteria[{c.name}]", c.evidence) for c in analysis.criteria if c.evidence is not None
    ]
    for field, evidence in quotes:
        assert evidence is not None
        source = by_path[evidence.file]
        if evidence.page is None and evidence.quote == source.name:
            continue  # read from the file's name (a reference written in every file name)
        if evidence.page is None:
            assert not source.paged, field
            text = squashed(source.full_text())
        else:
            page = source.page(evidence.page)
            assert page is not None, field
            text = squashed(page.text)
        assert evidence.quote, field
        assert squashed(evidence.quote) in text, (
            f"{field}: {evidence.quote!r} not on {evidence.file} p.{evidence.page}"
        )


def assert_contract_valid(data: dict[str, object]) -> None:
    """The JSON matches ../shared/contracts/analysis.schema.json; the test is skipped, saying why, when
    the schema is not beside the repository (jsonschema-rs is a declared test dependency)."""
    import json
    from pathlib import Path

    import jsonschema_rs
    import pytest

    schema_path = (
        Path(__file__).resolve().parents[2] / ".." / "shared" / "contracts" / "analysis.schema.json"
    ).resolve()
    if not schema_path.exists():
        pytest.skip(f"analysis contract schema missing ({schema_path}): the JSON output is not checked")
    validator = jsonschema_rs.validator_for(json.loads(schema_path.read_text(encoding="utf-8")))
    errors = [str(e) for e in validator.iter_errors(data)]
    assert not errors, errors
