"""An interrupted import is shown on the Consultations page with Reprendre / Supprimer (issue 18, item 5)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.services import consultations as svc
from tests.ui.helpers import EXAMPLE_ZIP, ready_window
from ui.context import AppContext

EXAMPLE_PIECES = 9  # the example DCE: RC, CCAP, CCTP, cadre, AE, DQE, DPGF, BPU… and a plan


def _interrupt(ctx: AppContext) -> str:
    """An import whose process died before it committed (a pid that no longer runs)."""

    def work() -> str:
        store = ctx.backend.store
        result = svc.import_dce(store, [EXAMPLE_ZIP], workers=1, analyze=False)
        with store.transaction() as tx:
            tx.execute(
                "UPDATE consultations SET import_state = 'importing', import_pid = 2147483646 WHERE uuid = ?",
                (result.consultation_uuid,),
            )
            tx.execute(
                "DELETE FROM pieces WHERE consultation_uuid = ? AND kind <> 'RC'", (result.consultation_uuid,)
            )
        return result.consultation_uuid

    uuid: str = ctx.runner.call(work)
    return uuid


def _buttons(page: object, text: str) -> list[QPushButton]:
    return [b for b in page.interrupted_box.findChildren(QPushButton) if b.text() == text]  # type: ignore[attr-defined]


def test_interrupted_import_is_listed_apart_and_resumed(qtbot: QtBot, ctx: AppContext) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    _interrupt(ctx)
    page = window.consultations
    page.refresh()
    qtbot.waitUntil(lambda: not page.interrupted_box.isHidden(), timeout=10_000)
    assert page.rows == []  # not among the finished consultations
    [resume] = _buttons(page, "Reprendre")
    resume.click()
    qtbot.waitUntil(lambda: bool(page.interrupted_box.isHidden()) and len(page.rows) == 1, timeout=60_000)
    [row] = ctx.runner.call(lambda: svc.list_consultations(ctx.backend.store))
    assert row.pieces == EXAMPLE_PIECES and not svc.is_interrupted(row)


def test_interrupted_import_is_deleted_after_confirmation(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    _interrupt(ctx)
    page = window.consultations
    page.refresh()
    qtbot.waitUntil(lambda: not page.interrupted_box.isHidden(), timeout=10_000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    [delete] = _buttons(page, "Supprimer")
    delete.click()
    qtbot.waitUntil(lambda: bool(page.interrupted_box.isHidden()), timeout=10_000)
    assert ctx.runner.call(lambda: svc.list_consultations(ctx.backend.store)) == []
