"""Entry point of `maitre-ao`: no argument starts the desktop app; a sub-command runs the CLI."""

from __future__ import annotations

import multiprocessing
import sys


def main() -> int:
    if sys.argv[1:] == ["--version"]:  # answered before the CLI's modules are imported
        from app import __version__

        print(f"maitre-ao {__version__}")
        return 0
    from app.cli.main import run

    # DCE pieces are read in worker processes: a frozen (PyInstaller) build must let a worker
    # started by spawn/forkserver run its task instead of starting the app again.
    multiprocessing.freeze_support()
    argv = sys.argv[1:]
    if argv:
        return run(argv)
    from ui.main import run_app  # Qt only loads for the desktop app

    return run_app(argv)


if __name__ == "__main__":
    raise SystemExit(main())
