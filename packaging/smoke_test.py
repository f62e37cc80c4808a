"""Frozen smoke test: the built app prints its version, runs the offline demo, and encrypts its store.

usage: python packaging/smoke_test.py dist/maitre-ao
Exits non-zero with a message on the first failure. Uses only the standard library plus
python-docx (to reopen the DOCX as a reader would).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def fail(message: str) -> None:
    print(f"SMOKE FAIL: {message}")
    raise SystemExit(1)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    folder = Path(argv[1])
    exe = folder / ("maitre-ao.exe" if os.name == "nt" else "maitre-ao")
    if not exe.exists():
        fail(f"{exe} is missing")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, MAITRE_AO_HOME=str(Path(tmp) / "home"), QT_QPA_PLATFORM="offscreen")
        # No keychain on a headless runner: keyring's fail backend, so the passphrase mode is used.
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        env.pop("PYTHONPATH", None)

        out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=env, timeout=120)
        if out.returncode != 0 or "maitre-ao" not in out.stdout:
            fail(f"--version: rc={out.returncode} {out.stdout!r} {out.stderr!r}")
        print(out.stdout.strip())

        demo_dir = Path(tmp) / "demo"
        out = subprocess.run(
            [str(exe), "demo", "--out", str(demo_dir)], capture_output=True, text=True, env=env, timeout=600
        )
        if out.returncode != 0:
            fail(f"demo: rc={out.returncode}\n{out.stdout}\n{out.stderr}")
        import docx  # the reader's view of the DOCX

        for name in ("memoire.docx", "dc1.docx", "dc2.docx", "checklist.docx"):
            path = demo_dir / name
            if not path.exists():
                fail(f"demo did not write {name}")
            document = docx.Document(str(path))
            if not any(p.text.strip() for p in document.paragraphs):
                fail(f"{name} reopens empty")
        print(f"demo wrote {sorted(p.name for p in demo_dir.iterdir())}")

        out = subprocess.run(
            [str(exe), "store", "init", "--passphrase"],
            input="phrase de passe de test fumée\n",
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        if out.returncode != 0:
            fail(f"store init: rc={out.returncode}\n{out.stdout}\n{out.stderr}")
        stores = list((Path(tmp) / "home").glob("*.db"))
        if not stores:
            fail("store init created no store file")
        head = stores[0].read_bytes()[:16]
        if head.startswith(b"SQLite format 3"):
            fail("the store is a plain SQLite file")
        print(f"store {stores[0].name} is encrypted")
        # The desktop app itself: started offscreen, it must show its main window and keep running.
        gui_home = Path(tmp) / "gui-home"
        gui_env = dict(env, MAITRE_AO_HOME=str(gui_home))
        proc = subprocess.Popen([str(exe)], env=gui_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            proc.wait(timeout=15)
            fail(f"the desktop app exited (rc={proc.returncode}): {proc.stderr.read()[-2000:]!r}")
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log_file = gui_home / "logs" / "maitre-ao.log"
        if not log_file.exists() or "main window shown" not in log_file.read_text(encoding="utf-8"):
            fail("the desktop app did not show its main window")
        print("desktop app started and showed its main window")
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
