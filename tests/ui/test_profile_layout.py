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


def test_profile_tables_show_french_labels_not_codes_and_save_them_back(
    qtbot: QtBot, ctx: AppContext
) -> None:
    from app.domain.profile import AdminDocKind, InsuranceKind

    window = ready_window(ctx)
    qtbot.addWidget(window)
    window.show_page(Page.PROFILE)
    page = window.page(Page.PROFILE)
    assert isinstance(page, ProfilePage)
    qtbot.waitUntil(lambda: page.insurances.table.rowCount() > 0, timeout=20000)
    shown = [
        item.text()
        for table in (page.insurances, page.admin_docs)
        for r in range(table.table.rowCount())
        for c in range(table.table.columnCount())
        if (item := table.table.item(r, c)) is not None
    ]
    codes = {k.value for k in InsuranceKind} | {k.value for k in AdminDocKind}
    assert not codes & set(shown), codes & set(shown)
    assert "Responsabilité civile professionnelle" in shown
    # What is shown is read back as the stored value.
    kinds = [item.kind for item in page.insurances.items()]  # type: ignore[attr-defined]
    assert InsuranceKind.RC_PRO in kinds
