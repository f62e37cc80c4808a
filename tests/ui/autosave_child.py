"""Child process of test_autosave: opens the app on a consultation, types into the first section,
prints SAVED once the autosave reached the store, then waits to be killed (SIGKILL)."""

from __future__ import annotations

import sys
import time


def main(uuid: str, text: str) -> int:
    from ui.main import create_application, make_context
    from ui.main_window import MainWindow

    app = create_application([])
    ctx = make_context(app)
    ctx.runner.call(ctx.backend.open)
    window = MainWindow(ctx)
    window.show()
    window.open_consultation(uuid)
    mem = window.consultation_view.memoire
    deadline = time.monotonic() + 60
    while mem.tree.topLevelItemCount() == 0 and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    mem.select_section(0)
    ctx.runner.wait_idle(30)
    mem.saved.connect(lambda _s: print("SAVED", flush=True))
    cursor = mem.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    mem.editor.setTextCursor(cursor)
    mem.editor.insertPlainText("\n" + text)  # no explicit save: the debounce must do it
    while True:  # the parent kills us without warning
        app.processEvents()
        time.sleep(0.01)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
