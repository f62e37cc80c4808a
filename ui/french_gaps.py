"""Qt's own French strings that its catalogue lacks, compiled once into a Qt catalogue (.qm).

A Python QTranslator subclass would do the same without a file, but PySide6 (Python 3.11) loses a
reference to None on each virtual call that answers "no translation", and the interpreter aborts at
exit; a compiled catalogue is read by Qt alone. `python -m ui.french_gaps` rebuilds GAPS_QM from
QT_FRENCH_GAPS with Qt's lrelease (shipped with PySide6); a test checks the committed file is current.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

GAPS_QM = Path(__file__).resolve().parent / "resources" / "qt_french_gaps.qm"

# Strings of Qt's own dialogs that Qt's French catalogue (qtbase_fr.qm) leaves untranslated: Qt 6
# added the accelerators ("&Look in:", "Files of &type:") and the file-icon provider's types after
# the French translation was last updated, so its widget file dialog (used on Linux and whenever no
# native dialog exists) shows them in English. Consulted only when qtbase_fr.qm has no translation.
QT_FRENCH_GAPS: dict[str, dict[str, str]] = {
    "QFileDialog": {
        "&Look in:": "&Voir dans\u00a0:",
        "Look in": "Voir dans",
        "Files of &type:": "Fichiers de &type\u00a0:",
        "Files of type": "Fichiers de type",
        "Directory": "Dossier",
        "Quick Access": "Accès rapide",
        "Search": "Rechercher",
    },
    "QAbstractFileIconProvider": {
        "Folder": "Dossier",
        "File Folder": "Dossier",
        "Drive": "Disque",
        "File": "Fichier",
        "%1 File": "Fichier %1",
        "Alias": "Alias",
        "Shortcut": "Raccourci",
        "Unknown": "Inconnu",
    },
    "QFileSystemModel": {
        "%1 bytes": "%1 octets",
        "%1 KB": "%1 Ko",
        "%1 MB": "%1 Mo",
        "%1 GB": "%1 Go",
        "%1 TB": "%1 To",
    },
    "QPlatformTheme": {
        "Yes": "Oui",
        "No": "Non",
        "Yes to All": "Oui à tout",
        "No to All": "Non à tout",
        "Don't Save": "Ne pas enregistrer",
        "Close without Saving": "Fermer sans enregistrer",
    },
}


def ts_document() -> str:
    """QT_FRENCH_GAPS as a Qt Linguist source file (TS 2.1)."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>", '<TS version="2.1" language="fr_FR">']
    for context, strings in QT_FRENCH_GAPS.items():
        out.append(f"<context><name>{escape(context)}</name>")
        for source, french in strings.items():
            out.append(
                f"<message><source>{escape(source)}</source><translation>{escape(french)}</translation></message>"
            )
        out.append("</context>")
    out.append("</TS>")
    return "\n".join(out) + "\n"


def lrelease() -> str:
    found = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)) or shutil.which(
        "pyside6-lrelease"
    )
    if found is None:
        raise RuntimeError("pyside6-lrelease not found (it comes with PySide6)")
    return found


def compile_to(dest: Path) -> Path:
    """Writes the compiled catalogue of QT_FRENCH_GAPS to `dest`."""
    with tempfile.TemporaryDirectory(prefix="maitre-ao-ts-") as tmp:
        source = Path(tmp) / "qt_french_gaps.ts"
        source.write_text(ts_document(), encoding="utf-8")
        subprocess.run([lrelease(), "-silent", str(source), "-qm", str(dest)], check=True)
    return dest


if __name__ == "__main__":
    GAPS_QM.parent.mkdir(exist_ok=True)
    print(compile_to(GAPS_QM))
