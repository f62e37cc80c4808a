"""Where Maître AO keeps its files: the platform's user data folder, or $MAITRE_AO_HOME."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "MaitreAO"
APP_AUTHOR = "LuminaSystemes"


def private_dir(path: Path) -> Path:
    """`path` created if needed, readable by its owner only (0700) where the OS has modes."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(0o700)  # made before this rule, or by another tool: ours, so private
        except OSError:
            pass
    return path


def data_dir() -> Path:
    override = os.environ.get("MAITRE_AO_HOME")
    return private_dir(Path(override) if override else user_data_path(APP_NAME, APP_AUTHOR))


def store_path() -> Path:
    return data_dir() / "maitre-ao.db"


def settings_path() -> Path:
    return data_dir() / "settings.json"


def log_dir() -> Path:
    return private_dir(data_dir() / "logs")


def exports_dir() -> Path:
    return private_dir(data_dir() / "exports")


def resources_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "resources"  # app/resources


def example_dir() -> Path:
    return resources_dir() / "example"
