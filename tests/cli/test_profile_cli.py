"""`maitre-ao profile import | show --format json | validate` with the shipped example profile."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import EXAMPLE_DIR, run_cli

EXAMPLE = EXAMPLE_DIR / "profile.json"


def test_validate_example_and_invalid_files(cli_env: dict[str, str], tmp_path: Path) -> None:
    code, out, err = run_cli(["profile", "validate", str(EXAMPLE)], cli_env)
    assert code == 0, err
    assert "Profil valide" in out

    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["siret"] = data["siret"][:-1] + str((int(data["siret"][-1]) + 1) % 10)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run_cli(["profile", "validate", str(bad)], cli_env)
    assert code == 4
    assert "SIRET" in err and "clé de contrôle" in err

    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["certifications"][1]["valid_to"] = "31/12/2027"
    bad.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run_cli(["profile", "validate", str(bad)], cli_env)
    assert code == 4
    assert "certifications[2].valide jusqu'au" in err and "AAAA-MM-JJ" in err

    bad.write_text('{"raison_sociale": "x",', encoding="utf-8")
    code, _, err = run_cli(["profile", "validate", str(bad)], cli_env)
    assert code == 4 and "JSON illisible" in err


def test_import_then_show_json_gives_it_back(cli_env: dict[str, str], tmp_path: Path) -> None:
    assert run_cli(["store", "init"], cli_env)[0] == 0
    code, out, err = run_cli(["profile", "import", str(EXAMPLE)], cli_env)
    assert code == 0, err
    code, out, err = run_cli(["profile", "show", "--format", "json"], cli_env)
    assert code == 0, err
    shown = json.loads(out)
    original = json.loads(EXAMPLE.read_text(encoding="utf-8"))

    def without_uuids(value: object) -> object:
        if isinstance(value, dict):
            return {k: without_uuids(v) for k, v in value.items() if k != "uuid"}
        if isinstance(value, list):
            return [without_uuids(v) for v in value]
        return value

    from app.domain.profile import CompanyProfile

    assert without_uuids(shown) == without_uuids(
        CompanyProfile.model_validate(original).model_dump(mode="json")
    )
    assert shown["raison_sociale"] == original["raison_sociale"]

    # What show prints, import accepts: re-importing it changes nothing.
    again = tmp_path / "shown.json"
    again.write_text(out, encoding="utf-8")
    code, out, err = run_cli(["profile", "import", str(again)], cli_env)
    assert code == 0, err
    assert "0 enregistrement(s)" in out


def test_show_without_store_or_profile(cli_env: dict[str, str]) -> None:
    code, _, err = run_cli(["profile", "show"], cli_env)
    assert code == 5 and "maitre-ao store init" in err  # no store yet: exit 5 (README)
    assert run_cli(["store", "init"], cli_env)[0] == 0
    code, _, err = run_cli(["profile", "show"], cli_env)
    assert code == 1 and "profile import" in err
