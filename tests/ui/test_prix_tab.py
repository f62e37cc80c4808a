"""The Prix tab: the DQE's lines shown, a price typed in French kept in the store, totals updated."""

from __future__ import annotations

from app.domain.progress import CancelToken, no_progress
from app.services import lots, prices
from tests.ui.helpers import EXAMPLE_ZIP, ready_window
from ui.context import AppContext

WAIT_MS = 20_000


def test_prices_typed_in_the_prix_tab_are_kept(ctx: AppContext, qtbot: object) -> None:
    window = ready_window(ctx)
    backend = ctx.backend
    outcome = ctx.runner.call(lambda: backend.import_dce_checked([EXAMPLE_ZIP], no_progress, CancelToken()))
    uuid = outcome.consultation_uuid
    view = window.consultation_view
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):  # type: ignore[attr-defined]
        view.load(uuid)
    tab = view.prix
    view.tabs.setCurrentWidget(tab)  # the schedules are read when the tab is first shown
    qtbot.waitUntil(lambda: tab.choice.count() >= 2, timeout=WAIT_MS)  # type: ignore[attr-defined]
    index = next(i for i in range(tab.choice.count()) if tab.choice.itemText(i).startswith("DQE"))
    tab.choice.setCurrentIndex(index)
    assert tab.table.rowCount() == 9
    assert tab.table.item(0, 0).text() == "Installation de chantier, clôtures et base vie"
    assert tab.table.item(2, 2).text() == "180"
    tab.table.item(2, 4).setText("1 234,5")  # what a French user types
    qtbot.waitUntil(lambda: tab.table.item(2, 5).text() == "222\u202f210,00\u00a0€", timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert tab.table.item(2, 4).text() == "1\u202f234,50\u00a0€"
    assert "8 ligne(s) sur 9 sans prix" in tab.summary.text()
    assert "222\u202f210,00\u00a0€ HT" in tab.summary.text()
    stored = ctx.runner.call(lambda: prices.schedules(backend.store, uuid))
    dqe = next(v for v in stored if v.schedule.kind == "DQE")
    assert list(dqe.prices.values()) == [1234.5]
    # The lots answered: none ticked until the user chooses, then kept for DC1 and the export.
    assert [b.text() for b in tab.lot_boxes] == ["Lot 1", "Lot 2", "Lot 3"]
    assert tab.chosen_lots() == []
    tab.lot_boxes[0].setChecked(True)
    qtbot.waitUntil(
        lambda: ctx.runner.call(lambda: lots.chosen_lots(backend.store, uuid)) == [1], timeout=WAIT_MS
    )  # type: ignore[attr-defined]
    tab.table.item(3, 4).setText("douze euros")
    assert tab.table.item(3, 4).text() == ""  # refused, the grid shows the stored value again


def test_values_the_buyer_asks_besides_prices_are_typed_in_the_prix_tab(
    ctx: AppContext, qtbot: object, corpus: object
) -> None:
    """vsgp's DPGF asks three coefficients and five totals in cells of the prices' colour: they are rows
    of the grid, in their own unit, counted apart from the prices."""
    from pathlib import Path

    window = ready_window(ctx)
    backend = ctx.backend
    vsgp = Path(str(corpus)) / "vsgp"
    outcome = ctx.runner.call(lambda: backend.import_dce_checked([vsgp], no_progress, CancelToken()))
    view = window.consultation_view
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):  # type: ignore[attr-defined]
        view.load(outcome.consultation_uuid)
    tab = view.prix
    view.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.choice.count() >= 3, timeout=WAIT_MS)  # type: ignore[attr-defined]
    tab.choice.setCurrentIndex(next(i for i in range(tab.choice.count()) if "DPGF" in tab.choice.itemText(i)))
    rows = {tab.table.item(r, 0).text(): r for r in range(tab.table.rowCount())}
    coefficient = next(
        r for name, r in rows.items() if name.startswith("Coefficient réducteur appliqué la deux")
    )
    assert tab.table.item(coefficient, 1).text() == "%"
    assert "8 autre(s) case(s) demandée(s) par l'acheteur à remplir" in tab.summary.text()
    assert "41 ligne(s) sur 41 sans prix" in tab.summary.text()  # the 8 cells are not prices
    tab.table.item(coefficient, 4).setText("2")
    qtbot.waitUntil(lambda: tab.table.item(coefficient, 4).text() == "2 %", timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert "7 autre(s) case(s)" in tab.summary.text()
