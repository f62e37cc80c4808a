"""The content library: reusable blocks (title, tags, text, last review date), searched with FTS5.

Every edit marks the row dirty with a new `updated_at` in the same transaction (sync pushes exactly
those); deleting leaves a tombstone. Search goes through `library_fts` (accents ignored).
"""

from __future__ import annotations

import json
import re
import uuid as uuid_mod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from local_store import text_norm
from local_store.clock import utc_now_iso as _now
from local_store.store import Connection, Store

_COLUMNS = (
    "uuid, title, tags, body, reviewed_on, updated_at, source_file, source_date, source_facts, content_hash"
)


@dataclass(frozen=True)
class LibraryBlock:
    uuid: str
    title: str
    tags: list[str]
    body: str
    reviewed_on: date | None
    updated_at: str
    source_file: str | None = None  # the past mémoire it was imported from
    source_date: date | None = None  # that mémoire's date
    source_facts: dict[str, str] | None = None  # its consultation's buyer, object, site (to adapt)
    content_hash: str | None = (
        None  # hash(es) of the text at import, space-separated (re-import adds nothing)
    )

    def review_due(self, today: date, months: int) -> date | None:
        """The date after which the block is "à revoir" (None: never reviewed, due now)."""
        if self.reviewed_on is None:
            return None
        return add_months(self.reviewed_on, months)

    def needs_review(self, today: date, months: int) -> bool:
        due = self.review_due(today, months)
        return due is None or due <= today


