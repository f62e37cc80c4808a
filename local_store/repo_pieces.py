"""DCE pieces in the store: file contents once per SHA-256 (blobs), their text once per content hash
(extractions + page_texts, indexed by the accent-insensitive FTS5 table page_fts), and the pieces of
each consultation (path inside the DCE, kind, content hash).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from app.domain.document import PageText, PieceText
from app.domain.kinds import PieceKind
from app.domain.rows import PieceRow
from local_store.clock import utc_now_iso as _now
from local_store.store import Connection, Store


@dataclass(frozen=True, slots=True)
class StoredExtraction:
    """The text of one content, as stored (what `app.dce` produced the first time)."""

    sha256: str
    format: str
    paged: bool
    pages: list[PageText]
    unread_reason: str | None
    error: str | None


@dataclass(frozen=True, slots=True)
class SearchHit:
    consultation_uuid: str
    path: str
    page: int
    snippet: str  # matched words between [ and ]


# --- blobs and extractions ------------------------------------------------------------------------
def save_blob(conn: Connection, sha256: str, data: bytes) -> bool:
    """Store a file's content once; False when it was already there."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)", (sha256, len(data), data)
    )
    return cur.rowcount > 0


def blob_data(store: Store, sha256: str) -> bytes | None:
    row = store.read().execute("SELECT data FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
    return bytes(row["data"]) if row else None


def has_extraction(store: Store, sha256: str) -> bool:
    row = store.read().execute("SELECT 1 FROM extractions WHERE sha256 = ?", (sha256,)).fetchone()
    return row is not None


def save_extraction(
    conn: Connection,
    sha256: str,
    *,
    format: str,
    paged: bool,
    pages: list[PageText],
    unread_reason: str | None,
    error: str | None,
) -> bool:
    """Keep the text of a content (once: False when it was already extracted)."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO extractions(sha256, format, paged, page_count, ocr_pages, unread_reason,"
        " error, extracted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            sha256,
            format,
            int(paged),
            len(pages),
            sum(1 for p in pages if p.needs_ocr),
            unread_reason,
            error,
            _now(),
        ),
    )
    if cur.rowcount == 0:
        return False
    conn.executemany(
        "INSERT INTO page_texts(sha256, page, text, needs_ocr) VALUES (?, ?, ?, ?)",
        [(sha256, p.number, p.text, int(p.needs_ocr)) for p in pages],
    )
    return True


def load_extraction(store: Store, sha256: str) -> StoredExtraction | None:
    conn = store.read()
    row = conn.execute("SELECT * FROM extractions WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None:
        return None
    pages = [
        PageText(int(r["page"]), str(r["text"]), bool(r["needs_ocr"]))
        for r in conn.execute(
            "SELECT page, text, needs_ocr FROM page_texts WHERE sha256 = ? ORDER BY page", (sha256,)
        )
    ]
    return StoredExtraction(
        sha256, str(row["format"]), bool(row["paged"]), pages, row["unread_reason"], row["error"]
    )


def page_text(store: Store, sha256: str, page: int) -> str | None:
    row = (
        store.read()
        .execute("SELECT text FROM page_texts WHERE sha256 = ? AND page = ?", (sha256, page))
        .fetchone()
    )
    return None if row is None else str(row["text"])


# --- pieces of a consultation -------------------------------------------------------------------
def add_piece(
    conn: Connection,
    consultation_uuid: str,
    path: str,
    kind: PieceKind,
    sha256: str,
    size: int,
    meta: dict[str, str] | None = None,
) -> None:
    """`meta`: facts about the file kept with the piece (e.g. the bytes of an undecodable name)."""
    conn.execute(
        "INSERT INTO pieces(consultation_uuid, path, kind, sha256, size, imported_at, meta)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(consultation_uuid, path) DO UPDATE SET"
        "   kind = CASE WHEN pieces.kind_manual THEN pieces.kind ELSE excluded.kind END,"
        "   sha256 = excluded.sha256, size = excluded.size, imported_at = excluded.imported_at,"
        "   meta = excluded.meta",
        (consultation_uuid, path, kind.value, sha256, size, _now(), json.dumps(meta) if meta else None),
    )


def delete_unused_contents(conn: Connection) -> None:
    """Blobs and extracted texts no piece nor administrative document uses any more."""
    used = (
        "SELECT sha256 FROM pieces WHERE sha256 IS NOT NULL"
        " UNION SELECT blob_sha256 FROM admin_documents WHERE blob_sha256 IS NOT NULL"
    )
    conn.execute(f"DELETE FROM extractions WHERE sha256 NOT IN ({used})")
    conn.execute(f"DELETE FROM blobs WHERE sha256 NOT IN ({used})")


def piece_meta(store: Store, consultation_uuid: str, path: str) -> dict[str, str]:
    row = (
        store.read()
        .execute(
            "SELECT meta FROM pieces WHERE consultation_uuid = ? AND path = ?", (consultation_uuid, path)
        )
        .fetchone()
    )
    if row is None or not row["meta"]:
        return {}
    value = json.loads(row["meta"])
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


_PIECES = """
SELECT p.consultation_uuid, p.path, p.kind, p.kind_manual, p.sha256, p.size,
       e.format, e.page_count, e.ocr_pages, e.unread_reason, e.error
FROM pieces p LEFT JOIN extractions e ON e.sha256 = p.sha256
WHERE p.consultation_uuid = ?
ORDER BY p.path COLLATE NOCASE
"""


def list_pieces(store: Store, consultation_uuid: str) -> list[PieceRow]:
    out: list[PieceRow] = []
    for r in store.read().execute(_PIECES, (consultation_uuid,)):
        try:
            kind = PieceKind(r["kind"])
        except ValueError:
            kind = PieceKind.AUTRE
        count = r["page_count"]
        out.append(
            PieceRow(
                consultation_uuid=str(r["consultation_uuid"]),
                path=str(r["path"]),
                kind=kind,
                kind_manual=bool(r["kind_manual"]),
                sha256=r["sha256"],
                size=int(r["size"]),
                pages=int(count) if count else None,
                ocr_pages=int(r["ocr_pages"] or 0),
                unread_reason=r["unread_reason"],
                error=r["error"],
                format=r["format"],
            )
        )
    return out


def piece_texts(store: Store, consultation_uuid: str) -> list[PieceText]:
    """The pieces with their page texts, as the analysis engines take them."""
    out: list[PieceText] = []
    for row in list_pieces(store, consultation_uuid):
        extraction = load_extraction(store, row.sha256) if row.sha256 else None
        out.append(
            PieceText(
                path=row.path,
                kind=row.kind,
                sha256=row.sha256 or "",
                size=row.size,
                pages=list(extraction.pages) if extraction else [],
                unread_reason=extraction.unread_reason if extraction else row.unread_reason,
                error=extraction.error if extraction else row.error,
                paged=extraction.paged if extraction else True,
            )
        )
    return out


def set_piece_kind(conn: Connection, consultation_uuid: str, path: str, kind: PieceKind) -> bool:
    cur = conn.execute(
        "UPDATE pieces SET kind = ?, kind_manual = 1 WHERE consultation_uuid = ? AND path = ?",
        (kind.value, consultation_uuid, path),
    )
    return cur.rowcount > 0


def piece_sha(store: Store, consultation_uuid: str, path: str) -> str | None:
    row = (
        store.read()
        .execute(
            "SELECT sha256 FROM pieces WHERE consultation_uuid = ? AND path = ?", (consultation_uuid, path)
        )
        .fetchone()
    )
    return None if row is None else row["sha256"]


# --- search -----------------------------------------------------------------------------------
def fts_query(text: str) -> str:
    """User words → an FTS5 query where every word must appear (quoted: no FTS syntax leaks in)."""
    words = re.findall(r"\w+", text)
    return " ".join(f'"{w}"' for w in words)


def search(
    store: Store, text: str, *, consultation_uuid: str | None = None, limit: int = 50
) -> list[SearchHit]:
    """Pages whose text holds every word (accents and case ignored), best matches first."""
    query = fts_query(text)
    if not query:
        return []
    sql = (
        "SELECT p.consultation_uuid, p.path, t.page,"
        " snippet(page_fts, 0, '[', ']', '…', 12) AS snippet"
        " FROM page_fts JOIN page_texts t ON t.id = page_fts.rowid"
        " JOIN pieces p ON p.sha256 = t.sha256"
        " WHERE page_fts MATCH ?"
    )
    params: list[object] = [query]
    if consultation_uuid is not None:
        sql += " AND p.consultation_uuid = ?"
        params.append(consultation_uuid)
    sql += " ORDER BY bm25(page_fts), p.path, t.page LIMIT ?"
    params.append(limit)
    return [
        SearchHit(str(r["consultation_uuid"]), str(r["path"]), int(r["page"]), str(r["snippet"]))
        for r in store.read().execute(sql, params)
    ]
