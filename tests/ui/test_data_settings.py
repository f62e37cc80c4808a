"""Paramètres › Données: backup, export of my data, and erasing everything after confirmation."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.domain.paths import store_path
from tests.ui.helpers import ready_window
from ui.context import AppContext
from ui.first_run import FirstRunDialog
from ui.main import AppFlow


def test_backup_export_and_erase(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    flow = AppFlow(ctx)
    window = ready_window(ctx)  # store + example profile, as after a first run (deleted by the erase)
    flow.window = window
    window.store_erased.connect(flow._erased)
    page = window.settings_page

    backup = tmp_path / "sauvegarde.db"
    page.data.backup_to(backup)
    qtbot.waitUntil(lambda: "Sauvegarde enregistrée" in page.data.data_status.text(), timeout=20000)
    assert backup.stat().st_size > 0
    assert b"BRV Construction" not in backup.read_bytes()  # the backup is encrypted too

    exported = tmp_path / "mes-donnees.json"
    page.data.export_data_to(exported)
    qtbot.waitUntil(lambda: "Données exportées" in page.data.data_status.text(), timeout=20000)
    assert "BRV Construction" in json.dumps(
        json.loads(exported.read_text(encoding="utf-8")), ensure_ascii=False
    )

    page.data.erase_confirmed("effacer ?")
    assert "Rien n'a été effacé" in page.data.data_status.text()
    assert store_path().exists()

    page.data.erase_confirmed("EFFACER")
    qtbot.waitUntil(lambda: flow.first_run is not None, timeout=20000)
    assert not store_path().exists()
    assert isinstance(flow.first_run, FirstRunDialog)
    assert flow.window is not None and flow.window is not window  # a fresh window behind the wizard
    qtbot.addWidget(flow.window)


def test_the_dce_purge_runs_daily_while_the_app_runs(qtbot: QtBot, ctx: AppContext) -> None:
    """Issue 18, item 6: a store left open for days still loses its expired DCE pieces."""
    from datetime import UTC, datetime, timedelta

    from app.domain.progress import CancelToken, no_progress
    from tests.ui.helpers import EXAMPLE_ZIP
    from ui.main_window import RETENTION_INTERVAL_MS

    window = ready_window(ctx)
    qtbot.addWidget(window)
    qtbot.waitUntil(window.retention_timer.isActive, timeout=10_000)
    assert window.retention_timer.interval() == RETENTION_INTERVAL_MS == 86_400_000
    backend = ctx.backend
    uuid = ctx.runner.call(
        lambda: backend.import_dce_checked([EXAMPLE_ZIP], no_progress, CancelToken())
    ).consultation_uuid

    def age() -> None:
        then = (datetime.now(UTC) - timedelta(days=45)).isoformat(timespec="seconds")
        with backend.store.transaction() as tx:
            tx.execute("UPDATE consultations SET analyzed_at = ? WHERE uuid = ?", (then, uuid))

    def blobs() -> int:
        return int(backend.store.read().execute("SELECT count(*) FROM blobs").fetchone()[0])

    ctx.runner.call(age)
    assert ctx.runner.call(blobs) > 0
    window.retention_timer.timeout.emit()  # a day later
    qtbot.waitUntil(lambda: ctx.runner.call(blobs) == 0, timeout=20_000)
