"""Layout (issue 16): "SIRET valide." sits under the field on one line, not in ~150 px of empty space."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.helpers import ready_window
from ui.context import AppContext
from ui.main_window import Page
from ui.pages.profile import ProfilePage


def test_siret_feedback_row_is_one_line_high(qtbot: QtBot, ctx: AppContext) -> None:
    window = ready_window(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show_page(Page.PROFILE)
    page = window.page(Page.PROFILE)
    assert isinstance(page, ProfilePage)
    qtbot.waitUntil(lambda: page.f_siret.feedback.text() == "SIRET valide.", timeout=20000)
    label = page.f_siret.feedback
    assert label.height() <= 2 * label.fontMetrics().height()
