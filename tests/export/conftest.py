from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app.drafting.answer import Answer, prepare_answer
from app.drafting.gonogo import PARIS
from tests.drafting.builders import analysis, cadre, cctp, example_profile, rc

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
TODAY = date(2026, 11, 26)


@pytest.fixture
def cadre_answer() -> Answer:
    return prepare_answer(analysis(), [rc(), cctp(), cadre()], example_profile(), now=NOW)


@pytest.fixture
def criteria_answer() -> Answer:
    return prepare_answer(analysis(), [rc(), cctp()], example_profile(), now=NOW)


@pytest.fixture
def forms_dir() -> Path:
    folder = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "forms"
    if not (folder / "DC1.docx").is_file() or not (folder / "DC2.docx").is_file():
        pytest.skip("official blank DC1/DC2 forms absent")
    return folder.resolve()
