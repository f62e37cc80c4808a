"""Content library use cases (CLI and app): reusable blocks, FTS search, "à revoir" after N months."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from app.domain.errors import InvalidInput
from app.library.importer import ImportedDocument, read_document
from app.library.tags import guess_tags
from app.settings import LIBRARY_REVIEW_MONTHS, Settings
from local_store import repo_library
from local_store.repo_library import LibraryBlock, NewBlock
from local_store.store import Store


def review_months(settings: Settings | None = None) -> int:
    return max(1, (settings or Settings.load()).get(LIBRARY_REVIEW_MONTHS))


def add(
    store: Store, title: str, body: str, tags: Sequence[str] = (), reviewed_on: date | None = None
) -> LibraryBlock:
    if not title.strip():
        raise InvalidInput("le titre est obligatoire.", field="titre")
    return repo_library.add_block(store, title.strip(), body, tags, reviewed_on or date.today())


def update(
    store: Store,
    block_uuid: str,
    *,
    title: str | None = None,
    body: str | None = None,
    tags: Sequence[str] | None = None,
) -> LibraryBlock:
    try:
        return repo_library.update_block(store, block_uuid, title=title, body=body, tags=tags)
    except KeyError:
        raise InvalidInput("Bloc introuvable.", field="bloc") from None


def mark_reviewed(store: Store, block_uuid: str, on: date | None = None) -> LibraryBlock:
    try:
        return repo_library.mark_reviewed(store, block_uuid, on or date.today())
    except KeyError:
        raise InvalidInput("Bloc introuvable.", field="bloc") from None


def delete(store: Store, block_uuid: str) -> None:
    repo_library.delete_block(store, block_uuid)


def all_blocks(store: Store) -> list[LibraryBlock]:
    return repo_library.list_blocks(store)


def search(store: Store, text: str, limit: int = 20) -> list[LibraryBlock]:
    return repo_library.search(store, text, limit)


def to_review(
    store: Store, today: date | None = None, settings: Settings | None = None
) -> list[LibraryBlock]:
    """Blocks "à revoir": never reviewed or last reviewed more than the configured months ago."""
    return repo_library.due_for_review(store, today or date.today(), review_months(settings))


def status(block: LibraryBlock, today: date | None = None, settings: Settings | None = None) -> str:
    """The label shown next to a block: "à revoir" or "à jour"."""
    return "à revoir" if block.needs_review(today or date.today(), review_months(settings)) else "à jour"


# --- past mémoires into the library ------------------------------------------------------------------
@dataclass(frozen=True)
class ImportReport:
    file_name: str
    added: list[LibraryBlock]
    already_there: int  # blocks of this file found in the library (same content): not added again
    images: int  # pictures kept with the blocks


def new_blocks(document: ImportedDocument, reviewed_on: date | None = None) -> list[NewBlock]:
    return [
        NewBlock(
            title=b.title,
            body=b.body,
            tags=b.tags,
            reviewed_on=reviewed_on or document.date,
            source_file=document.file_name,
            source_date=document.date,
            source_facts=document.facts or None,
            content_hash=b.content_hash,
        )
        for b in document.blocks
    ]


def import_file(store: Store, path: Path) -> ImportReport:
    """Split a past mémoire (DOCX, ODT, PDF) into blocks at its headings and add the new ones."""
    if not path.is_file():
        raise InvalidInput(f"fichier introuvable : {path}", field="fichier")
    document = read_document(path.name, path.read_bytes())
    added, skipped = repo_library.add_blocks(store, new_blocks(document), document.images)
    return ImportReport(document.file_name, added, skipped, sum(b.images for b in document.blocks))


def _get(store: Store, block_uuid: str) -> LibraryBlock:
    try:
        return repo_library.get_block(store, block_uuid)
    except KeyError:
        raise InvalidInput("Bloc introuvable.", field="bloc") from None


def get(store: Store, block_uuid: str) -> LibraryBlock:
    return _get(store, block_uuid)


def retitle(store: Store, block_uuid: str, title: str) -> LibraryBlock:
    if not title.strip():
        raise InvalidInput("le titre est obligatoire.", field="titre")
    return update(store, block_uuid, title=title.strip())


def retag(store: Store, block_uuid: str, tags: Sequence[str]) -> LibraryBlock:
    clean: list[str] = []
    for t in tags:
        if t.strip() and t.strip() not in clean:
            clean.append(t.strip())
    return update(store, block_uuid, tags=clean)


def merge(store: Store, block_uuids: Sequence[str], title: str | None = None) -> LibraryBlock:
    """One block from several (in the given order): texts joined, tags united, the first one's source."""
    if len(block_uuids) < 2:
        raise InvalidInput("choisissez au moins deux blocs à fusionner.", field="bloc")
    blocks = [_get(store, u) for u in block_uuids]
    first = blocks[0]
    tags: list[str] = []
    for b in blocks:
        tags.extend(t for t in b.tags if t not in tags)
    body = "\n\n".join(b.body.strip() for b in blocks)
    new = NewBlock(
        title=(title or first.title).strip(),
        body=body,
        tags=tags,
        reviewed_on=first.reviewed_on,
        source_file=first.source_file,
        source_date=first.source_date,
        source_facts=first.source_facts,
        content_hash=" ".join(h for b in blocks if b.content_hash for h in b.content_hash.split()) or None,
    )
    return repo_library.replace_blocks(store, list(block_uuids), [new])[0]


def paragraphs(block: LibraryBlock) -> list[str]:
    """The block's paragraphs (bullets, table rows kept together), where it can be split."""
    return [p for p in block.body.split("\n\n") if p.strip()]


def split(store: Store, block_uuid: str, at: int, second_title: str | None = None) -> list[LibraryBlock]:
    """Two blocks: paragraphs [0, at) keep the title, [at, …) get `second_title` (default: "… (suite)")."""
    block = _get(store, block_uuid)
    parts = paragraphs(block)
    if not 0 < at < len(parts):
        raise InvalidInput("le point de coupure doit laisser du texte de chaque côté.", field="position")
    head, tail = "\n\n".join(parts[:at]), "\n\n".join(parts[at:])
    title2 = (second_title or f"{block.title} (suite)").strip()
    base = NewBlock(
        title=block.title,
        body=head,
        tags=guess_tags(block.title, head) or block.tags,
        reviewed_on=block.reviewed_on,
        source_file=block.source_file,
        source_date=block.source_date,
        source_facts=block.source_facts,
        content_hash=block.content_hash,  # the import's hash stays: re-importing adds nothing
    )
    second = replace(
        base, title=title2, body=tail, tags=guess_tags(title2, tail) or block.tags, content_hash=None
    )
    return repo_library.replace_blocks(store, [block_uuid], [base, second])


EXAMPLE_LIBRARY = Path(__file__).resolve().parents[1] / "resources" / "example" / "library"


def example_blocks() -> list[LibraryBlock]:
    """The example company's past mémoires as library blocks, not stored (demo and tests)."""
    out: list[LibraryBlock] = []
    for path in sorted(EXAMPLE_LIBRARY.glob("*.docx")):
        document = read_document(path.name, path.read_bytes())
        for i, new in enumerate(new_blocks(document)):
            out.append(
                LibraryBlock(
                    uuid=f"exemple:{path.stem}:{i + 1}",
                    title=new.title,
                    tags=list(new.tags),
                    body=new.body,
                    reviewed_on=new.reviewed_on,
                    updated_at="",
                    source_file=new.source_file,
                    source_date=new.source_date,
                    source_facts=new.source_facts,
                    content_hash=new.content_hash,
                )
            )
    return out
