"""Opening the store when the keychain lost its key (recovery key) or never had one (passphrase)."""

from __future__ import annotations

from pathlib import Path

import keyring
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.support.keyrings import ForgetfulKeyring
from ui.context import AppContext
from ui.first_run import FirstRunDialog, UnlockDialog
from ui.main import AppFlow


def test_lost_keychain_entry_asks_for_the_recovery_key(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    key = ctx.runner.call(ctx.backend.create_store)
    ctx.runner.call(ctx.backend.close)
    Path(tmp_path / "keyring.json").unlink()  # the keychain forgot the store's key

    flow = AppFlow(ctx)
    flow.start()
    assert flow.window is not None
    qtbot.addWidget(flow.window)
    qtbot.waitUntil(lambda: flow.unlock is not None, timeout=20000)
    dlg = flow.unlock
    assert isinstance(dlg, UnlockDialog)
    qtbot.addWidget(dlg)
    assert "clé de secours" in dlg.info.text()  # the French message names the way out

    dlg.key.setText("AAAAA-BBBBB-CCCCC")
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dlg.error.text()), timeout=10000)
    assert dlg.isVisible()  # still asking

    dlg.key.setText(key)
    with qtbot.waitSignal(flow.ready, timeout=20000):
        qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert ctx.runner.call(ctx.backend.consultations) == []


def test_no_keychain_uses_a_passphrase(qtbot: QtBot, ctx: AppContext) -> None:
    keyring.set_keyring(ForgetfulKeyring())  # accepts writes, keeps nothing
    flow = AppFlow(ctx)
    flow.start()
    assert flow.window is not None
    qtbot.addWidget(flow.window)
    qtbot.waitUntil(lambda: flow.first_run is not None, timeout=20000)
    dlg = flow.first_run
    assert isinstance(dlg, FirstRunDialog) and dlg.passphrase_mode
    qtbot.addWidget(dlg)
    dlg.pages.setCurrentIndex(1)
    dlg.pass1.setText("une phrase de passe assez longue")
    dlg.pass2.setText("une phrase de passe differente")
    dlg._do_create()
    assert "diffèrent" in dlg.create_error.text()
    dlg.pass2.setText("une phrase de passe assez longue")
    with qtbot.waitSignal(dlg.store_created, timeout=20000):
        dlg._do_create()
    assert dlg.pages.currentIndex() == 3  # no recovery key to show
    dlg.reject()
    ctx.runner.call(ctx.backend.close)

    again = AppFlow(ctx)
    again.start()
    assert again.window is not None
    qtbot.addWidget(again.window)
    qtbot.waitUntil(lambda: again.unlock is not None, timeout=20000)
    unlock = again.unlock
    assert isinstance(unlock, UnlockDialog) and unlock.passphrase_mode
    qtbot.addWidget(unlock)
    unlock.key.setText("une phrase de passe assez longue")
    with qtbot.waitSignal(again.ready, timeout=20000):
        qtbot.mouseClick(unlock.ok, Qt.MouseButton.LeftButton)
