"""No internal code in the CLI's output and in exported files; status and calendar commands (issue 16)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl

from app.domain.labels import ENUM_LABELS, OUTLINE_SOURCE_LABELS
from local_store.store import Store
from tests.conftest import EXAMPLE_DIR, run_cli
from tests.export.helpers import all_text, open_docx

RAW_CODES = sorted(
    {str(m.value) for e in ENUM_LABELS for m in e if "_" in str(m.value)}
    | {"AUTRE", "CADRE_REPONSE", "QR_REGISTER"}
    | set(OUTLINE_SOURCE_LABELS)
)
RAW = re.compile(r"(?<![\w/.-])(?:" + "|".join(map(re.escape, RAW_CODES)) + r")(?![\w.])")


def _no_raw_code(text: str, where: str) -> None:
    match = RAW.search(text)
    assert match is None, (
        f"raw code {match.group(0)!r} in {where}: …{text[max(0, match.start() - 60) : match.end() + 60]}…"
    )


def _xlsx_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    return "\n".join(
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    )


def test_a_analyser_and_cadre_reponse_shown_raw_is_fixed(
    store: Store, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    store.close()
    code, out, err = run_cli(["import", str(EXAMPLE_DIR / "dce.zip")], cli_env)
    assert code == 0, err
    assert "Cadre de réponse" in out and "Autre pièce" in out
    uuid = re.search(r"Consultation importée : (\S+)", out).group(1)  # type: ignore[union-attr]
    # The file names of the DCE may hold anything: check the lines without them.
    _no_raw_code(
        "\n".join(line.split("  ")[1] if "  " in line else line for line in out.splitlines()), "import"
    )
    assert run_cli(["profile", "import", str(EXAMPLE_DIR / "profile.json")], cli_env)[0] == 0

    code, out, err = run_cli(["consultations", "list"], cli_env)
    assert code == 0, err
    assert "À analyser" in out and "16/07/2027 à 12h00" in out
    _no_raw_code(out, "consultations list")
    code, out, err = run_cli(["consultations", "list", "--status", "À analyser"], cli_env)
    assert code == 0 and uuid in out, err

    folder = tmp_path / "export"
    code, out, err = run_cli(["export", uuid[:8], "--out", str(folder)], cli_env)
    assert code == 0, err
    assert "Statut de la consultation : En cours." in out
    _no_raw_code(out, "export")
    _no_raw_code(_xlsx_text(folder / "matrice.xlsx"), "matrice.xlsx")
    assert "Cadre de réponse" in _xlsx_text(folder / "matrice.xlsx")
    _no_raw_code(all_text(open_docx(folder / "checklist.docx")), "checklist.docx")
    _no_raw_code(all_text(open_docx(folder / "memoire.docx")), "memoire.docx")

    code, out, err = run_cli(["consultations", "list"], cli_env)
    assert "En cours" in out, err
    code, out, err = run_cli(["consultations", "status", uuid[:8], "Déposée"], cli_env)
    assert code == 0 and "Déposée" in out, err
    code, out, err = run_cli(["consultations", "list", "--status", "deposee"], cli_env)
    assert uuid in out and "Déposée" in out, err
    code, _, err = run_cli(["consultations", "status", uuid, "envoyée"], cli_env)
    assert code == 4 and "Statut inconnu" in err and "Gagnée" in err

    ics = tmp_path / "echeances.ics"
    code, out, err = run_cli(["calendar", "--out", str(ics)], cli_env)
    assert code == 0, err
    assert "3 échéance(s)" in out
    text = ics.read_text(encoding="utf-8")
    assert text.count("BEGIN:VEVENT") == 3 and "DTSTART;TZID=Europe/Paris:20270716T120000" in text
