"""The submission folder follows the RC's layout when it asks for one."""

from __future__ import annotations

import zipfile
from pathlib import Path

from app.export.submission import build_submission, layout_from_rc


def test_layout_named_by_the_rc() -> None:
    rc = (
        "Article 9 – Présentation des offres. Le pli contient deux sous-dossiers : le sous-dossier n° 1 "
        "« Candidature » et le sous-dossier n° 2 « Offre »."
    )
    layout = layout_from_rc(rc)
    assert (layout.candidature, layout.offre, layout.from_rc) == ("1-Candidature", "2-Offre", True)
    quoted = layout_from_rc("Les fichiers sont rangés dans « 1-Candidature » et « 2-Offre ».")
    assert (quoted.candidature, quoted.offre) == ("1-Candidature", "2-Offre")
    plain = layout_from_rc("Les offres sont déposées sur le profil d'acheteur.")
    assert (plain.candidature, plain.offre, plain.from_rc) == ("candidature", "offre", False)


def test_folder_and_zip_hold_the_same_tree(tmp_path: Path) -> None:
    (tmp_path / "dc1.docx").write_bytes(b"dc1")
    (tmp_path / "AE.docx").write_bytes(b"ae")
    layout = layout_from_rc("sous-dossier n° 1 « Candidature », sous-dossier n° 2 « Offre »")
    sub = build_submission(
        tmp_path,
        layout,
        [(tmp_path / "dc1.docx", "à signer")],
        [(tmp_path / "AE.docx", "à signer"), (tmp_path / "absent.docx", "présent")],
        [("1-Candidature", "Extrait K-bis")],
    )
    assert (sub.folder / "1-Candidature" / "dc1.docx").read_bytes() == b"dc1"
    assert (sub.folder / "2-Offre" / "AE.docx").is_file()
    with zipfile.ZipFile(sub.archive) as zf:
        assert sorted(zf.namelist()) == ["1-Candidature/dc1.docx", "2-Offre/AE.docx"]
    assert [(e.part, e.name, e.status) for e in sub.entries] == [
        ("1-Candidature", "dc1.docx", "à signer"),
        ("2-Offre", "AE.docx", "à signer"),
        ("1-Candidature", "Extrait K-bis", "manquant"),
    ]