def add_months(day: date, months: int) -> date:
    """Same day `months` later (the month's last day when it is shorter: 31 → 30/28)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in range(day.day, 27, -1):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    return date(year, month, 28)


def _tags_text(tags: Sequence[str]) -> str:
    return ",".join(t.strip() for t in tags if t.strip())


def _row(row: Any) -> LibraryBlock:
    return LibraryBlock(
        uuid=row["uuid"],
        title=row["title"],
        tags=[t for t in (row["tags"] or "").split(",") if t],
        body=row["body"],
        reviewed_on=date.fromisoformat(row["reviewed_on"]) if row["reviewed_on"] else None,
        updated_at=row["updated_at"],
        source_file=row["source_file"],
        source_date=date.fromisoformat(row["source_date"]) if row["source_date"] else None,
        source_facts=json.loads(row["source_facts"]) if row["source_facts"] else None,
        content_hash=row["content_hash"],
    )


@dataclass(frozen=True)
class NewBlock:
    title: str
    body: str
    tags: Sequence[str] = ()
    reviewed_on: date | None = None
    source_file: str | None = None
    source_date: date | None = None
    source_facts: dict[str, str] | None = None
    content_hash: str | None = None


def _insert(conn: Connection, new: NewBlock) -> str:
    new_uuid = str(uuid_mod.uuid4())
    conn.execute(
        "INSERT INTO library_blocks(uuid, title, tags, body, reviewed_on, updated_at, dirty, source_file, "
        "source_date, source_facts, content_hash) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
        (
            new_uuid,
            new.title,
            _tags_text(new.tags),
            new.body,
            new.reviewed_on.isoformat() if new.reviewed_on else None,
            _now(),
            new.source_file,
            new.source_date.isoformat() if new.source_date else None,
            json.dumps(new.source_facts, ensure_ascii=False) if new.source_facts else None,
            new.content_hash,
        ),
    )
    return new_uuid


def add_block(
    store: Store, title: str, body: str, tags: Sequence[str] = (), reviewed_on: date | None = None
) -> LibraryBlock:
    with store.transaction() as conn:
        return _get(conn, _insert(conn, NewBlock(title, body, tags, reviewed_on)))


def add_blocks(
    store: Store, blocks: Sequence[NewBlock], images: dict[str, tuple[bytes, str]] | None = None
) -> tuple[list[LibraryBlock], int]:
    """Insert the blocks whose content hash is not in the library yet, in one transaction, with the
    pictures their bodies point to (sha256 → (content, content type)).

    Returns the blocks added and how many were already there (a file imported twice adds nothing)."""
    added: list[str] = []
    skipped = 0
    with store.transaction() as conn:
        for sha, (data, content_type) in (images or {}).items():
            conn.execute(
                "INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)", (sha, len(data), data)
            )
            conn.execute(
                "INSERT OR IGNORE INTO library_images(sha256, content_type) VALUES (?, ?)",
                (sha, content_type),
            )
        for new in blocks:
            if (
                new.content_hash
                and conn.execute(
                    "SELECT 1 FROM library_blocks WHERE instr(content_hash, ?) > 0 AND deleted = 0",
                    (new.content_hash,),
                ).fetchone()
            ):
                skipped += 1
                continue
            added.append(_insert(conn, new))
        return [_get(conn, u) for u in added], skipped


def replace_blocks(store: Store, old: Sequence[str], new: Sequence[NewBlock]) -> list[LibraryBlock]:
    """Tombstone the `old` blocks and add `new` ones in one transaction (merge and split)."""
    with store.transaction() as conn:
        for block_uuid in old:
            _get(conn, block_uuid)  # KeyError when unknown
        now = _now()
        for block_uuid in old:
            conn.execute(
                "UPDATE library_blocks SET deleted = 1, dirty = 1, updated_at = ? WHERE uuid = ?",
                (now, block_uuid),
            )
        created = [_insert(conn, n) for n in new]
        return [_get(conn, u) for u in created]


def _get(conn: Connection, block_uuid: str) -> LibraryBlock:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM library_blocks WHERE uuid = ? AND deleted = 0", (block_uuid,)
    ).fetchone()
    if row is None:
        raise KeyError(block_uuid)
    return _row(row)


def get_block(store: Store, block_uuid: str) -> LibraryBlock:
    return _get(store.read(), block_uuid)


def update_block(
    store: Store,
    block_uuid: str,
    *,
    title: str | None = None,
    body: str | None = None,
    tags: Sequence[str] | None = None,
    reviewed_on: date | None = None,
) -> LibraryBlock:
    """Change the given fields; the row is marked dirty only when something really changed."""
    with store.transaction() as conn:
        current = _get(conn, block_uuid)
        review = reviewed_on or current.reviewed_on
        new = {
            "title": current.title if title is None else title,
            "body": current.body if body is None else body,
            "tags": _tags_text(current.tags if tags is None else tags),
            "reviewed_on": review.isoformat() if review else None,
        }
        old = {
            "title": current.title,
            "body": current.body,
            "tags": _tags_text(current.tags),
            "reviewed_on": current.reviewed_on.isoformat() if current.reviewed_on else None,
        }
        if new != old:
            conn.execute(
                "UPDATE library_blocks SET title = ?, body = ?, tags = ?, reviewed_on = ?, updated_at = ?, "
                "dirty = 1 WHERE uuid = ?",
                (new["title"], new["body"], new["tags"], new["reviewed_on"], _now(), block_uuid),
            )
        return _get(conn, block_uuid)


def mark_reviewed(store: Store, block_uuid: str, on: date) -> LibraryBlock:
    return update_block(store, block_uuid, reviewed_on=on)


def delete_block(store: Store, block_uuid: str) -> None:
    """Tombstone (kept for sync), gone from lists and search."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE library_blocks SET deleted = 1, dirty = 1, updated_at = ? WHERE uuid = ? AND deleted = 0",
            (_now(), block_uuid),
        )


def list_blocks(store: Store) -> list[LibraryBlock]:
    rows = store.read().execute(
        f"SELECT {_COLUMNS} FROM library_blocks WHERE deleted = 0 ORDER BY title COLLATE NOCASE"
    )
    return [_row(r) for r in rows]


def due_for_review(store: Store, today: date, months: int) -> list[LibraryBlock]:
    return [b for b in list_blocks(store) if b.needs_review(today, months)]


_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str:
    """User words → an FTS5 query: each word quoted (no syntax injection), prefix match, all required."""
    tokens = _TOKEN.findall(text)
    return " ".join(f'"{t}"*' for t in tokens)


