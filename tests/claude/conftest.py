"""Fixtures for the Claude engine: the loopback Messages API server, credentials, DCE pieces."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest

from app.analysis.claude import retry
from app.domain.document import PageText, PieceText
from app.domain.kinds import PieceKind
from tests.support.fake_claude import FakeClaude


@pytest.fixture
def fake() -> Iterator[FakeClaude]:
    with FakeClaude() as server:
        yield server


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry waits are recorded instead of slept (tests stay fast)."""
    seen: list[float] = []
    monkeypatch.setattr(retry, "sleep", seen.append)
    return seen


@pytest.fixture
def claude_env(fake: FakeClaude, monkeypatch: pytest.MonkeyPatch, waits: list[float]) -> FakeClaude:
    """The SDK's standard variables point at the fake server (own-key path)."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
    return fake


def piece(path: str, kind: PieceKind, pages: list[str], *, paged: bool = True) -> PieceText:
    data = "\f".join(pages).encode()
    return PieceText(
        path=path,
        kind=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=[PageText(number=i + 1, text=t) for i, t in enumerate(pages)],
        paged=paged,
    )


RC_PAGES = [
    "Commune de Saint-Exemple\nRèglement de la consultation\nObjet : entretien des espaces verts "
    "communaux.\nRéférence : 2025-EV-07\nProcédure adaptée en application du code de la commande publique.",
    "Article 5 – Remise des offres\nLes offres devront parvenir avant le 18 avril 2025 à 12h00.\n"
    "Le délai de validité des offres est de 120 jours à compter de la date limite.",
    "Article 6 – Jugement des offres\nValeur technique : 60 %\nPrix : 40 %\n"
    "Une visite du site est obligatoire. Les variantes ne sont pas autorisées.",
]


@pytest.fixture
def dce() -> list[PieceText]:
    cctp = [
        f"CCTP page {n}\nTonte des pelouses, taille des haies et ramassage des feuilles, secteur {n}."
        for n in range(1, 31)
    ]
    cctp[11] = "Le mémoire technique ne dépassera pas 15 pages. Il décrit les moyens humains et matériels."
    return [
        piece("DCE/RC.pdf", PieceKind.RC, RC_PAGES),
        piece("DCE/CCTP.pdf", PieceKind.CCTP, cctp),
    ]


def source(file: str, page: int | None, quote: str) -> dict[str, Any]:
    return {"file": file, "page": page, "quote": quote}


def extraction(**fields: Any) -> dict[str, Any]:
    """A complete ClaudeExtraction JSON (null everywhere but the given fields)."""
    data: dict[str, Any] = {
        "buyer": None,
        "object": None,
        "reference": None,
        "procedure": None,
        "deadline": None,
        "questions_deadline": None,
        "site_visit": None,
        "lots": None,
        "variants_allowed": None,
        "pse_allowed": None,
        "offer_validity_days": None,
        "criteria": [],
        "required_documents": None,
        "memoire_page_limit": None,
    }
    data.update(fields)
    return data
