"""End to end through the CLI (child processes) against the loopback Messages API server."""

from __future__ import annotations

import json
from pathlib import Path

from fpdf import FPDF

from tests.claude.conftest import extraction, source
from tests.conftest import run_cli
from tests.support.fake_claude import FakeClaude, Reply

KEY = "sk-ant-api03-test-" + "x" * 40

RC_TEXT = [
    "Commune de Saint-Exemple - Règlement de la consultation. Objet : entretien des espaces verts.",
    "Les offres devront parvenir avant le 18 avril 2025 à 12h00. Délai de validité des offres : 120 jours.",
]


def _write_pdf(path: Path, pages: list[str]) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def _dce(tmp_path: Path) -> Path:
    folder = tmp_path / "dce"
    folder.mkdir()
    _write_pdf(folder / "RC.pdf", RC_TEXT)
    cctp = [f"Article {n} : tonte et taille des haies, secteur {n}." for n in range(1, 9)]
    cctp[4] = "Article 5 : mémoire technique et moyens."
    _write_pdf(folder / "CCTP.pdf", cctp)
    return folder


def _answer(body: dict[str, object]) -> Reply:
    rc = "RC.pdf"
    return Reply.structured(
        extraction(
            buyer={"value": "Commune de Saint-Exemple", "source": source(rc, 1, "Commune de Saint-Exemple")},
            offer_validity_days={
                "value": 120,
                "source": source(rc, 2, "Délai de validité des offres : 120 jours"),
            },
            memoire_page_limit={"value": 10, "source": source(rc, 2, "Le mémoire est limité à 10 pages.")},
        )
    )


def test_analyze_engine_claude_end_to_end(fake: FakeClaude, cli_env: dict[str, str], tmp_path: Path) -> None:
    fake.default = _answer
    env = {**cli_env, "ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": fake.url}
    code, out, err = run_cli(
        ["analyze", str(_dce(tmp_path)), "--engine", "claude", "--format", "json", "--send-to-claude"], env
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["engine"] == "claude"
    assert data["buyer"] == "Commune de Saint-Exemple"
    assert data["evidence"]["buyer"]["verified"] is True and data["evidence"]["buyer"]["engine"] == "claude"
    assert data["evidence"]["offer_validity_days"]["verified"] is True
    # The page limit's quote is on no page: kept, flagged, announced.
    assert data["memoire_page_limit"] == 10
    assert data["evidence"]["memoire_page_limit"]["verified"] is False
    assert any("non vérifiées" in w for w in data["warnings"])
    assert fake.message_calls[0].headers["authorization"] == f"Bearer {KEY}"
    sent = str(fake.message_calls[0].body["messages"])
    assert "mémoire technique et moyens" in sent  # the relevant CCTP page…
    assert "secteur 7" not in sent  # …not the others


def test_analyze_engine_hybrid_end_to_end(fake: FakeClaude, cli_env: dict[str, str], tmp_path: Path) -> None:
    from app.analysis.engines import analyze
    from app.dce.reader import read_dce

    fake.default = _answer
    folder = _dce(tmp_path)
    env = {**cli_env, "ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": fake.url}
    code, out, err = run_cli(
        ["analyze", str(folder), "--engine", "hybrid", "--format", "json", "--send-to-claude"], env
    )
    assert code == 0, err
    data = json.loads(out)
    offline = analyze(read_dce([folder]).pieces, "offline").to_contract()
    assert data["engine"] == "hybrid"
    claude_fields = {"buyer", "offer_validity_days", "memoire_page_limit"}
    for name in claude_fields:
        ev = data["evidence"][name]
        off_ev = offline["evidence"].get(name)
        doubtful = offline["confidence"].get(name) == "low"
        if off_ev is not None and off_ev["verified"] and not doubtful:  # a sure offline value stands
            assert ev["engine"] == "offline" and data[name] == offline[name]
        elif doubtful:  # an offline value à vérifier is asked again; a verified answer replaces it
            assert ev["engine"] == "claude" and data["confidence"][name] == "high"
        elif offline[name] is None:  # a gap filled by Claude, flagged when its quote is not found
            assert ev["engine"] == "claude"
            assert ev["verified"] is (name != "memoire_page_limit")
    # Only the fields the offline rules missed were asked.
    asked = str(fake.message_calls[0].body["messages"])
    assert "Seuls ces champs sont demandés" in asked


def test_set_api_key_from_stdin_then_usage(fake: FakeClaude, cli_env: dict[str, str], tmp_path: Path) -> None:
    env = {**cli_env, "ANTHROPIC_BASE_URL": fake.url}
    code, _, err = run_cli(["store", "init"], env)
    assert code == 0, err
    # The key is never an argument.
    code, _, _ = run_cli(["config", "set-api-key", KEY], env)
    assert code == 2
    code, out, err = run_cli(["config", "set-api-key"], env, stdin=KEY + "\n")
    assert code == 0, err
    assert KEY not in out + err
    assert KEY in Path(env["MAITRE_AO_TEST_KEYRING"]).read_text()  # in the (test) keychain…
    settings_text = "".join(p.read_text() for p in Path(env["MAITRE_AO_HOME"]).rglob("*.json"))
    assert KEY not in settings_text  # …and nowhere in the settings
    code, out, _ = run_cli(["config", "show"], env)
    assert "votre clé API" in out and "hybrid" in out

    fake.default = _answer
    code, out, err = run_cli(
        ["analyze", str(_dce(tmp_path)), "--engine", "claude", "--format", "json", "--send-to-claude"], env
    )
    assert code == 0, err
    assert fake.message_calls[-1].headers["authorization"] == f"Bearer {KEY}"  # the keychain's key was used

    code, out, err = run_cli(["usage", "--format", "json"], env)
    assert code == 0, err
    data = json.loads(out)
    assert len(data["calls"]) == 1 and data["calls"][0]["purpose"] == "extraction"
    served = fake.message_calls[-1].usage
    assert served is not None and data["calls"][0]["input_tokens"] == served["input_tokens"]
    assert data["month"]["cost_eur"] > 0
    code, out, _ = run_cli(["usage"], env)
    assert "Dépense du mois en cours" in out and "extraction" in out


def test_bad_key_is_refused(cli_env: dict[str, str]) -> None:
    code, _, err = run_cli(["config", "set-api-key"], cli_env, stdin="pas une clé\n")
    assert code == 4 and "clé API" in err
