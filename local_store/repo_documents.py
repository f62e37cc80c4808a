"""The files of the profile's administrative documents (K-bis, attestations, certificates): kept as
blobs in the encrypted store, linked by `admin_documents.blob_sha256` (retention never removes them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from local_store import repo_pieces
from local_store.clock import utc_now_iso as _now
from local_store.store import Store


@dataclass(frozen=True, slots=True)
class DocumentFile:
    uuid: str
    label: str
    kind: str
    file_name: str
    expires_on: date | None
    data: bytes


def attach(store: Store, doc_uuid: str, file_name: str, sha256: str, data: bytes) -> bool:
    """Link a file to an administrative document (False when the document does not exist)."""
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT data FROM admin_documents WHERE uuid = ? AND deleted = 0", (doc_uuid,)
        ).fetchone()
        if row is None:
            return False
        repo_pieces.save_blob(conn, sha256, data)
        fields = json.loads(row["data"])
        fields["file_name"] = file_name
        conn.execute(
            "UPDATE admin_documents SET blob_sha256 = ?, data = ?, updated_at = ?, dirty = 1 WHERE uuid = ?",
            (
                sha256,
                json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                _now(),
                doc_uuid,
            ),
        )
    return True


def files(store: Store) -> list[DocumentFile]:
    """Every administrative document that holds a file, in the profile's order."""
    rows = store.read().execute(
        "SELECT d.uuid, d.data, d.expires_on, b.data AS content FROM admin_documents d"
        " JOIN blobs b ON b.sha256 = d.blob_sha256 WHERE d.deleted = 0 ORDER BY d.position, d.rowid"
    )
    out: list[DocumentFile] = []
    for r in rows:
        fields = json.loads(r["data"])
        expires = date.fromisoformat(r["expires_on"]) if r["expires_on"] else None
        out.append(
            DocumentFile(
                str(r["uuid"]),
                str(fields.get("label", "")),
                str(fields.get("kind", "")),
                str(fields.get("file_name", "")) or "document",
                expires,
                bytes(r["content"]),
            )
        )
    return out


def file_of(store: Store, doc_uuid: str) -> DocumentFile | None:
    """The file kept for one administrative document (None when it has none)."""
    return next((f for f in files(store) if f.uuid == doc_uuid), None)


def detach(store: Store, doc_uuid: str) -> bool:
    """Unlink the file of an administrative document (the blob goes with the next purge when nothing
    else uses it); False when the document does not exist."""
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT data FROM admin_documents WHERE uuid = ? AND deleted = 0", (doc_uuid,)
        ).fetchone()
        if row is None:
            return False
        fields = json.loads(row["data"])
        fields.pop("file_name", None)
        conn.execute(
            "UPDATE admin_documents SET blob_sha256 = NULL, data = ?, updated_at = ?, dirty = 1 WHERE uuid = ?",
            (
                json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                _now(),
                doc_uuid,
            ),
        )
    return True


def file_names(store: Store) -> dict[str, str]:
    """Document uuid → the name of the file kept for it (only the documents that hold one)."""
    rows = store.read().execute(
        "SELECT uuid, data FROM admin_documents WHERE deleted = 0 AND blob_sha256 IS NOT NULL"
    )
    return {str(r["uuid"]): str(json.loads(r["data"]).get("file_name", "")) or "document" for r in rows}
