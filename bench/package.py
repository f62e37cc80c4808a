"""Size of the built desktop folder (target ≤ 150 MB), with the largest parts. Run after `make package`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def size(path: Path) -> int:
    """Bytes on disk, like `du`: symlinks (PyInstaller links Qt libraries) are not counted twice."""
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_size
    total = 0
    for folder, _dirs, files in os.walk(path):  # os.walk does not follow directory links
        for name in files:
            file = Path(folder) / name
            if not file.is_symlink():
                total += file.stat().st_size
    return total


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist" / "maitre-ao"
    if not folder.exists():
        print(f"{folder} not built: run `make package` first")
        return 0
    total = size(folder)
    print(f"built folder: {folder}  size: {total / 1e6:.1f} MB (target <= 150 MB)")
    inner = folder / "_internal" if (folder / "_internal").exists() else folder
    parts = sorted(((size(p), p.name) for p in inner.iterdir()), reverse=True)[:10]
    for nbytes, name in parts:
        print(f"  {nbytes / 1e6:7.1f} MB  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
