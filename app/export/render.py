"""`python -m app.export.render DIR`: DIR/memoire.docx → DIR/memoire.pdf with LibreOffice, page count.

Used by `make render DIR=…` and by the render test (skipped when LibreOffice is not installed).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

from app.domain.errors import ExternalToolFailed, UserError


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_pdf(docx: Path, out_dir: Path | None = None, timeout: float = 180) -> Path:
    """Convert with a throw-away LibreOffice profile (a user's open LibreOffice must not block it)."""
    exe = soffice()
    if exe is None:
        raise ExternalToolFailed("LibreOffice (soffice) n'est pas installé : rendu PDF impossible.")
    out_dir = out_dir or docx.parent
    with tempfile.TemporaryDirectory(prefix="maitre-ao-lo-") as profile:
        proc = subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(docx),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    pdf = out_dir / (docx.stem + ".pdf")
    if proc.returncode != 0 or not pdf.is_file():
        raise ExternalToolFailed(f"La conversion PDF par LibreOffice a échoué (code {proc.returncode}).")
    return pdf


def page_count(pdf: Path) -> int:
    return len(PdfReader(str(pdf)).pages)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("Usage : python -m app.export.render DOSSIER (contenant memoire.docx)", file=sys.stderr)
        return 2
    docx = Path(argv[0]) / "memoire.docx"
    if not docx.is_file():
        print(f"Erreur : {docx} est introuvable.", file=sys.stderr)
        return 4
    try:
        pdf = render_pdf(docx)
    except UserError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"{pdf} : {page_count(pdf)} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
