"""Supporting documents (K-bis, URSSAF and fiscal certificates, insurance, certifications): their files
kept inside the encrypted store, joined to the submission folder, flagged when expired or expiring
before the deadline."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from app.domain.errors import InvalidInput, NotFound
from app.export.submission import SupportingFile
from local_store import repo_documents
from local_store.store import Store

log = logging.getLogger(__name__)

MAX_BYTES = 25 * 1024 * 1024
_MAGIC = {b"%PDF": ".pdf", b"\x89PNG": ".png", b"\xff\xd8\xff": ".jpg"}


def attach_file(store: Store, doc_uuid: str, path: Path) -> None:
    """Keep the file of an administrative document in the store (PDF, PNG or JPEG)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"fichier illisible : {path.name}.", field="fichier") from exc
    if len(data) > MAX_BYTES:
        log.warning("supporting document refused: %d bytes", len(data))
        raise InvalidInput(f"{path.name} dépasse 25 Mo : réduisez-le (PDF compressé).", field="fichier")
    if not any(data.startswith(m) for m in _MAGIC):
        log.warning("supporting document refused: not a PDF, PNG or JPEG (%s)", path.suffix)
        raise InvalidInput(f"{path.name} : seuls les PDF, PNG et JPEG sont acceptés.", field="fichier")
    sha = hashlib.sha256(data).hexdigest()
    if not repo_documents.attach(store, doc_uuid, path.name, sha, data):
        raise NotFound("Document administratif introuvable dans le profil.")


def kept_files(store: Store) -> dict[str, str]:
    """Document uuid → name of its file kept in the store (documents without a file are absent)."""
    return repo_documents.file_names(store)


def remove_file(store: Store, doc_uuid: str) -> None:
    """Unlink the file of an administrative document (the document itself stays in the profile)."""
    if not repo_documents.detach(store, doc_uuid):
        raise NotFound("Document administratif introuvable dans le profil.")


def copy_file(store: Store, doc_uuid: str, folder: Path) -> Path:
    """Write the kept file of a document into `folder` (to open it with the system's viewer)."""
    found = repo_documents.file_of(store, doc_uuid)
    if found is None:
        raise NotFound("Aucun fichier joint à ce document : utilisez « Joindre le fichier… ».")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (Path(found.file_name).name or "document")
    target.write_bytes(found.data)
    return target


def supporting_files(store: Store) -> list[SupportingFile]:
    out: list[SupportingFile] = []
    seen: set[str] = set()
    for f in repo_documents.files(store):
        name = Path(f.file_name).name
        if name in seen:
            name = f"{Path(name).stem}_{len(seen)}{Path(name).suffix}"
        seen.add(name)
        out.append(SupportingFile(name, f.label, f.data, f.expires_on))
    return out
