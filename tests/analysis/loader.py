"""Read real DCE files into PieceTexts the way the app does (the import's extractor and classifier)."""

from __future__ import annotations

from pathlib import Path

from app.dce.reader import read_dce
from app.domain.document import PieceText


def load_dce(*paths: Path) -> list[PieceText]:
    """Pieces of a ZIP, a folder or loose files, read in this process (no worker pool)."""
    return read_dce(list(paths), workers=1).pieces
