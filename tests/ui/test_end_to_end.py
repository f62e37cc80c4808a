"""Drop the example DCE, see the analysis, open a source, draft offline, export, reopen the DOCX."""

from __future__ import annotations

from pathlib import Path

import docx
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.helpers import EXAMPLE_ZIP, drop_files, ready_window
from ui.context import AppContext
from ui.main_window import MainWindow, Page


def test_drop_analyse_source_draft_export(qtbot: QtBot, ctx: AppContext) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    view = window.consultation_view

    # The first analysis (RC, CCAP) shows in the Synthèse while the other pieces are still read.
    preview: list[tuple[str, bool, bool, int, bool]] = []
    view.previewed.connect(
        lambda uuid: preview.append(
            (
                uuid,
                window.last_import is None,  # the import is still running
                view.tabs.currentWidget() is view.synthese,
                view.synthese.table.rowCount(),
                view.tabs.isTabEnabled(view.tabs.indexOf(view.memoire)),
            )
        )
    )
    with qtbot.waitSignals([view.previewed, view.loaded], order="strict", timeout=60000):
        drop_files(window, [EXAMPLE_ZIP])
    assert window.stack.currentWidget() is view
    assert window.last_import is not None and window.last_import.pieces >= 3
    [(uuid, running, on_synthese, rows, memoire_enabled)] = preview
    assert uuid == window.last_import.consultation_uuid
    assert running and on_synthese and rows > 0
    assert not memoire_enabled  # the mémoire is drafted once every piece is read
    assert all(view.tabs.isTabEnabled(i) for i in range(view.tabs.count()))  # all back once loaded

    # Pièces: the RC is there with its pages.
    kinds = {p.kind for p in view.pieces.pieces}
    assert "RC" in kinds
    assert view.pieces.table.rowCount() == len(view.pieces.pieces)

    # Synthèse: the deadline shown in French, with a source.
    analysis = view.analysis
    assert analysis is not None and analysis.deadline
    syn = view.synthese
    rows = {syn.table.item(r, 0).text(): r for r in range(syn.table.rowCount())}
    deadline_row = rows["Date limite de remise des offres"]
    shown = syn.table.item(deadline_row, 1).text()
    assert any(
        m in shown
        for m in (
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        )
    )
    assert syn.table.item(deadline_row, 2).text()  # a source is named
    assert syn.chart.rows, "criteria drawn"

    # Click the source: the page opens with the quote highlighted.
    ev = analysis.evidence["deadline"]
    viewer = view.viewer
    with qtbot.waitSignal(viewer.text.textChanged, timeout=20000):
        syn._clicked(deadline_row, 2)
    qtbot.waitUntil(lambda: viewer.highlighted is not None, timeout=5000)
    start, end = viewer.highlighted
    assert (
        " ".join(viewer.text.toPlainText()[start:end].split()).lower() == " ".join(ev.quote.split()).lower()
    )
    assert viewer.isVisible()

    # Mémoire: outline loaded; draft the first section offline; it is saved.
    mem = view.memoire
    qtbot.waitUntil(lambda: mem.tree.topLevelItemCount() > 0, timeout=30000)
    mem.select_section(0)
    mem.editor.clear()
    with qtbot.waitSignal(mem.saved, timeout=30000):
        qtbot.mouseClick(mem.offline_button, Qt.MouseButton.LeftButton)
    drafted = mem.editor.toPlainText()
    assert len(drafted.split()) > 20
    # The user adds a sentence; the export must contain it.
    mem.editor.moveCursor(mem.editor.textCursor().MoveOperation.End)
    mem.editor.insertPlainText("\nPhrase ajoutée par le rédacteur pour le test.")

    view.tabs.setCurrentWidget(view.documents)
    with qtbot.waitSignal(view.exported, timeout=60000) as sig:
        qtbot.mouseClick(view.documents.export_button, Qt.MouseButton.LeftButton)
    files: list[Path] = sig.args[0]
    memoire = next(p for p in files if p.name == "memoire.docx")
    assert memoire.exists() and view.documents.files.count() >= 5
    text = "\n".join(p.text for p in docx.Document(str(memoire)).paragraphs)
    assert "Phrase ajoutée par le rédacteur pour le test." in text
    assert drafted.split("\n")[0][:40] in text
    ctx.runner.wait_idle(30)


def test_broken_import_shows_french_message_and_app_stays_usable(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    window: MainWindow = ready_window(ctx)
    qtbot.addWidget(window)
    broken = tmp_path / "dce.zip"
    broken.write_bytes(b"PK\x03\x04 ceci n'est pas une archive complete")
    with qtbot.waitSignal(window.import_finished, timeout=30000) as sig:
        drop_files(window, [broken])
    assert sig.args[0] is None
    assert window.banner.isVisible()
    message = window.banner.label.text()
    assert message.startswith("L'import a échoué")
    assert "archive" in message.lower()  # says what was wrong with the file
    assert "Traceback" not in message and "Error" not in message

    # Still usable: the next (good) import works.
    with qtbot.waitSignal(window.consultation_view.loaded, timeout=60000):
        drop_files(window, [EXAMPLE_ZIP])
    assert window.consultation_view.analysis is not None
    ctx.runner.wait_idle(30)


def test_per_file_errors_are_listed_and_cancel_is_clean(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    window: MainWindow = ready_window(ctx)
    qtbot.addWidget(window)
    broken = tmp_path / "Annexe technique.pdf"
    broken.write_bytes(b"%PDF-1.7\n ce fichier est tronque")
    view = window.consultation_view
    with (
        qtbot.waitSignal(window.import_finished, timeout=60000) as sig,
        qtbot.waitSignal(view.loaded, timeout=60000),
    ):
        # Dropped on the search field: the files are imported, not typed into the field.
        window.show_page(Page.CONSULTATIONS)
        drop_files(window, [EXAMPLE_ZIP, broken], target=window.consultations.search)
    assert sig.args[0] is not None and sig.args[0].errors
    assert window.consultations.search.text() == ""
    message = window.banner.label.text()
    assert "certains fichiers n'ont pas pu être lus" in message
    assert "Annexe technique.pdf" in message
    assert view.analysis is not None  # the good pieces were read and analysed

    # Cancel right away: nothing half-done is shown, the window stays usable.
    with qtbot.waitSignal(window.import_finished, timeout=60000) as sig:
        window.import_paths([EXAMPLE_ZIP])
        window.op_bar.cancel_button.click()
    assert sig.args[0] is None
    assert window.banner.label.text() == "Import annulé."
    assert not window.op_bar.isVisible()
    ctx.runner.wait_idle(30)
