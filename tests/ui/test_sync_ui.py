"""Sync in the app, against the real account API on loopback (SQLite server, as tests/sync does):
background sync after an edit, the conflicts indicator and resolve view, "Supprimer mon compte",
the per-consultation mémoire switch and the per-record opt-out."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from local_store import repo_consultations, repo_library
from sync.client import AccountClient, AuthRequired
from tests.sync.conftest import (  # noqa: F401  (session fixtures: one server for the module)
    Account,
    Device,
    LiveServer,
    new_account,
    new_device,
    sqlite_server,
    sqlite_sync_url,
)
from tests.ui.helpers import EXAMPLE_PROFILE
from ui.backend import BlockRow, SyncReport
from ui.context import AppContext
from ui.main_window import MainWindow, Page
from ui.pages.account_dialogs import DELETE_WORD, DeleteAccountDialog, delete_confirmed, diff_html
from ui.sync_controller import state_text

T = TypeVar("T")

WAIT_MS = 20000


@pytest.fixture
def live(sqlite_server: LiveServer) -> LiveServer:  # noqa: F811
    return sqlite_server


@pytest.fixture
def account(live: LiveServer) -> Account:
    return new_account(live)


@pytest.fixture
def other_device(tmp_path: Path, live: LiveServer, account: Account) -> Iterator[Device]:
    """A second computer on the same account (its own store and client)."""
    device = new_device(tmp_path, "autre-poste", live, account)
    yield device
    device.client.close()
    device.transport.close()
    device.store.close()


def logged_in_app(ctx: AppContext, live: LiveServer, account: Account) -> None:
    """The app's store created, the example profile saved, and logged into the account."""
    ctx.runner.call(ctx.backend.create_store)
    ctx.runner.call(lambda: ctx.backend.import_profile(EXAMPLE_PROFILE))
    ctx.runner.call(lambda: ctx.backend.login(live.url, account.email, account.password))


