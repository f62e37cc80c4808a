"""Issue 16, Dashboard: "the Prochaines échéances timeline is empty for three consultations whose
deadlines are further than its 8 weeks"; counts per status follow a status change; the deadlines go
to an iCalendar file from the dashboard's button."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from local_store import repo_consultations as repo_c
from ui.backend import Changed
from ui.context import AppContext
from ui.main_window import MainWindow

PARIS = ZoneInfo("Europe/Paris")
TIMEOUT = 30000


def _consultations(ctx: AppContext) -> dict[str, str]:
    """Three consultations due in 10, 14 and 20 weeks (at 12:00 Paris time), one past 5 days ago."""
    now = datetime.now(PARIS).replace(hour=12, minute=0, second=0, microsecond=0)
    plan = {
        "Voirie de Serris": (now + timedelta(weeks=10), now + timedelta(weeks=9)),
        "École de Melun": (now + timedelta(weeks=14), None),
        "Gymnase de Meaux": (now + timedelta(weeks=20), None),
        "Crèche de Lagny": (now - timedelta(days=5), None),
    }

    def make() -> dict[str, str]:
        store = ctx.backend.require_store()
        made = {}
        with store.transaction() as tx:
            for title, (deadline, questions) in plan.items():
                uuid = repo_c.create(tx, title=title, source_name=f"{title}.zip")
                repo_c.update_metadata(
                    tx,
                    uuid,
                    deadline=deadline.isoformat(),
                    questions_deadline=questions.isoformat() if questions else None,
                )
                made[title] = uuid
        return made

    return ctx.runner.call(make)


def _window(qtbot: QtBot, ctx: AppContext) -> tuple[MainWindow, dict[str, str]]:
    ctx.runner.call(ctx.backend.create_store)
    made = _consultations(ctx)
    window = MainWindow(ctx, load=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.store_ready()
    qtbot.waitUntil(lambda: window.dashboard.counts["a_analyser"].text() == "4", timeout=TIMEOUT)
    return window, made


def _red_marks(widget: QWidget) -> int:
    """How many deadline marks (red dots) are painted on the timeline (counted along the line)."""
    image = widget.grab().toImage()
    best = 0
    for y in range(image.height() * 2 // 5, image.height() * 3 // 4):
        marks, inside = 0, False
        for x in range(image.width()):
            color = QColor(image.pixel(x, y))
            red = color.red() > 150 and color.green() < 90 and color.blue() < 90
            if red and not inside:
                marks += 1
            inside = red
        best = max(best, marks)
    return best


def _counts(window: MainWindow) -> dict[str, str]:
    return {key: label.text() for key, label in window.dashboard.counts.items()}


def test_dashboard_timeline_shows_deadlines_beyond_8_weeks_and_counts_follow_status(
    qtbot: QtBot, ctx: AppContext
) -> None:
    window, made = _window(qtbot, ctx)
    timeline = window.dashboard.timeline
    assert window.stack.currentWidget() is window.dashboard
    qtbot.waitExposed(window)
    # What the user sees: the three coming deadlines drawn in red (the past one greyed, not red).
    assert _red_marks(timeline) == 3

    # Every consultation's deadline is drawn inside the widget, in date order, left to right.
    drawn = [(x, e.title, e.kind.value, e.past) for x, e in timeline.positions()]
    deadlines = [(x, title, past) for x, title, kind, past in drawn if kind == "deadline"]
    assert [t for _x, t, _p in deadlines] == [
        "Crèche de Lagny",
        "Voirie de Serris",
        "École de Melun",
        "Gymnase de Meaux",
    ]
    width = timeline.width()
    xs = [x for x, _t, _p in deadlines]
    assert all(0 < x < width for x in xs), (xs, width)
    assert xs == sorted(xs) and xs[-1] - xs[0] > width / 2  # spread over the line, not piled up
    # The past one is flagged (drawn greyed), the others not; the questions date is there too.
    assert [p for _x, _t, p in deadlines] == [True, False, False, False]
    assert ("Voirie de Serris", "questions") in {(t, k) for _x, t, k, _p in drawn}

    # Counts per status, in French on the cards.
    assert _counts(window) == {
        "a_analyser": "4",
        "en_cours": "0",
        "deposee": "0",
        "gagnee": "0",
        "perdue": "0",
    }
    labels = [w.text() for w in window.dashboard.findChildren(type(window.dashboard.error))]
    for label in ("À analyser", "En cours", "Déposée", "Gagnée", "Perdue"):
        assert label in labels

    # A status set elsewhere: the dashboard follows without a restart.
    ctx.runner.call(lambda: ctx.backend.set_status(made["Gymnase de Meaux"], "deposee"))
    qtbot.waitUntil(lambda: _counts(window)["deposee"] == "1", timeout=TIMEOUT)
    assert _counts(window)["a_analyser"] == "3"
    ctx.runner.call(lambda: ctx.backend.set_status(made["Crèche de Lagny"], "perdue"))
    qtbot.waitUntil(lambda: _counts(window)["perdue"] == "1", timeout=TIMEOUT)
    assert _counts(window)["a_analyser"] == "2"
    # A deadline moved to the past: the timeline follows (greyed, no longer red).
    store = ctx.backend.require_store
    past = (datetime.now(PARIS) - timedelta(days=2)).isoformat()

    def move() -> None:
        with store().transaction() as tx:
            repo_c.update_metadata(tx, made["École de Melun"], deadline=past)
        ctx.backend.changed(Changed.CONSULTATIONS)

    ctx.runner.call(move)
    qtbot.waitUntil(lambda: _red_marks(timeline) == 2, timeout=TIMEOUT)
    ctx.runner.wait_idle(30)


def test_dashboard_button_exports_deadlines_as_ical(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, made = _window(qtbot, ctx)
    dash = window.dashboard
    assert dash.calendar_button.text() == "Exporter les échéances…"
    target = tmp_path / "mes échéances"  # the extension is added
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "Calendrier iCalendar (*.ics)")
    )
    with qtbot.waitSignal(dash.calendar_written, timeout=TIMEOUT) as written:
        dash.calendar_button.click()
    path = Path(written.args[0])
    assert path == tmp_path / "mes échéances.ics"
    assert dash.calendar_status.isVisible()
    assert dash.calendar_status.text() == (
        "5 date(s) enregistrée(s) dans mes échéances.ics : ouvrez ce fichier avec votre agenda."
    )

    # Read back: one VEVENT per date, Paris local times, the consultation named.
    text = path.read_bytes().decode("utf-8").replace("\r\n ", "")
    events = re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", text, flags=re.S)
    assert len(events) == 5
    starts = {
        re.search(r"SUMMARY:(.*)\r\n", e).group(1): re.search(
            r"DTSTART;TZID=Europe/Paris:(\d{8}T\d{6})", e
        ).group(1)  # type: ignore[union-attr]
        for e in events
    }
    due = datetime.fromisoformat(
        ctx.runner.call(lambda: ctx.backend.consultation(made["École de Melun"])).deadline or ""
    ).astimezone(PARIS)
    assert starts["Date limite de remise des offres — École de Melun"] == due.strftime("%Y%m%dT120000")
    assert "Date limite des questions — Voirie de Serris" in starts
    assert "TZID:Europe/Paris" in text

    # A folder that cannot be written: a French message, nothing else breaks.
    blocked = tmp_path / "bloqué"
    blocked.write_text("un fichier, pas un dossier")
    dash.export_calendar(blocked / "échéances.ics")
    qtbot.waitUntil(
        lambda: dash.calendar_status.text().startswith("Les échéances n'ont pas pu"), timeout=TIMEOUT
    )
    assert "échéances.ics" in dash.calendar_status.text() and "directory" not in dash.calendar_status.text()
    ctx.runner.wait_idle(30)
