"""`maitre-ao library import FILE…`: past mémoires into the library, twice without duplicates."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import EXAMPLE_DIR, run_cli

LIBRARY = EXAMPLE_DIR / "library"


def test_library_import_splits_and_does_not_duplicate(cli_env: dict[str, str], tmp_path: Path) -> None:
    assert run_cli(["store", "init"], cli_env)[0] == 0
    files = [str(p) for p in sorted(LIBRARY.glob("*.docx"))]
    code, out, err = run_cli(["library", "import", *files], cli_env)
    assert code == 0, err
    assert "memoire_services_maintenance_batiments_2024.docx : 19 bloc(s) ajouté(s), 0 déjà" in out
    assert "memoire_travaux_groupe_scolaire_2025.docx : 18 bloc(s) ajouté(s), 0 déjà" in out
    assert "+ Gestion et tri des déchets de chantier [environnement" in out
    code, out, err = run_cli(["library", "import", files[1]], cli_env)
    assert code == 0 and ": 0 bloc(s) ajouté(s), 18 déjà dans la bibliothèque." in out
    bad = tmp_path / "notes.txt"
    bad.write_text("rien", encoding="utf-8")
    code, _, err = run_cli(["library", "import", str(bad)], cli_env)
    assert code == 4 and "format non pris en charge" in err
