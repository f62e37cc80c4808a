"""Every error a user can meet is one of the named families, never the bare base class."""

from __future__ import annotations

import ast
from pathlib import Path

from app.domain import errors

ROOT = Path(__file__).resolve().parents[2]


def test_no_bare_user_error_is_raised() -> None:
    bare: list[str] = []
    for folder in ("app", "ui", "local_store", "sync"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                    func = node.exc.func
                    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                    if name == "UserError":
                        bare.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bare, f"raise a UserError subclass (app.domain.errors) instead: {bare}"


def test_families_keep_a_french_message_and_an_exit_code() -> None:
    for family in (errors.NotFound, errors.NotReady, errors.NotPossible, errors.BackupRefused):
        error = family("Élément introuvable.")
        assert isinstance(error, errors.UserError)
        assert str(error) == "Élément introuvable." and error.exit_code == errors.UserError.exit_code
