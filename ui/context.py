"""What every window and page receives explicitly (no global main-window singleton)."""

from __future__ import annotations

from dataclasses import dataclass

from app.settings import Settings
from ui.backend import Backend
from ui.operations import OperationRunner


@dataclass
class AppContext:
    backend: Backend
    runner: OperationRunner
    settings: Settings
