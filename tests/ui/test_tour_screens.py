"""The whole tour (`python -m ui.tour --check`) in both themes at 1280×800 (100 %) and at 1920×1080
with 150 % scaling (issue 16): every screen is captured at the screen's size in pixels, and none shows
clipped text, an internal code or one of Qt's English words.

Each run is a child process: the scale factor (QT_SCALE_FACTOR) is read when Qt starts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.conftest import REPO


def _tour(out: Path, size: str, scale: str) -> tuple[int, list[str], str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("QT_SCALE_FACTOR", None)
    proc = subprocess.run(
        [sys.executable, "-m", "ui.tour", str(out), "--size", size, "--scale", scale, "--check"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    problems = [line for line in proc.stdout.splitlines() if line.startswith("[")]
    return proc.returncode, problems, proc.stdout + proc.stderr


@pytest.mark.parametrize(("size", "scale"), [("1280x800", "1"), ("1920x1080", "1.5")])
def test_tour_screens_have_no_clipped_text_code_or_english(tmp_path: Path, size: str, scale: str) -> None:
    code, problems, output = _tour(tmp_path / "tour", size, scale)
    shots = sorted((tmp_path / "tour").glob("*.png"))
    assert len(shots) >= 60, output
    # Both themes, and the main window drawn at the screen's size in pixels.
    assert any(p.name.startswith("light-") for p in shots) and any(p.name.startswith("dark-") for p in shots)
    width, height = (int(v) for v in size.split("x"))
    board = QImage(str(tmp_path / "tour" / "light-tableau-de-bord.png"))
    assert (board.width(), board.height()) == (width, height)

    left = problems
    assert not left, "\n".join(["On screen during the tour:", *left])
    assert code == (1 if problems else 0), output
