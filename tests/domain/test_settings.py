"""Settings: enumerated values, and per-key writes that never lose another writer's change."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from app.settings import (
    CLAUDE_MODE,
    RETENTION_DAYS,
    SYNC_INTERVAL_MIN,
    THEME,
    ClaudeMode,
    Settings,
    Theme,
)


def test_enumerated_settings_read_as_enums_and_unknown_values_as_the_default(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"claude.mode": "own_key", "ui.theme": "violet"}), encoding="utf-8")
    settings = Settings.load(path)
    assert settings.get(CLAUDE_MODE) is ClaudeMode.OWN_KEY
    assert settings.get(THEME) is Theme.SYSTEM  # unknown value: the default
    settings.set(THEME, Theme.DARK)
    assert json.loads(path.read_text(encoding="utf-8"))["ui.theme"] == "dark"


def test_two_writers_with_stale_copies_keep_both_changes(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    first, second = Settings.load(path), Settings.load(path)  # both loaded before any write
    first.set(CLAUDE_MODE, ClaudeMode.ACCOUNT)
    second.set(THEME, Theme.DARK)  # its copy never saw the first change
    again = Settings.load(path)
    assert again.get(CLAUDE_MODE) is ClaudeMode.ACCOUNT
    assert again.get(THEME) is Theme.DARK
    # Each object sees the other's change too.
    assert second.get(CLAUDE_MODE) is ClaudeMode.ACCOUNT
    assert first.get(THEME) is Theme.DARK
    first.reset(THEME)
    assert second.get(THEME) is Theme.SYSTEM and second.get(CLAUDE_MODE) is ClaudeMode.ACCOUNT


def _write_many(path: str, key: str, count: int) -> None:
    settings = Settings.load(Path(path))
    var = RETENTION_DAYS if key == "retention" else SYNC_INTERVAL_MIN
    for i in range(count):
        settings.set(var, i + 1)


def test_two_processes_writing_different_keys_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    Settings.load(path).set(CLAUDE_MODE, ClaudeMode.OWN_KEY)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(str(path), key, 40)) for key in ("retention", "interval")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    final = Settings.load(path)
    assert final.get(RETENTION_DAYS) == 40
    assert final.get(SYNC_INTERVAL_MIN) == 40
    assert final.get(CLAUDE_MODE) is ClaudeMode.OWN_KEY
