"""The Sous-traitants tab: a sub-contractor typed in the app is kept in the store and gets its DC4 at
export (name, SIRET, amount in French); a bad SIRET is refused with a French message; edit, remove."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.domain.progress import CancelToken, no_progress
from tests.export.helpers import all_text, open_docx, plain
from tests.ui.helpers import EXAMPLE_ZIP, ready_window
from ui.context import AppContext

WAIT_MS = 20_000


def test_subcontractor_added_in_the_app_gets_its_dc4(ctx: AppContext, qtbot: object, tmp_path: Path) -> None:
    window = ready_window(ctx)
    backend = ctx.backend
    outcome = ctx.runner.call(lambda: backend.import_dce_checked([EXAMPLE_ZIP], no_progress, CancelToken()))
    uuid = outcome.consultation_uuid
    view = window.consultation_view
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):  # type: ignore[attr-defined]
        view.load(uuid)
    tab = view.subcontractors
    view.tabs.setCurrentWidget(tab)
    assert view.tabs.tabText(view.tabs.currentIndex()) == "Sous-traitants"
    assert tab.table.rowCount() == 0

    # A wrong SIRET: refused, said in French, nothing stored.
    tab.name.setText("Étanchéité Moderne SARL")  # QTest types ASCII only: accents set directly
    qtbot.keyClicks(tab.siret, "732 829 320 00075")  # type: ignore[attr-defined]
    tab.services.setText("Étanchéité de la toiture")
    qtbot.keyClicks(tab.amount, "42 500")  # type: ignore[attr-defined]
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert "Sous-traitant non enregistré" in tab.status.text() and "SIRET" in tab.status.text()
    assert ctx.runner.call(lambda: backend.subcontractors(uuid)) == []

    tab.siret.clear()
    qtbot.keyClicks(tab.siret, "732 829 320 00074")  # type: ignore[attr-defined]
    tab.direct.setChecked(False)
    with qtbot.waitSignal(tab.changed, timeout=WAIT_MS):  # type: ignore[attr-defined]
        qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert tab.table.rowCount() == 1
    shown = [tab.table.item(0, c).text() for c in range(5)]
    assert shown == [
        "Étanchéité Moderne SARL",
        "732 829 320 00074",
        "Étanchéité de la toiture",
        "42\u202f500,00\u00a0€",
        "non",
    ]

    out = tmp_path / "export"
    files, _warnings = ctx.runner.call(lambda: backend.export(uuid, out))
    [dc4] = [f for f in files if f.name.startswith("dc4_")]
    text = plain(all_text(open_docx(dc4)))
    assert "Étanchéité Moderne SARL" in text
    assert "73282932000074" in text.replace(" ", "")
    assert "42 500,00 €" in text

    # Edit the amount of the selected row, then remove it: no DC4 any more.
    tab.table.selectRow(0)
    assert tab.name.text() == "Étanchéité Moderne SARL"
    tab.amount.setText("50 000")
    with qtbot.waitSignal(tab.changed, timeout=WAIT_MS):  # type: ignore[attr-defined]
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert tab.table.rowCount() == 1 and tab.table.item(0, 3).text() == "50\u202f000,00\u00a0€"
    [stored] = ctx.runner.call(lambda: backend.subcontractors(uuid))
    assert stored.montant_ht == 50000.0 and stored.paiement_direct is False
    tab.table.selectRow(0)
    with qtbot.waitSignal(tab.changed, timeout=WAIT_MS):  # type: ignore[attr-defined]
        qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert tab.table.rowCount() == 0
    assert ctx.runner.call(lambda: backend.subcontractors(uuid)) == []