def search(store: Store, text: str, limit: int = 20) -> list[LibraryBlock]:
    """Blocks matching every word (title, tags, body; accents ignored), best first (bm25, title weighs more)."""
    query = fts_query(text)
    if not query:
        return []
    rows = store.read().execute(
        f"SELECT {', '.join('b.' + c.strip() for c in _COLUMNS.split(','))} "
        "FROM library_fts JOIN library_blocks b ON b.rowid = library_fts.rowid "
        "WHERE library_fts MATCH ? AND b.deleted = 0 "
        "ORDER BY bm25(library_fts, 5.0, 3.0, 1.0) LIMIT ?",
        (query, limit),
    )
    return [_row(r) for r in rows]


def image_data(store: Store, sha256: str) -> bytes | None:
    """A picture of an imported block (None when unknown)."""
    row = (
        store.read()
        .execute(
            "SELECT b.data FROM library_images i JOIN blobs b ON b.sha256 = i.sha256 WHERE i.sha256 = ?",
            (sha256,),
        )
        .fetchone()
    )
    return bytes(row["data"]) if row else None


# --- drafting index (normalised words, BM25) ----------------------------------------------------------
def _refresh_norm_index(conn: Connection) -> None:
    """Bring library_fts_norm in step with library_blocks (new, edited, deleted or synced rows)."""
    stale = conn.execute(
        "SELECT b.rowid AS rid, b.title, b.tags, b.body, b.updated_at, b.deleted, s.block_rowid AS known "
        "FROM library_blocks b LEFT JOIN library_fts_norm_state s ON s.block_rowid = b.rowid "
        "WHERE s.block_rowid IS NULL AND b.deleted = 0 OR s.updated_at IS NOT b.updated_at"
    ).fetchall()
    gone = conn.execute(
        "SELECT block_rowid FROM library_fts_norm_state WHERE block_rowid NOT IN (SELECT rowid FROM library_blocks)"
    ).fetchall()
    for row in stale:
        rid = row["rid"]
        conn.execute("DELETE FROM library_fts_norm WHERE rowid = ?", (rid,))
        conn.execute("DELETE FROM library_fts_norm_state WHERE block_rowid = ?", (rid,))
        if row["deleted"]:
            continue
        conn.execute(
            "INSERT INTO library_fts_norm(rowid, title, tags, body) VALUES (?, ?, ?, ?)",
            (
                rid,
                text_norm.normalize(row["title"]),
                text_norm.normalize((row["tags"] or "").replace(",", " ")),
                text_norm.normalize(row["body"]),
            ),
        )
        conn.execute(
            "INSERT INTO library_fts_norm_state(block_rowid, updated_at) VALUES (?, ?)",
            (rid, row["updated_at"]),
        )
    for row in gone:
        conn.execute("DELETE FROM library_fts_norm WHERE rowid = ?", (row["block_rowid"],))
        conn.execute("DELETE FROM library_fts_norm_state WHERE block_rowid = ?", (row["block_rowid"],))


# Title and tags say what a block answers; its body how. BM25 weights per column.
WEIGHTS = (4.0, 2.0, 1.0)


def refresh_index(store: Store) -> None:
    with store.transaction() as conn:
        _refresh_norm_index(conn)


def rank(store: Store, match: str, limit: int = 10) -> list[tuple[LibraryBlock, float]]:
    """Blocks for an FTS5 expression over normalised words (text_norm.query), best first, with their
    BM25 score (higher is better). Call refresh_index() after the library changed."""
    if not match:
        return []
    cols = ", ".join("b." + c.strip() for c in _COLUMNS.split(","))
    rows = store.read().execute(
        f"SELECT {cols}, -bm25(library_fts_norm, ?, ?, ?) AS score "
        "FROM library_fts_norm JOIN library_blocks b ON b.rowid = library_fts_norm.rowid "
        "WHERE library_fts_norm MATCH ? AND b.deleted = 0 ORDER BY score DESC LIMIT ?",
        (*WEIGHTS, match, limit),
    )
    return [(_row(r), float(r["score"])) for r in rows]
