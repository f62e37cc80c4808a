"""The desktop asks before DCE text goes to Claude, says exactly what leaves, and no sentence claims
that the DCE text never leaves (issue 18, item 7)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.domain.progress import CancelToken, no_progress
from app.services import consent
from tests.support.fake_claude import FakeClaude
from tests.ui.helpers import EXAMPLE_ZIP, ready_window
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.pages import consent_dialog
from ui.pages.settings_page import SettingsTab


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeClaude]:
    with FakeClaude() as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-cle-de-test-0123456789")
        yield server


def _opened(qtbot: QtBot, ctx: AppContext) -> tuple[MainWindow, str]:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    backend = ctx.backend
    uuid = ctx.runner.call(
        lambda: backend.import_dce_checked([EXAMPLE_ZIP], no_progress, CancelToken())
    ).consultation_uuid
    view = window.consultation_view
    with qtbot.waitSignal(view.loaded, timeout=30000):
        window.open_consultation(uuid)
    return window, uuid


def test_refusing_sends_nothing_and_is_kept(
    qtbot: QtBot, ctx: AppContext, fake: FakeClaude, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[consent.Disclosure] = []

    def refuse(notice: consent.Disclosure, _parent: object) -> tuple[bool, bool]:
        shown.append(notice)
        return False, False

    monkeypatch.setattr(consent_dialog, "ask", refuse)
    window, uuid = _opened(qtbot, ctx)
    view = window.consultation_view
    view.engine.setCurrentIndex(view.engine.findData("claude"))
    messages: list[str] = []
    view.message.connect(lambda m, _kind: messages.append(m))
    view.run_analysis()
    [notice] = shown
    assert notice.purpose == "analyse" and notice.pieces >= 3
    text = notice.text()
    for words in ("Anthropic", "États-Unis", "Data Privacy Framework", "clauses contractuelles types"):
        assert words in text
    view.run_analysis()  # not asked again: refused for this consultation
    assert len(shown) == 1
    assert messages and "refusé" in messages[-1]
    ctx.runner.wait_idle(20)
    assert fake.message_calls == []
    assert (
        ctx.runner.call(lambda: consent.consultation_choice(ctx.backend.require_store(), uuid))
        == consent.REFUSED
    )


def test_agreeing_once_with_remember_sets_the_global_setting(
    qtbot: QtBot, ctx: AppContext, fake: FakeClaude, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(consent_dialog, "ask", lambda _n, _p: (True, True))
    window, _uuid = _opened(qtbot, ctx)
    view = window.consultation_view
    view.engine.setCurrentIndex(view.engine.findData("hybrid"))
    view.run_analysis()
    assert consent.global_choice() == consent.ALWAYS


def test_the_dialog_says_what_to_whom_and_offers_to_remember(qtbot: QtBot) -> None:
    dialog = consent_dialog.ConsentDialog(consent.Disclosure("rédaction", 4, 37, 81_000))
    qtbot.addWidget(dialog)
    assert "4 pièce(s), 37 page(s), environ 79 Ko" in dialog.text.text()
    assert "hors ligne n'envoie rien" in dialog.text.text()
    assert dialog.send.text() == "Envoyer à Claude" and dialog.refuse.text() == "Ne pas envoyer"
    assert not dialog.remember.isChecked()


def test_about_page_lists_what_leaves_and_no_label_claims_the_dce_never_leaves(
    qtbot: QtBot, ctx: AppContext
) -> None:
    window, _uuid = _opened(qtbot, ctx)
    settings = window.settings_page
    settings.show_tab(SettingsTab.ABOUT)
    settings.about.fill()
    about = settings.about.toPlainText()
    assert "ce qui quitte cet ordinateur" in about
    for flow in consent.WHAT_LEAVES:
        assert flow.what in about
    assert len(consent.PROMISES) == 17  # every promise of the published policy, with how it is kept
    for promise, _how in consent.PROMISES:
        assert promise in about
    assert "Anthropic" in about and "Serveur Maître AO" in about
    labels = [w.text() for page in (window, window.consultation_view) for w in page.findChildren(QLabel)]
    for text in labels:
        assert "ne quittent jamais cet ordinateur" not in text.replace("\n", " "), text
        assert "Ne quittent jamais cet ordinateur : les pièces" not in text, text


def test_the_global_choice_is_a_setting_in_the_claude_section(qtbot: QtBot, ctx: AppContext) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    combo = window.settings_page.claude.send_dce
    assert combo.currentData() == "ask"
    combo.setCurrentIndex(combo.findData("never"))
    assert consent.global_choice() == consent.NEVER
    assert consent.decided(None, None) is False
