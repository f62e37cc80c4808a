"""UI fixtures: an application context on this test's private data folder and keychain."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from ui.context import AppContext
from ui.main import create_application, make_context


@pytest.fixture
def ctx(qapp: QApplication) -> Iterator[AppContext]:
    context = make_context(create_application())
    yield context
    context.runner.wait_idle(20)
    context.runner.call(context.backend.close)
    context.runner.shutdown()
