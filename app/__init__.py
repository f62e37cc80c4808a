"""Maître AO core: domain, DCE reading, analysis, drafting, export, services, CLI (no Qt)."""

# The one place the version is written (pyproject reads it; `maitre-ao --version` prints it).
__version__ = "0.1.0"
