"""Issue 16, "importing the same ZIP twice silently makes a second consultation": the app says the DCE
is already there and offers to open it or to import it as a new version (modificatif), whose changes
(deadline first) are shown after the import and again when the consultation is reopened."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import docx
import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from tests.ui.helpers import EXAMPLE_ZIP, ready_window
from ui.context import AppContext
from ui.main_window import MainWindow

if TYPE_CHECKING:
    from ui.pages.duplicate_import import DuplicateImportDialog

IMPORT_TIMEOUT = 90000


def _modificatif(path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example DCE after a modificatif: deadline pushed a week (RC), a notice added."""
    from app.resources.example import make_example_dce as m

    latin = m._Pdf.latin
    monkeypatch.setattr(
        m._Pdf, "latin", lambda self, text: latin(self, text.replace("16 juillet 2027", "23 juillet 2027"))
    )
    notice = docx.Document()
    notice.add_paragraph("Avis modificatif n° 1 : la date limite de remise des offres est reportée.")
    buffer = io.BytesIO()
    notice.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(m.build())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("Avis modificatif 1.docx", buffer.getvalue())
    path.write_bytes(out.getvalue())
    return path


def _titles(ctx: AppContext) -> list[str]:
    return [r.uuid for r in ctx.runner.call(lambda: ctx.backend.consultations())]


def _asked(qtbot: QtBot, window: MainWindow) -> DuplicateImportDialog:
    qtbot.waitUntil(
        lambda: window.duplicate_dialog is not None and window.duplicate_dialog.isVisible(),
        timeout=IMPORT_TIMEOUT,
    )
    dialog = window.duplicate_dialog
    assert dialog is not None
    return dialog


def test_same_zip_imported_twice_makes_no_second_consultation(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    view = window.consultation_view
    with qtbot.waitSignal(view.loaded, timeout=IMPORT_TIMEOUT):
        window.import_paths([EXAMPLE_ZIP])
    first = view.uuid
    first_title = view.title.text()
    assert _titles(ctx) == [first]

    # The same pieces under another ZIP name: the app asks, names the consultation and its import day.
    copy = tmp_path / "copie du DCE.zip"
    copy.write_bytes(EXAMPLE_ZIP.read_bytes())
    with qtbot.waitSignal(window.import_finished, timeout=IMPORT_TIMEOUT):
        window.import_paths([copy])
    assert _titles(ctx) == [first]  # nothing was added
    from ui.pages.duplicate_import import DuplicateImportDialog

    dialog = _asked(qtbot, window)
    texts = [b.text() for b in dialog.findChildren(QPushButton)]
    assert texts == [
        "Ouvrir la consultation existante",
        "Importer comme nouvelle version (modificatif)",
        "Annuler",
    ]
    message = dialog.message.text()
    assert "déjà dans Maître AO" in message and first_title in message and "importé le" in message
    assert _titles(ctx) == [first]  # nothing was added

    # "Ouvrir la consultation existante" goes to it; still one consultation.
    with qtbot.waitSignal(view.loaded, timeout=IMPORT_TIMEOUT) as opened:
        dialog.buttons[DuplicateImportDialog.OPEN].click()
    assert opened.args == [first]
    assert window.stack.currentWidget() is view and view.title.text() == first_title
    assert _titles(ctx) == [first]

    # A modificatif (deadline moved, a notice added): same reference, other pieces → asked again;
    # as a new version, the changes are shown, deadline first.
    modified = _modificatif(tmp_path / "DCE modifié.zip", monkeypatch)
    window.import_paths([modified])
    dialog = _asked(qtbot, window)
    assert "même référence" in dialog.message.text()
    with qtbot.waitSignal(window.import_checked, timeout=IMPORT_TIMEOUT) as checked:
        dialog.buttons[DuplicateImportDialog.NEW_VERSION].click()
    outcome = checked.args[0]
    assert outcome.outcome == "new_version"
    second = outcome.consultation_uuid
    assert sorted(_titles(ctx)) == sorted([first, second])
    banner = window.banner.label.text()
    assert window.banner.isVisible() and "Nouvelle version (modificatif n° 2)" in banner
    shown = [line.removeprefix("• ") for line in banner.splitlines()[1:]]
    assert shown[0] == "Date limite des offres : 16/07/2027 à 12h00 → 23/07/2027 à 12h00", shown
    assert "Pièce ajoutée : Avis modificatif 1.docx (Autre pièce)" in shown

    # Kept: reopening the consultation later shows them again in its header.
    with qtbot.waitSignal(view.version_shown, timeout=IMPORT_TIMEOUT):
        window.open_consultation(first)
    assert not view.version_box.isVisible()
    with qtbot.waitSignal(view.version_shown, timeout=IMPORT_TIMEOUT):
        window.open_consultation(second)
    assert view.version_box.isVisible() and view.version_changes.isVisible()
    assert "Version 2 (modificatif)" in view.version_label.text() and first_title in view.version_label.text()
    lines = [line.removeprefix("• ") for line in view.version_changes.text().splitlines()]
    assert lines[0] == "Date limite des offres : 16/07/2027 à 12h00 → 23/07/2027 à 12h00", lines
    assert "Pièce ajoutée : Avis modificatif 1.docx (Autre pièce)" in lines
    ctx.runner.wait_idle(30)


def test_same_zip_imported_twice_cancel_adds_nothing(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    from ui.pages.duplicate_import import DuplicateImportDialog

    window = ready_window(ctx)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.consultation_view.loaded, timeout=IMPORT_TIMEOUT):
        window.import_paths([EXAMPLE_ZIP])
    first = _titles(ctx)
    window.import_paths([EXAMPLE_ZIP])
    dialog = _asked(qtbot, window)
    dialog.buttons[DuplicateImportDialog.CANCEL].click()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=5000)
    assert window.banner.label.text() == "Import annulé : rien n'a été ajouté."
    assert _titles(ctx) == first
    ctx.runner.wait_idle(30)


