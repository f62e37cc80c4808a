"""Autosave: text typed in the mémoire is in the encrypted store even if the process is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from app.domain.progress import CancelToken, no_progress
from tests.conftest import REPO
from tests.ui.helpers import EXAMPLE_PROFILE, EXAMPLE_ZIP
from ui.context import AppContext


def test_typed_text_survives_a_killed_process(ctx: AppContext) -> None:
    backend = ctx.backend
    ctx.runner.call(backend.create_store)
    ctx.runner.call(lambda: backend.import_profile(EXAMPLE_PROFILE))
    outcome = ctx.runner.call(lambda: backend.import_dce_checked([EXAMPLE_ZIP], no_progress, CancelToken()))
    uuid = outcome.consultation_uuid
    ctx.runner.call(backend.close)

    typed = "Texte tapé juste avant le plantage, numéro 4217."
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.autosave_child", uuid, typed],
        cwd=REPO,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert child.stdout is not None
        started = time.monotonic()
        line = ""
        while time.monotonic() - started < 60:
            line = child.stdout.readline()
            if line.strip() == "SAVED" or not line:
                break
        assert line.strip() == "SAVED", "the autosave never reached the store"
    finally:
        child.send_signal(signal.SIGKILL)  # no close event, no flush: a crash
        child.wait(10)
    assert child.returncode == -signal.SIGKILL

    ctx.runner.call(backend.open)
    sections = ctx.runner.call(lambda: backend.outline(uuid))
    assert typed in sections[0].body