def window_for(ctx: AppContext, qtbot: QtBot) -> MainWindow:
    """The main window once its store is open (its first refresh done)."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.sync.enabled, timeout=WAIT_MS)
    # The start-up sync would run at a moment of its own: the tests sync when they mean to.
    window.sync.debounce.stop()
    ctx.runner.wait_idle(WAIT_MS / 1000)
    return window


def sync_and_wait(window: MainWindow, qtbot: QtBot) -> SyncReport:
    """A sync that starts now (after any running one), and its report."""
    qtbot.waitUntil(lambda: not window.sync.running, timeout=WAIT_MS)
    with qtbot.waitSignal(window.sync.synced, timeout=WAIT_MS) as blocker:
        window.sync.sync_now()
    report = blocker.args[0] if blocker.args else None
    assert isinstance(report, SyncReport)
    return report


def test_an_edit_schedules_a_background_sync_and_the_status_bar_says_when(
    qtbot: QtBot, ctx: AppContext, live: LiveServer, account: Account, other_device: Device
) -> None:
    logged_in_app(ctx, live, account)
    window = window_for(ctx, qtbot)
    # The sync runs on the network lane and hands every store step to the DB lane.
    hand_over = ctx.backend.on_db_lane
    store_threads: set[str] = set()

    def on_db_lane(step: Callable[[], T]) -> T:
        def where() -> T:
            store_threads.add(threading.current_thread().name)
            return step()

        return hand_over(where)

    ctx.backend.on_db_lane = on_db_lane

    window.show_page(Page.LIBRARY)
    lib = window.library
    lib.new_block()
    lib.title.setText("Plan d'assurance qualité")
    lib.body.setPlainText("Un PAQ par chantier, revu à chaque phase.")
    lib.save()
    # The save marked rows to send: a sync is scheduled a few seconds later (debounced)…
    qtbot.waitUntil(window.sync.debounce.isActive, timeout=WAIT_MS)
    # …here run at once rather than waiting for the timer.
    report = sync_and_wait(window, qtbot)
    assert report.state == "ok", report.message
    assert report.to_send == 0
    assert re.fullmatch(r"Synchronisé à \d\d:\d\d", window.sync_label.text())
    assert store_threads and all(name.startswith("maitre-ao-db") for name in store_threads)
    # The other computer receives the block.
    other_device.sync()
    titles = {b.title for b in repo_library.list_blocks(other_device.store)}
    assert "Plan d'assurance qualité" in titles

    # "Synchroniser maintenant" goes through the same controller and says what moved.
    repo_library.add_block(other_device.store, "Gestion des déchets", "Tri en cinq flux.")
    other_device.sync()
    page = window.settings_page
    page.show_account()
    qtbot.waitUntil(page.account.sync_button.isEnabled, timeout=WAIT_MS)
    qtbot.mouseClick(page.account.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Reçu : 1 (1 bloc de bibliothèque)" in page.account.account_state.text(), timeout=WAIT_MS
    )
    assert "Envoyé : 0" in page.account.account_state.text()


def test_conflict_listed_compared_side_by_side_and_resolved(
    qtbot: QtBot, ctx: AppContext, live: LiveServer, account: Account, other_device: Device
) -> None:
    logged_in_app(ctx, live, account)
    uuid = ctx.runner.call(
        lambda: ctx.backend.save_block(BlockRow("", "Méthodologie", body="Texte commun aux deux postes."))
    )
    ctx.runner.call(ctx.backend.sync_now)
    other_device.sync()
    repo_library.update_block(other_device.store, uuid, body="Version écrite sur l'autre poste.")
    other_device.sync()
    ctx.runner.call(
        lambda: ctx.backend.save_block(BlockRow(uuid, "Méthodologie", body="Version écrite sur ce poste."))
    )
    ctx.runner.call(ctx.backend.sync_now)  # stale base: the server's text wins, ours becomes a copy

    window = window_for(ctx, qtbot)
    qtbot.waitUntil(window.conflicts_button.isVisible, timeout=WAIT_MS)
    assert window.conflicts_button.text() == "1 conflit"

    qtbot.mouseClick(window.conflicts_button, Qt.MouseButton.LeftButton)
    page = window.settings_page
    assert page.stack.currentWidget() is page.account
    qtbot.waitUntil(lambda: len(page.account.conflict_list.rows) == 1, timeout=WAIT_MS)
    assert page.account.conflict_list.list.count() == 1
    assert "Méthodologie" in page.account.conflict_list.list.item(0).text()

    page.account.conflict_list.open_button.click()
    dlg = page.account.conflict_dialog
    assert dlg is not None and dlg.isVisible()
    assert dlg.local_text.toPlainText() == "Version écrite sur ce poste."
    assert dlg.server_text.toPlainText() == "Version écrite sur l'autre poste."
    assert "ffe08a" in dlg.local_text.toHtml() and "ffe08a" in dlg.server_text.toHtml()  # the difference
    # Until the user decides, the shared version is the one in use and nothing is lost.
    assert repo_library.get_block(ctx.backend.store, uuid).body == "Version écrite sur l'autre poste."

    qtbot.mouseClick(dlg.keep_local, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.account.conflict_list.rows == [], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.conflicts_button.isVisible(), timeout=WAIT_MS)
    assert "Aucun conflit" in page.account.conflict_list.heading.text()
    assert "Votre version est gardée" in page.account.account_state.text()
    assert ctx.runner.call(lambda: repo_library.get_block(ctx.backend.store, uuid).body) == (
        "Version écrite sur ce poste."
    )
    # The choice is an edit like any other: it reaches the other computer.
    assert sync_and_wait(window, qtbot).state == "ok"
    other_device.sync()
    assert repo_library.get_block(other_device.store, uuid).body == "Version écrite sur ce poste."


def test_only_the_words_that_differ_are_highlighted() -> None:
    mine, theirs = diff_html("Un PAQ par chantier.", "Un PAQ par lot et par chantier.")
    assert mine == "Un PAQ par chantier."  # nothing removed on this side
    assert theirs.count("<span") == 1 and "lot et par" in theirs


def test_delete_account_needs_the_email_or_the_word_then_erases_on_the_server(
    qtbot: QtBot, ctx: AppContext, live: LiveServer, account: Account
) -> None:
    assert delete_confirmed(DELETE_WORD, account.email)
    assert delete_confirmed(account.email.upper(), account.email)
    assert not delete_confirmed("supprimer mon compte", account.email)
    assert not delete_confirmed("", "")

    logged_in_app(ctx, live, account)
    window = window_for(ctx, qtbot)
    window.show_page(Page.SETTINGS)
    page = window.settings_page
    page.show_account()
    # The e-mail field is filled from the settings at once; the account state comes a moment later.
    qtbot.waitUntil(lambda: page.account.delete_account_button.isEnabled(), timeout=WAIT_MS)
    assert page.account.email.text() == account.email
    assert page.account.delete_account_button.isEnabled()

    page.account.delete_account_button.click()
    dlg = page.account.delete_dialog
    assert isinstance(dlg, DeleteAccountDialog) and dlg.isVisible()
    assert not dlg.confirm.isEnabled()
    dlg.typed.setText("oui")
    assert not dlg.confirm.isEnabled()
    dlg.typed.setText(account.email)
    assert not dlg.confirm.isEnabled()  # the password is asked too
    dlg.password.setText(account.password)
    assert dlg.confirm.isEnabled() and not dlg.wipe.isChecked()  # the local wipe is a choice

    page.account.delete_account(
        "oui", wipe_local=False, password=account.password
    )  # never reaches the server
    assert "pas été supprimé" in page.account.account_state.text()
    # A wrong password: the server keeps the account, this computer keeps everything.
    page.account.delete_account(account.email, wipe_local=False, password="pas-le-bon-mot-de-passe")
    qtbot.waitUntil(lambda: "n'a pas pu être supprimé" in page.account.account_state.text(), timeout=WAIT_MS)
    assert "mot de passe incorrect" in page.account.account_state.text()
    with AccountClient(live.url) as client:
        client.login(account.email, account.password)

    qtbot.mouseClick(dlg.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "supprimé du serveur" in page.account.account_state.text(), timeout=WAIT_MS)
    assert "restent sur cet ordinateur" in page.account.account_state.text()
    with pytest.raises(AuthRequired), AccountClient(live.url) as client:
        client.login(account.email, account.password)
    # Local data stay and the app works without an account.
    st = ctx.runner.call(ctx.backend.account_status)
    assert not st.logged_in
    assert ctx.runner.call(ctx.backend.load_profile) is not None
    qtbot.waitUntil(lambda: not page.account.delete_account_button.isEnabled(), timeout=WAIT_MS)


def test_delete_account_with_local_wipe_erases_this_computer_too(
    qtbot: QtBot, ctx: AppContext, live: LiveServer, account: Account
) -> None:
    logged_in_app(ctx, live, account)
    store_path = Path(ctx.backend.store.path)
    window = window_for(ctx, qtbot)
    page = window.settings_page
    page.show_account()
    # The e-mail field is filled from the settings at once; the account state comes a moment later.
    qtbot.waitUntil(lambda: page.account.delete_account_button.isEnabled(), timeout=WAIT_MS)
    assert page.account.email.text() == account.email
    with qtbot.waitSignal(window.store_erased, timeout=WAIT_MS):
        page.account.delete_account(DELETE_WORD, wipe_local=True, password=account.password)
    assert not store_path.exists()
    assert not window.sync.enabled
    with pytest.raises(AuthRequired), AccountClient(live.url) as client:
        client.login(account.email, account.password)


def test_memoire_switch_off_by_default_and_persists(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.runner.call(ctx.backend.create_store)

    def new_consultation() -> str:
        with ctx.backend.store.transaction() as tx:
            return repo_consultations.create(tx, title="Réfection de voirie", source_name="dce.zip")

    uuid = ctx.runner.call(new_consultation)
    window = window_for(ctx, qtbot)
    window.open_consultation(uuid)
    view = window.consultation_view
    qtbot.waitUntil(view.memoire_sync.isEnabled, timeout=WAIT_MS)
    assert not view.memoire_sync.isChecked()
    view.tabs.setCurrentWidget(view.memoire)
    assert view.memoire_sync.isVisible()

    qtbot.mouseClick(view.memoire_sync, Qt.MouseButton.LeftButton)
    assert view.memoire_sync.isChecked()
    ctx.runner.wait_idle(WAIT_MS / 1000)
    assert ctx.runner.call(lambda: ctx.backend.memoire_sync(uuid)) is True

    # Another window (the app restarted) shows the switch on.
    window.close()
    again = window_for(ctx, qtbot)
    again.open_consultation(uuid)
    qtbot.waitUntil(again.consultation_view.memoire_sync.isEnabled, timeout=WAIT_MS)
    assert again.consultation_view.memoire_sync.isChecked()


def test_library_block_and_profile_row_can_stay_on_this_computer(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.runner.call(ctx.backend.create_store)
    ctx.runner.call(lambda: ctx.backend.import_profile(EXAMPLE_PROFILE))
    uuid = ctx.runner.call(
        lambda: ctx.backend.save_block(BlockRow("", "Tarifs internes", body="Confidentiel."))
    )
    window = window_for(ctx, qtbot)
    window.show_page(Page.LIBRARY)
    lib = window.library
    qtbot.waitUntil(lambda: lib.local_only.isEnabled(), timeout=WAIT_MS)
    assert not lib.local_only.isChecked()
    qtbot.mouseClick(lib.local_only, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: uuid in lib.local_ids, timeout=WAIT_MS)
    assert ctx.runner.call(lambda: ctx.backend.local_only("library_blocks")) == {uuid}
    assert "non synchronisé" in lib.list.item(0).text()

    window.show_page(Page.PROFILE)
    certs = window.profile.certifications
    qtbot.waitUntil(lambda: certs.table.rowCount() > 0, timeout=WAIT_MS)
    col = len(certs.columns)
    cell = certs.table.item(0, col)
    assert cell is not None and cell.checkState() == Qt.CheckState.Unchecked
    cell.setCheckState(Qt.CheckState.Checked)
    ctx.runner.wait_idle(WAIT_MS / 1000)
    kept = ctx.runner.call(lambda: ctx.backend.local_only("certifications"))
    assert len(kept) == 1 and next(iter(kept)) in certs.local_ids


def test_offline_state_says_a_retry_is_coming_and_keeps_counting_edits(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.runner.call(ctx.backend.create_store)
    window = window_for(ctx, qtbot)
    window.sync.enabled = True  # as when logged in
    window.sync._done(SyncReport("offline", message="Serveur injoignable.", to_send=2))
    text = window.sync_label.text()
    assert text.startswith("Hors ligne — nouvelle tentative à ")
    assert "2 modification(s) en attente" in text
    assert window.sync_label.toolTip() == "Serveur injoignable."
    assert window.sync.retry.isActive() and window.sync.failures == 1
    first = window.sync.retry.interval()
    window.sync._done(SyncReport("offline", to_send=2))
    assert window.sync.retry.interval() > first  # backing off
    window.sync._done(SyncReport("ok", last_sync=datetime.now(UTC).isoformat()))
    assert window.sync.failures == 0
    assert window.sync_label.text().startswith("Synchronisé à ")
    assert state_text(SyncReport("off")) == "Synchronisation : non connecté"
    window.sync.stop()