def test_same_zip_imported_twice_as_new_version_says_nothing_changed(qtbot: QtBot, ctx: AppContext) -> None:
    from ui.pages.duplicate_import import DuplicateImportDialog

    window = ready_window(ctx)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.consultation_view.loaded, timeout=IMPORT_TIMEOUT):
        window.import_paths([EXAMPLE_ZIP])
    [first] = _titles(ctx)
    window.import_paths([EXAMPLE_ZIP])
    dialog = _asked(qtbot, window)
    assert DuplicateImportDialog.KEEP not in dialog.buttons  # same pieces: keeping both is not offered
    with qtbot.waitSignal(window.import_checked, timeout=IMPORT_TIMEOUT) as checked:
        dialog.buttons[DuplicateImportDialog.NEW_VERSION].click()  # imported again, as a modificatif
    assert checked.args[0].outcome == "new_version"
    assert len(_titles(ctx)) == 2 and first in _titles(ctx)
    assert window.banner.label.text().splitlines()[1:] == ["• Aucune différence avec la version précédente."]
    ctx.runner.wait_idle(30)


def test_same_reference_other_pieces_open_existing_keeps_one_consultation(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.pages.duplicate_import import DuplicateImportDialog

    window = ready_window(ctx)
    qtbot.addWidget(window)
    view = window.consultation_view
    with qtbot.waitSignal(view.loaded, timeout=IMPORT_TIMEOUT):
        window.import_paths([EXAMPLE_ZIP])
    [first] = _titles(ctx)
    window.import_paths([_modificatif(tmp_path / "DCE modifié.zip", monkeypatch)])
    dialog = _asked(qtbot, window)
    assert [b.text() for b in dialog.findChildren(QPushButton)] == [
        "Ouvrir la consultation existante",
        "Importer comme nouvelle version (modificatif)",
        "Garder les deux consultations",
        "Annuler",
    ]
    with qtbot.waitSignal(view.loaded, timeout=IMPORT_TIMEOUT) as opened:
        dialog.buttons[DuplicateImportDialog.OPEN].click()
    assert opened.args == [first]
    qtbot.waitUntil(lambda: _titles(ctx) == [first], timeout=IMPORT_TIMEOUT)
    assert window.banner.label.text().startswith("Le DCE importé n'a pas été gardé")
    ctx.runner.wait_idle(30)
