"""server/ imports nothing of the project but sync.protocol (and never Qt)."""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN_ROOTS = {"app", "local_store", "ui", "PySide6", "tests", "bench"}


def test_server_imports_only_sync_protocol_from_the_project(repo_root: Path) -> None:
    offenders: list[str] = []
    for path in sorted((repo_root / "server").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                root = name.split(".")[0]
                if root in FORBIDDEN_ROOTS or (root == "sync" and name != "sync.protocol"):
                    offenders.append(f"{path.relative_to(repo_root)}: {name}")
    assert offenders == []
