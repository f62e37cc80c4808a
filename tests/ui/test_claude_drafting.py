"""Rédiger avec Claude: the text streams into the editor; Arrêter keeps what already came.
Claude is the loopback Messages API server of tests/support (the real SDK talks to it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.progress import CancelToken, no_progress
from tests.support.fake_claude import FakeClaude, Reply
from tests.ui.helpers import EXAMPLE_ZIP, ready_window
from ui.context import AppContext
from ui.pages import consent_dialog


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeClaude]:
    with FakeClaude() as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        yield server


def test_claude_streams_into_the_editor_and_stop_keeps_the_start(
    qtbot: QtBot, ctx: AppContext, fake: FakeClaude, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[object] = []

    def agree(notice: object, _parent: object) -> tuple[bool, bool]:
        asked.append(notice)
        return True, False

    monkeypatch.setattr(consent_dialog, "ask", agree)
    window = ready_window(ctx)
    qtbot.addWidget(window)
    backend = ctx.backend
    uuid = ctx.runner.call(
        lambda: backend.import_dce_checked([EXAMPLE_ZIP], no_progress, CancelToken())
    ).consultation_uuid
    ctx.runner.call(lambda: backend.set_api_key("sk-ant-api03-cle-de-test-0123456789"))
    ctx.runner.call(lambda: backend.set_claude_mode("own_key"))
    view = window.consultation_view
    with qtbot.waitSignal(view.loaded, timeout=30000):
        window.open_consultation(uuid)
    mem = view.memoire
    qtbot.waitUntil(lambda: mem.current is not None, timeout=20000)
    mem.select_section(1)
    key = mem.current.key if mem.current else ""

    text = "Notre chef de chantier coordonne les équipes. [à compléter : nom du chef de chantier]"
    fake.push(Reply(text=text, chunks=6, delay=0.02))
    seen: list[str] = []
    mem.streamed.connect(seen.append)
    qtbot.mouseClick(mem.claude_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1  # the first drafting of this consultation asks before anything is sent
    assert mem._draft_op is not None
    qtbot.waitUntil(lambda: mem._draft_op is None, timeout=30000)
    assert mem.editor.toPlainText().strip() == text
    assert len(seen) > 1, "the text came in several pieces"
    assert mem.marker_count() == 1  # the [à compléter : …] marker is highlighted and counted

    long_text = " ".join(f"Phrase {i} du mémoire rédigée par Claude." for i in range(40))
    fake.push(Reply(text=long_text, chunks=40, delay=0.1))
    qtbot.mouseClick(mem.claude_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Phrase 0" in mem.editor.toPlainText(), timeout=20000)
    qtbot.mouseClick(mem.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: mem._draft_op is None, timeout=20000)
    kept = mem.editor.toPlainText().strip()
    assert kept and long_text.startswith(kept) and len(kept) < len(long_text)
    assert len(asked) == 1  # asked once: the answer is kept for the consultation

    ctx.runner.wait_idle(20)
    stored = {s.key: s.body for s in ctx.runner.call(lambda: backend.outline(uuid))}
    assert stored[key].strip() == kept
