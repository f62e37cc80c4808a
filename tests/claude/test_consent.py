"""Before any DCE text leaves the computer (issue 18, item 7): the first Claude analysis or drafting
of a consultation asks once; the answer is kept per consultation and may be global; the CLI asks on
a terminal and refuses without --send-to-claude when not interactive (exit 2, nothing sent)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.services import consent
from app.services import consultations as svc
from app.settings import CLAUDE_SEND_DCE, Settings
from local_store.store import Store
from tests.claude.test_cli import _answer, _dce
from tests.conftest import EXAMPLE_DIR, REPO, run_cli
from tests.support.fake_claude import FakeClaude

KEY = "sk-ant-test-key"


def _env(cli_env: dict[str, str], fake: FakeClaude) -> dict[str, str]:
    return {**cli_env, "ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": fake.url}


@pytest.mark.parametrize("engine", ["claude", "hybrid"])
def test_analyze_refuses_without_send_to_claude_when_not_interactive(
    fake: FakeClaude, cli_env: dict[str, str], tmp_path: Path, engine: str
) -> None:
    fake.default = _answer
    code, out, err = run_cli(["analyze", str(_dce(tmp_path)), "--engine", engine], _env(cli_env, fake))
    assert code == 2
    assert "--send-to-claude" in err and "rien n'a été envoyé" in err and "Anthropic" in err
    assert out == ""
    assert fake.message_calls == []


def test_analyze_without_claude_configured_or_offline_never_asks(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    folder = _dce(tmp_path)
    code, _out, err = run_cli(["analyze", str(folder), "--format", "text"], cli_env)
    assert code == 0, err
    code, _out, err = run_cli(["analyze", str(folder), "--engine", "offline"], cli_env)
    assert code == 0, err


def _run_on_a_terminal(args: list[str], env: dict[str, str], answer: bytes) -> tuple[int, str]:
    """`maitre-ao ARGS` with a terminal as stdin and stderr (stdout piped), answering the question."""
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.launcher", *args],
        stdin=child,
        stderr=child,
        stdout=subprocess.PIPE,
        env=env,
        cwd=REPO,
    )
    os.close(child)
    seen = b""
    deadline = time.monotonic() + 120
    answered = False
    while proc.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.1)
        if ready:
            try:
                seen += os.read(main, 65536)
            except OSError:
                break
        if not answered and b"[o/N]" in seen:
            os.write(main, answer)
            answered = True
    proc.wait(timeout=60)
    try:
        while select.select([main], [], [], 0.1)[0]:
            seen += os.read(main, 65536)
    except OSError:
        pass
    os.close(main)
    assert proc.stdout is not None
    proc.stdout.close()
    return proc.returncode, seen.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pty")
def test_analyze_asks_on_a_terminal_what_is_sent_and_to_whom(
    fake: FakeClaude, cli_env: dict[str, str], tmp_path: Path
) -> None:
    fake.default = _answer
    env = _env(cli_env, fake)
    folder = _dce(tmp_path)
    code, screen = _run_on_a_terminal(["analyze", str(folder), "--engine", "claude"], env, b"n\n")
    assert code == 2, screen
    for words in (
        "Anthropic",
        "États-Unis",
        "Data Privacy Framework",
        "clauses contractuelles types",
        "30 jours",
    ):
        assert words in screen.replace("\r\n", " ").replace("\n", " ")
    assert "hors ligne n'envoie rien" in screen
    assert "pièce(s)" in screen and "page(s)" in screen
    assert fake.message_calls == []
    code, screen = _run_on_a_terminal(["analyze", str(folder), "--engine", "claude"], env, b"o\n")
    assert code == 0, screen
    assert len(fake.message_calls) >= 1


def _imported(store: Store) -> str:
    from app.services import profile as profile_service

    uuid = svc.import_dce(store, [EXAMPLE_DIR / "dce.zip"], workers=1).consultation_uuid
    profile_service.import_file(store, EXAMPLE_DIR / "profile.json")
    return uuid


def test_consultation_analysis_asks_once_and_keeps_the_answer(store: Store, claude_env: FakeClaude) -> None:
    claude_env.default = _answer
    uuid = _imported(store)
    with pytest.raises(consent.ConsentRequired) as exc:
        svc.analyze_consultation(store, uuid, "claude")
    assert exc.value.exit_code == 2 and claude_env.message_calls == []
    notice = exc.value.disclosure
    assert notice is not None and notice.pieces >= 3 and notice.pages >= 3 and notice.characters > 1000

    asked: list[consent.Disclosure] = []

    def yes(n: consent.Disclosure) -> bool:
        asked.append(n)
        return True

    svc.analyze_consultation(store, uuid, "hybrid", confirm=yes)
    svc.analyze_consultation(store, uuid, "claude", confirm=yes)  # asked once: kept for the consultation
    assert len(asked) == 1
    assert consent.consultation_choice(store, uuid) == consent.GRANTED
    assert claude_env.message_calls


def test_a_refusal_is_kept_and_nothing_is_sent(store: Store, claude_env: FakeClaude) -> None:
    uuid = _imported(store)
    with pytest.raises(consent.ConsentRequired) as exc:
        svc.analyze_consultation(store, uuid, "claude", confirm=lambda _n: False)
    assert exc.value.refused and "refusé" in exc.value.message
    with pytest.raises(consent.ConsentRequired):
        svc.analyze_consultation(store, uuid, "claude", confirm=lambda _n: True)  # not asked again
    assert claude_env.message_calls == []
    # The offline engine is never concerned.
    assert svc.analyze_consultation(store, uuid, "offline").deadline


def test_the_global_setting_answers_for_every_consultation(store: Store, claude_env: FakeClaude) -> None:
    claude_env.default = _answer
    uuid = _imported(store)
    consent.record(None, None, True, remember=True)
    assert Settings.load().get(CLAUDE_SEND_DCE) == consent.ALWAYS
    svc.analyze_consultation(store, uuid, "claude")  # no question
    assert claude_env.message_calls
    consent.set_global_choice(consent.NEVER)
    other = _imported(store)
    with pytest.raises(consent.ConsentRequired):
        svc.analyze_consultation(store, other, "claude", confirm=lambda _n: True)


def test_drafting_with_claude_needs_the_agreement_too(
    claude_env: FakeClaude, cli_env: dict[str, str], store: Store
) -> None:
    fake = claude_env
    uuid = _imported(store)
    store.close()
    env = _env(cli_env, fake)
    code, _out, err = run_cli(["draft", uuid, "--engine", "claude"], env)
    assert code == 2 and "--send-to-claude" in err
    assert fake.message_calls == []
    from app.services import proposals
    from local_store.store import open_store

    again = open_store()
    try:
        stored = proposals.open_answer(again, uuid)
        key = stored.answer.outline.sections[-1].key
        with pytest.raises(consent.ConsentRequired):
            proposals.draft_with_claude(
                stored.answer, key, stored.pieces, lambda _t: None, consultation_uuid=uuid, store=again
            )
        assert fake.message_calls == []
        consent.record(again, uuid, True)
    finally:
        again.close()
    code, _out, err = run_cli(["draft", uuid, "--engine", "claude"], env)  # agreed for this consultation
    assert code == 0, err
    assert fake.message_calls


def test_the_privacy_list_names_every_recipient() -> None:
    recipients = " ".join(f.to_whom for f in consent.WHAT_LEAVES)
    assert "Anthropic" in recipients and "Serveur Maître AO" in recipients
    assert all(f.what and f.when and f.to_whom for f in consent.WHAT_LEAVES)
    assert "fichiers des DCE" in consent.NEVER_LEAVES
