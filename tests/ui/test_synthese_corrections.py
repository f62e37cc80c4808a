"""A value corrected by hand in the Synthèse stays over a re-analysis; a piece's kind can be changed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.progress import CancelToken, no_progress
from tests.ui.helpers import EXAMPLE_ZIP, ready_window
from ui.context import AppContext
from ui.pages.synthese import FIELDS


def test_hand_correction_survives_reanalysis_and_kind_change(qtbot: QtBot, ctx: AppContext) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    backend = ctx.backend
    uuid = ctx.runner.call(
        lambda: backend.import_dce_checked([EXAMPLE_ZIP], no_progress, CancelToken())
    ).consultation_uuid
    view = window.consultation_view
    with qtbot.waitSignal(view.loaded, timeout=30000):
        window.open_consultation(uuid)
    syn = view.synthese
    row = [name for name, _label in FIELDS].index("offer_validity_days")
    before = view.analysis.offer_validity_days if view.analysis else None

    syn.request_correction("offer_validity_days", "150 jours")
    qtbot.waitUntil(lambda: syn.table.item(row, 1).text() == "150 jours", timeout=20000)
    assert syn.table.item(row, 3).text() == "Corrigé à la main"
    assert before != 150

    with qtbot.waitSignal(view.loaded, timeout=60000):
        view.run_analysis()  # the engine runs again over every piece
    assert view.analysis is not None and view.analysis.offer_validity_days == 150
    assert view.synthese.table.item(row, 1).text() == "150 jours"

    # Pièces: the user says the DPGF is in fact an annex; the change is stored as a manual kind.
    pieces = view.pieces
    index = next(i for i, p in enumerate(pieces.pieces) if p.kind == "DPGF")
    item = pieces.table.item(index, 1)
    item.setData(Qt.ItemDataRole.UserRole, "ANNEXE")  # what the kind editor writes
    ctx.runner.wait_idle(20)
    stored = {p.path: p for p in ctx.runner.call(lambda: backend.pieces(uuid))}
    changed = stored[pieces.pieces[index].path]
    assert changed.kind == "ANNEXE" and changed.kind_manual
