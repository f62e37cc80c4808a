"""The shipped example DCE is what its generator writes (so the committed ZIP never drifts)."""

from __future__ import annotations

import pytest

from app.resources.example import make_example_dce
from tests.conftest import EXAMPLE_DIR


def test_committed_example_matches_its_generator() -> None:
    if not (make_example_dce.FONT_DIR / "DejaVuSans.ttf").exists():
        pytest.skip("the committed example was written with the DejaVu font, absent here")
    assert make_example_dce.build() == (EXAMPLE_DIR / "dce.zip").read_bytes()
