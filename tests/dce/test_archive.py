"""Hostile and odd archives: refused entry by entry with a French reason, the rest read, nothing written."""

from __future__ import annotations

import zipfile
from pathlib import Path

from app.dce.archive import MIB, ArchiveLimits, collect_sources
from tests.dce.builders import mark_encrypted, raw_name, symlink, zip_bytes


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_cp437_and_cp850_names_without_utf8_flag_keep_their_accents(tmp_path: Path) -> None:
    data = zip_bytes(
        [
            (raw_name("Règlement de consultation.pdf".encode("cp437")), b"a"),
            (raw_name("DOSSIER/ÉTUDE géotechnique.pdf".encode("cp850")), b"b"),
            (raw_name("Pièce écrite n°2.pdf".encode()), b"c"),  # UTF-8 bytes, flag missing
            ("Cadre de réponse.docx", b"d"),  # UTF-8 with the flag (zipfile sets it)
        ]
    )
    sources = collect_sources([_write(tmp_path, "dce.zip", data)])
    assert {f.path for f in sources.files} == {
        "Règlement de consultation.pdf",
        "DOSSIER/ÉTUDE géotechnique.pdf",
        "Pièce écrite n°2.pdf",
        "Cadre de réponse.docx",
    }
    assert sources.problems == []


def test_traversal_absolute_links_and_encrypted_entries_are_refused_the_rest_is_read(tmp_path: Path) -> None:
    victim = tmp_path / "outside"
    victim.mkdir()
    data = zip_bytes(
        [
            ("../outside/evil.txt", b"x"),
            ("a/../../outside/evil2.txt", b"x"),
            ("/etc/evil3.txt", b"x"),
            ("C:\\Windows\\evil4.txt", b"x"),
            (symlink("lien.pdf"), b"../../../etc/passwd"),
            ("secret.pdf", b"chiffre"),
            ("RC.pdf", b"%PDF-1.4 bon"),
        ]
    )
    data = mark_encrypted(data, "secret.pdf")
    archive = _write(tmp_path, "dce.zip", data)
    before = _tree(tmp_path)
    sources = collect_sources([archive])
    assert [f.path for f in sources.files] == ["RC.pdf"]
    reasons = {p.path: p.message for p in sources.problems}
    assert len(sources.problems) == 6
    assert "hors du dossier" in reasons["../outside/evil.txt"]
    assert "chemin absolu" in reasons["/etc/evil3.txt"]
    assert "chemin absolu" in reasons["C:/Windows/evil4.txt"]
    assert "lien symbolique" in reasons["lien.pdf"]
    assert "mot de passe" in reasons["secret.pdf"]
    assert _tree(tmp_path) == before  # nothing written anywhere
    assert not list(victim.iterdir())


def test_decompression_bomb_is_refused_by_ratio_and_sizes(tmp_path: Path) -> None:
    bomb = b"\0" * (8 * MIB)  # deflates ~1000:1
    data = zip_bytes([("bombe.pdf", bomb), ("RC.pdf", b"%PDF-1.4")])
    sources = collect_sources([_write(tmp_path, "dce.zip", data)])
    assert [f.path for f in sources.files] == ["RC.pdf"]
    assert "bombe de décompression" in sources.problems[0].message

    limits = ArchiveLimits(max_entry_size=MIB, max_total_size=3 * MIB, max_ratio=1e9)
    data = zip_bytes([("gros.pdf", b"1" * (2 * MIB))] + [(f"f{i}.pdf", b"2" * MIB) for i in range(4)])
    sources = collect_sources([_write(tmp_path, "dce2.zip", data)], limits=limits)
    reasons = {p.path: p.message for p in sources.problems}
    assert "trop volumineux" in reasons["gros.pdf"]
    assert len(sources.files) == 3  # the total cap stops the fourth megabyte
    assert any("taille totale" in m for m in reasons.values())


def test_too_many_entries_refuses_the_archive(tmp_path: Path) -> None:
    data = zip_bytes([(f"f{i}.txt", b"x") for i in range(30)])
    sources = collect_sources([_write(tmp_path, "dce.zip", data)], limits=ArchiveLimits(max_entries=20))
    assert sources.files == []
    assert "trop de fichiers (30" in sources.problems[0].message


def test_nested_zips_are_opened_up_to_three_levels(tmp_path: Path) -> None:
    inner = zip_bytes([("profond.pdf", b"%PDF niveau 4")])
    for level in (4, 3, 2, 1):
        inner = zip_bytes([(f"niveau{level}.zip", inner), (f"n{level}.txt", b"texte")])
    sources = collect_sources([_write(tmp_path, "dce.zip", inner)])
    paths = {f.path for f in sources.files}
    assert "n1.txt" in paths
    assert "niveau1/niveau2/niveau3/n4.txt" in paths
    assert not any("profond" in p for p in paths)
    assert sources.problems[0].path == "niveau1/niveau2/niveau3/niveau4.zip"
    assert "trop profonde" in sources.problems[0].message


def test_folder_and_loose_files_skip_links_and_junk(tmp_path: Path) -> None:
    folder = tmp_path / "DCE"
    (folder / "Sous-dossier").mkdir(parents=True)
    (folder / "RC.pdf").write_bytes(b"%PDF rc")
    (folder / "Sous-dossier" / "CCTP.pdf").write_bytes(b"%PDF cctp")
    (folder / ".DS_Store").write_bytes(b"junk")
    (folder / "lien.pdf").symlink_to(tmp_path / "ailleurs.pdf")
    (tmp_path / "ailleurs.pdf").write_bytes(b"%PDF secret")
    (folder / "Plans.zip").write_bytes(zip_bytes([("Plan.dwg", b"AC1032")]))
    sources = collect_sources([folder])
    assert [f.path for f in sources.files] == ["Plans/Plan.dwg", "RC.pdf", "Sous-dossier/CCTP.pdf"]
    assert [(p.path, "lien symbolique" in p.message) for p in sources.problems] == [("lien.pdf", True)]

    loose = collect_sources([folder / "RC.pdf", folder / "Sous-dossier" / "CCTP.pdf"])
    assert [f.path for f in loose.files] == ["CCTP.pdf", "RC.pdf"]


def test_damaged_archive_is_reported(tmp_path: Path) -> None:
    sources = collect_sources([_write(tmp_path, "dce.zip", b"PK\x03\x04 pas une archive")])
    assert sources.files == []
    assert sources.problems[0].path == "dce.zip" and "illisible" in sources.problems[0].message
    assert zipfile.is_zipfile(tmp_path / "dce.zip") is False


def test_info_zip_unicode_path_field_wins_over_the_dos_name(tmp_path: Path) -> None:
    import struct
    import zlib

    dos = "Reglement.pdf".encode("cp437")
    real = "Règlement – version signée.pdf".encode()
    info = raw_name(dos)
    body = b"\x01" + struct.pack("<I", zlib.crc32(dos)) + real
    info.extra = struct.pack("<HH", 0x7075, len(body)) + body
    sources = collect_sources([_write(tmp_path, "dce.zip", zip_bytes([(info, b"%PDF")]))])
    assert [f.path for f in sources.files] == ["Règlement – version signée.pdf"]
