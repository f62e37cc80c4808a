"""The submission folder: what the company uploads, laid out as the RC asks when it says so
("1-Candidature", "2-Offre"…), else `candidature/` and `offre/`, with the same tree zipped next to it.
The buyer's filled documents keep their original names; nothing is signed here: the files that need a
signature are listed as such in the checklist."""

from __future__ import annotations

import re
import shutil
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DOSSIER = "dossier_de_remise"

_NAMED = re.compile(
    r"(?:sous[- ]?dossier|dossier|r[ée]pertoire|enveloppe|pli|partie)\s*(?:n\s*[°o]\s*)?(?P<n>\d)\s*"
    r"(?:[:–—-]\s*)?[«\"“]?\s*(?:pi[èe]ces?\s+(?:de\s+la\s+|de\s+l['’]\s*)?)?(?P<what>candidature|offre)",
    re.IGNORECASE,
)
_LITERAL = re.compile(r"[«\"“]\s*(?P<n>\d)\s*[-_ ]\s*(?P<what>candidature|offre)\s*[»\"”]", re.IGNORECASE)


@dataclass(frozen=True)
class SupportingFile:
    name: str  # file name in the submission folder
    label: str
    data: bytes
    expires_on: date | None

    def status(self, deadline: date | None, today: date) -> str:
        """ "présent", or the expiry said plainly."""
        if self.expires_on is None:
            return "présent"
        when = self.expires_on.strftime("%d/%m/%Y")
        if self.expires_on < today:
            return f"expiré le {when} : à renouveler"
        if deadline is not None and self.expires_on < deadline:
            return f"expire le {when}, avant la date limite : à renouveler"
        return f"présent (valable jusqu'au {when})"


@dataclass(frozen=True)
class Layout:
    candidature: str
    offre: str
    from_rc: bool = False


@dataclass
class SubmissionEntry:
    part: str  # the sub-folder
    name: str
    status: str  # "présent", "à signer", "manquant"
    note: str = ""


@dataclass
class Submission:
    folder: Path
    archive: Path
    layout: Layout
    entries: list[SubmissionEntry] = field(default_factory=list)


def layout_from_rc(rc_text: str) -> Layout:
    """The sub-folder names the RC asks for, else candidature / offre."""
    found: dict[str, str] = {}
    for pattern in (_LITERAL, _NAMED):
        for m in pattern.finditer(rc_text):
            what = m.group("what").lower()
            found.setdefault(what, f"{m.group('n')}-{what.capitalize()}")
    if "candidature" in found and "offre" in found and found["candidature"] != found["offre"]:
        return Layout(found["candidature"], found["offre"], from_rc=True)
    return Layout("candidature", "offre")


def _ascii_safe(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def build_submission(
    folder: Path,
    layout: Layout,
    candidature: Sequence[tuple[Path, str]],
    offre: Sequence[tuple[Path, str]],
    missing: Sequence[tuple[str, str]] = (),
) -> Submission:
    """Copy the files ((path, status)) into `folder/DOSSIER/<part>/` and zip that tree;
    `missing`: (part, label) of the required pieces nobody produced yet."""
    root = folder / DOSSIER
    if root.exists():
        shutil.rmtree(root)
    result = Submission(root, folder / f"{DOSSIER}.zip", layout)
    for part, items in ((layout.candidature, candidature), (layout.offre, offre)):
        target = root / part
        target.mkdir(parents=True, exist_ok=True)
        for path, status in items:
            if not path.is_file():
                continue
            shutil.copyfile(path, target / _ascii_safe(path.name))
            result.entries.append(SubmissionEntry(part, path.name, status))
    for part, label in missing:
        result.entries.append(SubmissionEntry(part, label, "manquant"))
    tmp = result.archive.with_name(result.archive.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(root).as_posix())
    tmp.replace(result.archive)
    return result
