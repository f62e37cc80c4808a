"""The DCE commands as a user runs them (child process, real store)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import EXAMPLE_DIR, run_cli

EXAMPLE = str(EXAMPLE_DIR / "dce.zip")


def test_analyze_prints_the_contract_without_touching_the_store(
    cli_env: dict[str, str], isolated_home: Path, tmp_path: Path
) -> None:
    code, out, err = run_cli(["analyze", EXAMPLE, "--format", "json"], cli_env)
    assert code == 0, err
    data = json.loads(out)
    pieces = {p["file"]: p for p in data["pieces"]}
    assert pieces["Règlement de consultation.pdf"]["kind"] == "RC"
    assert pieces["Plans/Plan masse.dwg"]["unread_reason"]
    assert pieces["Plans/Plan de situation.pdf"]["needs_ocr"] is True
    assert data["evidence"]["deadline"]["file"] == "Règlement de consultation.pdf"
    assert not (isolated_home / "maitre-ao.db").exists()

    out_file = tmp_path / "fiche.txt"
    code, _, err = run_cli(["analyze", EXAMPLE, "--format", "text", "--out", str(out_file)], cli_env)
    assert code == 0, err
    assert "Communauté de communes du Val de Brenne" in out_file.read_text(encoding="utf-8")

    code, _, err = run_cli(["analyze", str(tmp_path / "absent.zip")], cli_env)
    assert code == 4 and "Introuvable" in err


def test_import_list_and_search(cli_env: dict[str, str]) -> None:
    code, _, err = run_cli(["store", "init"], cli_env)
    assert code == 0, err
    code, out, err = run_cli(["import", EXAMPLE], cli_env)
    assert code == 0, err
    assert "Consultation importée" in out and "Règlement de consultation.pdf" in out
    code, out, err = run_cli(["consultations", "list", "--format", "json"], cli_env)
    assert code == 0, err
    [row] = json.loads(out)
    assert row["buyer"] == "Communauté de communes du Val de Brenne" and row["pieces"] == 9
    code, out, err = run_cli(["search", "demolition", "vestiaires", "--format", "json"], cli_env)
    assert code == 0, err
    hits = json.loads(out)
    assert hits and all(h["consultation_uuid"] == row["uuid"] for h in hits)
    assert any("[démolition]" in h["snippet"].lower() for h in hits)


def test_import_without_a_store_says_how_to_create_it(cli_env: dict[str, str]) -> None:
    code, _, err = run_cli(["import", EXAMPLE], cli_env)
    assert code != 0 and "Erreur" in err
