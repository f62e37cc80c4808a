"""Offline analysis engine: deterministic French rules over the page texts of a DCE."""

from app.analysis.offline.engine import analyze_offline

__all__ = ["analyze_offline"]
