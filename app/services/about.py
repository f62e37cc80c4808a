"""What the "À propos" tab shows: the versions of the app and of the libraries it ships."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "—"


def app_version() -> str:
    return package_version("maitre-ao")


def library_versions() -> list[tuple[str, str]]:
    """(name, version) of the libraries that read and write the documents, and of the system."""
    return [
        ("pypdf", package_version("pypdf")),
        ("python-docx", package_version("python-docx")),
        ("openpyxl", package_version("openpyxl")),
        ("anthropic", package_version("anthropic")),
        ("Système", f"{platform.system()} {platform.release()}"),
    ]
