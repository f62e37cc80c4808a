"""The content library: reusable blocks (title, tags, text, last review date), searched with FTS5.

Every edit marks the row dirty with a new `updated_at` in the same transaction (sync pushes exactly
those); deleting leaves a tombstone. Search goes through `library_fts` (accents ignored).
"""

from __future__ import annotations

import re
import uuid as uuid_mod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from local_store.clock import utc_now_iso as _now
from local_store.store import Connection, Store

_COLUMNS = "uuid, title, tags, body, reviewed_on, updated_at"


@dataclass(frozen=True)
class LibraryBlock:
    uuid: str
    title: str
    tags: list[str]
    body: str
    reviewed_on: date | None
    updated_at: str

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
    )


def add_block(
    store: Store, title: str, body: str, tags: Sequence[str] = (), reviewed_on: date | None = None
) -> LibraryBlock:
    new_uuid = str(uuid_mod.uuid4())
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO library_blocks(uuid, title, tags, body, reviewed_on, updated_at, dirty) "
            "VALUES (?, ?, ?, ?, ?, ?, 1)",
            (
                new_uuid,
                title,
                _tags_text(tags),
                body,
                reviewed_on.isoformat() if reviewed_on else None,
                _now(),
            ),
        )
        return _get(conn, new_uuid)


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
