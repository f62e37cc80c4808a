"""The same DCE imported twice, and a modificatif imported as a new version (issue 16)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import pytest

from local_store.store import Store
from tests.conftest import EXAMPLE_DIR, run_cli


def _modificatif(path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example DCE after a modificatif: deadline pushed a week, plans removed, a notice added."""
    from app.resources.example import make_example_dce as m

    latin = m._Pdf.latin
    monkeypatch.setattr(
        m._Pdf, "latin", lambda self, text: latin(self, text.replace("16 juillet 2027", "23 juillet 2027"))
    )
    notice = docx.Document()
    notice.add_paragraph("Avis modificatif n° 1 : la date limite de remise des offres est reportée.")
    buffer = io.BytesIO()
    notice.save(buffer)
    path.write_bytes(
        m._zip(
            [
                ("Règlement de consultation.pdf", m.make_rc(), True),
                (f"{m.REF}_CCAP.pdf", m.make_ccap(), False),
                (f"{m.REF}_CCTP_Indice-A.pdf", m.make_cctp(), False),
                (f"{m.REF}_Cadre_de_réponse_technique.docx", m.make_cadre(), False),
                (f"{m.REF}_AE.docx", m.make_ae(), False),
                (f"{m.REF}_DPGF_LOT-01-03.xlsx", m.make_dpgf(), False),
                ("Avis modificatif 1.docx", buffer.getvalue(), False),
            ]
        )
    )
    return path


def _uuids(env: dict[str, str]) -> list[str]:
    code, out, err = run_cli(["consultations", "list", "--format", "json"], env)
    assert code == 0, err
    return [r["uuid"] for r in json.loads(out)]


def test_same_zip_imported_twice_makes_no_second_consultation_is_fixed(
    store: Store, tmp_path: Path, cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    dce = EXAMPLE_DIR / "dce.zip"
    code, out, err = run_cli(["import", str(dce)], cli_env)
    assert code == 0, err
    first = re.search(r"Consultation importée : (\S+)", out).group(1)  # type: ignore[union-attr]

    # The same pieces in another ZIP (another name, other ZIP bytes) are the same DCE.
    copy = tmp_path / "copie du DCE.zip"
    copy.write_bytes(dce.read_bytes())
    code, out, err = run_cli(["import", str(copy)], cli_env)
    assert code == 0, err
    assert f"Ce DCE est déjà importé : consultation {first}" in out and "--nouvelle-version" in out
    assert _uuids(cli_env) == [first]

    # The modificatif, as a new version: the differences, deadline first, shown and kept.
    modified = _modificatif(tmp_path / "DCE modifié.zip", monkeypatch)
    code, out, err = run_cli(["import", str(modified), "--nouvelle-version"], cli_env)
    assert code == 0, err
    second = re.search(r"Consultation importée : (\S+)", out).group(1)  # type: ignore[union-attr]
    assert second != first and sorted(_uuids(cli_env)) == sorted([first, second])
    assert f"Version 2 (modificatif) de la consultation {first}." in out
    diff = out.split("Différences avec la version précédente :")[1].split("FICHE DE SYNTHÈSE")[0]
    lines = [line.strip().removeprefix("- ") for line in diff.strip().splitlines()]
    assert lines[0] == "Date limite des offres : 16/07/2027 à 12h00 → 23/07/2027 à 12h00", lines
    assert "Pièce ajoutée : Avis modificatif 1.docx (Autre pièce)" in lines
    assert "Pièce retirée : Plans/Plan masse.dwg (Autre pièce)" in lines
    assert "Pièce modifiée : Règlement de consultation.pdf (RC)" in lines

    code, out, err = run_cli(["consultations", "versions", second[:8]], cli_env)
    assert code == 0, err
    assert "Version 2" in out and "Date limite des offres : 16/07/2027 à 12h00 → 23/07/2027 à 12h00" in out

    # The modificatif imported again is itself a duplicate (of version 2).
    code, out, err = run_cli(["import", str(modified)], cli_env)
    assert code == 0 and f"déjà importé : consultation {second}" in out, err
    code, out, err = run_cli(["import", str(modified), "--format", "json"], cli_env)
    assert json.loads(out)["duplicate_of"] == second
    assert len(_uuids(cli_env)) == 2
