"""Issue 16, Dashboard: "the status stays À analyser after an export". An export moves the consultation
to En cours (stored, and shown in its header and in the list); the user sets Déposée, Gagnée,
Perdue from the header's selector or the list's context menu, never seeing a stored code."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.domain.progress import CancelToken, no_progress
from tests.ui.helpers import EXAMPLE_ZIP, ready_window
from ui.context import AppContext
from ui.main_window import Page

TIMEOUT = 90000
CODES = ("a_analyser", "en_cours", "deposee", "gagnee", "perdue")


def test_status_stays_a_analyser_after_export_is_fixed(qtbot: QtBot, ctx: AppContext) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    backend = ctx.backend
    uuid = ctx.runner.call(
        lambda: backend.import_dce_checked([EXAMPLE_ZIP], no_progress, CancelToken())
    ).consultation_uuid
    view = window.consultation_view
    with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        window.open_consultation(uuid)
    items = [view.status.itemText(i) for i in range(view.status.count())]
    assert items == ["À analyser", "En cours", "Déposée", "Gagnée", "Perdue"]
    assert view.status.currentText() == "À analyser"

    # Export: the service moved it to En cours, and the header shows it at once.
    with qtbot.waitSignal(view.exported, timeout=TIMEOUT):
        view.export()
    assert ctx.runner.call(lambda: backend.consultation(uuid)).status == "en_cours"
    qtbot.waitUntil(lambda: view.status.currentText() == "En cours", timeout=10000)

    # The user sets Déposée from the header.
    index = view.status.findText("Déposée")
    view.status.setCurrentIndex(index)
    view.status.activated.emit(index)
    qtbot.waitUntil(
        lambda: ctx.runner.call(lambda: backend.consultation(uuid)).status == "deposee", timeout=TIMEOUT
    )

    # Then Gagnée from the list's context menu; the list shows the label, never the code.
    page = window.consultations
    window.show_page(Page.CONSULTATIONS)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1 and page.table.item(0, 4) is not None, timeout=TIMEOUT)
    assert page.table.item(0, 4).text() == "Déposée"
    menu = page.row_menu(0)
    assert menu is not None
    [status_menu] = [a.menu() for a in menu.actions() if a.text() == "Statut"]
    actions = {a.text(): a for a in status_menu.actions()}
    assert list(actions) == ["À analyser", "En cours", "Déposée", "Gagnée", "Perdue"]
    assert actions["Déposée"].isChecked()
    actions["Gagnée"].trigger()
    qtbot.waitUntil(
        lambda: page.table.item(0, 4) is not None and page.table.item(0, 4).text() == "Gagnée",
        timeout=TIMEOUT,
    )
    assert ctx.runner.call(lambda: backend.consultation(uuid)).status == "gagnee"
    shown = [page.table.item(0, c).text() for c in range(page.table.columnCount())]
    assert not any(code in text for text in shown for code in CODES)

    # And Perdue; the dashboard counts it.
    page.row_menu(0).actions()[1].menu().actions()[4].trigger()  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: page.table.item(0, 4) is not None and page.table.item(0, 4).text() == "Perdue",
        timeout=TIMEOUT,
    )
    with qtbot.waitSignal(window.dashboard.refreshed, timeout=TIMEOUT):
        window.show_page(Page.DASHBOARD)
    assert window.dashboard.counts["perdue"].text() == "1"
    assert window.dashboard.counts["a_analyser"].text() == "0"
    ctx.runner.wait_idle(30)
