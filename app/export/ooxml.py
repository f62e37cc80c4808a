"""Office Open XML packages (DOCX, XLSX, XLSM) of the buyer: checked before we open them, copied
part by part when we write a filled copy (every part we do not change is copied byte for byte)."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path

from app.domain.errors import InvalidInput

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML and old .doc/.xls are OLE files


def check_package(path: Path, what: str) -> None:
    """A clear French message when `path` is not an Office file we can fill (`what`: "le BPU"…)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InvalidInput(f"{path.name} : fichier illisible ({exc.strerror}).", field=what) from exc
    if head == OLE_MAGIC:
        suffix = path.suffix.lower()
        if suffix in (".doc", ".xls"):
            raise InvalidInput(
                f"{path.name} est au format Office 97-2003 : enregistrez-le en {suffix}x dans Word ou Excel, "
                "puis importez cette copie.",
                field=what,
            )
        raise InvalidInput(
            f"{path.name} est protégé par un mot de passe : Maître AO ne peut pas le remplir. Ouvrez-le "
            "avec le mot de passe communiqué par l'acheteur, enregistrez une copie sans mot de passe et "
            "importez-la (l'original reste dans le coffre).",
            field=what,
        )
    if not zipfile.is_zipfile(path):
        raise InvalidInput(f"{path.name} n'est pas un document Office valide (fichier abîmé ?).", field=what)


def rewrite_package(source: Path, target: Path, replaced: Mapping[str, bytes]) -> None:
    """Copy `source` to `target`, with the parts named in `replaced` given new contents."""
    tmp = target.with_name(target.name + ".part")
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(tmp, "w") as dst:
        for info in src.infolist():
            data = replaced[info.filename] if info.filename in replaced else src.read(info)
            out = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            out.compress_type = info.compress_type
            out.external_attr = info.external_attr
            dst.writestr(out, data)
    tmp.replace(target)
