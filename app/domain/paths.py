"""Where Maître AO keeps its files: the platform's user data folder, or $MAITRE_AO_HOME."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "MaitreAO"
APP_AUTHOR = "LuminaSystemes"


def data_dir() -> Path:
    override = os.environ.get("MAITRE_AO_HOME")
    path = Path(override) if override else user_data_path(APP_NAME, APP_AUTHOR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_path() -> Path:
    return data_dir() / "maitre-ao.db"


def settings_path() -> Path:
    return data_dir() / "settings.json"


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def exports_dir() -> Path:
    path = data_dir() / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "resources"  # app/resources


def example_dir() -> Path:
    return resources_dir() / "example"
