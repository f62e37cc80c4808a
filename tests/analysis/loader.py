"""Build PieceTexts from real files for analysis tests (the import's extractor when it exists)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.domain.document import PageText, PieceText
from app.domain.kinds import PieceKind

_NAME_KINDS = (
    ("cadre", PieceKind.CADRE_REPONSE),
    ("rc", PieceKind.RC),
    ("reglement", PieceKind.RC),
    ("ccap", PieceKind.CCAP),
    ("cctp", PieceKind.CCTP),
    ("ccp", PieceKind.CCP),
    ("ae", PieceKind.AE),
    ("bpu", PieceKind.BPU),
    ("dpgf", PieceKind.DPGF),
    ("dqe", PieceKind.DQE),
)


def guess_kind(path: Path) -> PieceKind:
    stem = path.stem.lower().replace("-", "_").replace(" ", "_")
    parts = set(stem.split("_"))
    for key, kind in _NAME_KINDS:
        if key in parts or stem == key:
            return kind
    return PieceKind.AUTRE


def _pages(path: Path) -> tuple[list[PageText], bool]:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        out = []
        for i, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            out.append(PageText(number=i, text=text, needs_ocr=len(text.strip()) < 20))
        return out, True
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append(" ".join(c.text for c in row.cells))
        return [PageText(number=1, text="\n".join(lines))], False
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
        out = []
        for i, sheet in enumerate(book.worksheets, start=1):
            rows = [
                " ".join(str(v) for v in row if v is not None) for row in sheet.iter_rows(values_only=True)
            ]
            out.append(PageText(number=i, text="\n".join(r for r in rows if r)))
        book.close()
        return out, False
    return [], True


def load_piece(path: Path, root: Path | None = None, kind: PieceKind | None = None) -> PieceText:
    data = path.read_bytes()
    pages, paged = _pages(path)
    rel = path.relative_to(root).as_posix() if root else path.name
    return PieceText(
        path=rel,
        kind=kind or guess_kind(path),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=pages,
        paged=paged,
    )


def load_folder(folder: Path) -> list[PieceText]:
    return [load_piece(p, folder) for p in sorted(folder.iterdir()) if p.is_file()]
