"""The CLI's own texts are French, a closed pipe is not an error, no store is exit 5 (issue 16)."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_DIR, REPO, run_cli

# argparse's own English (Python 3.11–3.13) and a few words that only English help would hold.
ENGLISH = re.compile(
    r"(?i:usage:|positional arguments|optional arguments|show this help|show program's version|"
    r"\berror\b|\brequired\b|invalid choice|unrecognized|expected one)|"
    r"\b(?:QUERY|TEXT|PATH|FILE|LIMIT|STATUS)\b"
)


def _all_commands() -> list[list[str]]:
    from app.cli.main import build_parser

    def walk(parser: argparse.ArgumentParser, path: list[str]) -> list[list[str]]:
        found = [path]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found += walk(sub, [*path, name])
        return found

    return walk(build_parser(), [])


def test_cli_help_is_french_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli.main import run

    commands = _all_commands()
    assert len(commands) > 20
    for path in commands:
        with pytest.raises(SystemExit) as info:
            run([*path, "--help"])
        assert info.value.code == 0
        out = capsys.readouterr().out
        assert "utilisation : maitre-ao" in out and "afficher cette aide et quitter" in out, path
        assert not ENGLISH.search(out), (path, ENGLISH.search(out))


def test_cli_help_through_the_entry_point_has_no_english(cli_env: dict[str, str]) -> None:
    for args in (["--help"], ["consultations", "list", "--help"], ["search", "--help"]):
        code, out, err = run_cli(args, cli_env)
        assert code == 0, err
        assert "utilisation :" in out and "options:" in out
        assert not ENGLISH.search(out), (args, ENGLISH.search(out))


def test_cli_usage_errors_are_french(cli_env: dict[str, str]) -> None:
    code, _, err = run_cli(["search"], cli_env)
    assert code == 2
    assert "arguments obligatoires manquants : TEXTE" in err and not ENGLISH.search(err), err
    code, _, err = run_cli(["analyze", "x", "--engine", "magic"], cli_env)
    assert code == 2
    assert "choix invalide" in err and not ENGLISH.search(err), err
    code, _, err = run_cli(["search", "x", "--limit", "beaucoup"], cli_env)
    assert code == 2
    assert "valeur invalide (entier)" in err and not ENGLISH.search(err), err
    code, _out, err = run_cli(["nimportequoi"], cli_env)
    assert code == 2 and "choix invalide" in err, err


def test_cli_without_store_exits_5_with_a_french_message(cli_env: dict[str, str]) -> None:
    from app.domain.errors import EXIT_NO_STORE

    code, _out, err = run_cli(["consultations", "list"], cli_env)
    assert code == EXIT_NO_STORE == 5
    assert "Aucun coffre" in err and "maitre-ao store init" in err
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "5 no store yet" in readme


def test_search_piped_into_head_exits_0_without_error(
    store: object, cli_env: dict[str, str], isolated_home: Path
) -> None:
    from app.services.consultations import import_dce

    import_dce(store, [EXAMPLE_DIR / "dce.zip"], workers=1)  # type: ignore[arg-type]
    store.close()  # type: ignore[attr-defined]
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.launcher", "search", "--limit", "500", "le"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env,
        cwd=REPO,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader stops before anything is written (`| head -0`)
    err = proc.stderr.read().decode("utf-8")
    code = proc.wait(timeout=120)
    assert code == 0, err
    assert "Erreur inattendue" not in err and "BrokenPipeError" not in err, err
    log = (isolated_home / "logs" / "maitre-ao.log").read_text(encoding="utf-8")
    assert "BrokenPipeError" not in log and "Traceback" not in log
