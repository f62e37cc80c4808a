"""Proposals (one mémoire per consultation and lot) and their sections.

Every edit marks the touched rows dirty with a new `updated_at` in the same transaction as the edit
(sync pushes exactly those rows); sections that leave the outline become tombstones.
"""

from __future__ import annotations

import uuid as uuid_mod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from local_store.clock import utc_now_iso as _now
from local_store.store import Connection, Store


@dataclass(frozen=True)
class Proposal:
    uuid: str
    consultation_uuid: str
    lot: int | None
    title: str
    outline_source: str
    updated_at: str


@dataclass(frozen=True)
class SectionRow:
    uuid: str
    proposal_uuid: str
    parent_uuid: str | None
    position: int
    level: int
    title: str
    criterion: str | None
    weight_percent: float | None
    body: str
    engine: str | None
    updated_at: str


@dataclass(frozen=True)
class NewSection:
    """A heading of the outline to store (its body is kept when the same heading already exists)."""

    title: str
    level: int
    criterion: str | None = None
    weight_percent: float | None = None
    body: str = ""
    engine: str | None = None


def _proposal(row: Any) -> Proposal:
    return Proposal(
        uuid=row["uuid"],
        consultation_uuid=row["consultation_uuid"],
        lot=row["lot"],
        title=row["title"],
        outline_source=row["outline_source"],
        updated_at=row["updated_at"],
    )


def _section(row: Any) -> SectionRow:
    return SectionRow(
        uuid=row["uuid"],
        proposal_uuid=row["proposal_uuid"],
        parent_uuid=row["parent_uuid"],
        position=row["position"],
        level=row["level"],
        title=row["title"],
        criterion=row["criterion"],
        weight_percent=row["weight_percent"],
        body=row["body"],
        engine=row["engine"],
        updated_at=row["updated_at"],
    )


def find_proposal(conn: Connection, consultation_uuid: str, lot: int | None) -> Proposal | None:
    row = conn.execute(
        "SELECT * FROM proposals WHERE consultation_uuid = ? AND lot IS ? AND deleted = 0 ORDER BY updated_at LIMIT 1",
        (consultation_uuid, lot),
    ).fetchone()
    return _proposal(row) if row else None


def get_or_create_proposal(
    store: Store, consultation_uuid: str, lot: int | None = None, outline_source: str = "criteria"
) -> Proposal:
    with store.transaction() as conn:
        found = find_proposal(conn, consultation_uuid, lot)
        if found is not None:
            if found.outline_source != outline_source:
                conn.execute(
                    "UPDATE proposals SET outline_source = ?, updated_at = ?, dirty = 1 WHERE uuid = ?",
                    (outline_source, _now(), found.uuid),
                )
                found = find_proposal(conn, consultation_uuid, lot)
                assert found is not None
            return found
        new_uuid = str(uuid_mod.uuid4())
        conn.execute(
            "INSERT INTO proposals(uuid, consultation_uuid, lot, outline_source, updated_at, dirty) "
            "VALUES (?, ?, ?, ?, ?, 1)",
            (new_uuid, consultation_uuid, lot, outline_source, _now()),
        )
        found = find_proposal(conn, consultation_uuid, lot)
        assert found is not None
        return found


def list_sections(store: Store, proposal_uuid: str) -> list[SectionRow]:
    rows = store.read().execute(
        "SELECT * FROM sections WHERE proposal_uuid = ? AND deleted = 0 ORDER BY position", (proposal_uuid,)
    )
    return [_section(r) for r in rows]


def save_outline(store: Store, proposal_uuid: str, outline: Sequence[NewSection]) -> list[SectionRow]:
    """Make the stored sections follow `outline` (order, levels): a heading already stored (same title
    and level) keeps its uuid and its text; new headings are added; the others become tombstones."""
    now = _now()
    with store.transaction() as conn:
        existing = [
            _section(r)
            for r in conn.execute(
                "SELECT * FROM sections WHERE proposal_uuid = ? AND deleted = 0 ORDER BY position",
                (proposal_uuid,),
            )
        ]
        pool: dict[tuple[str, int], list[SectionRow]] = {}
        for row in existing:
            pool.setdefault((row.title, row.level), []).append(row)
        kept: set[str] = set()
        touched = False
        parents: list[str | None] = [None, None, None]
        for position, new in enumerate(outline):
            parent = parents[new.level - 2] if new.level > 1 else None
            candidates = pool.get((new.title, new.level))
            if candidates:
                row = candidates.pop(0)
                kept.add(row.uuid)
                changed = (row.position, row.parent_uuid, row.criterion, row.weight_percent) != (
                    position,
                    parent,
                    new.criterion,
                    new.weight_percent,
                )
                if changed:
                    touched = True
                    conn.execute(
                        "UPDATE sections SET position = ?, parent_uuid = ?, criterion = ?, weight_percent = ?, "
                        "updated_at = ?, dirty = 1 WHERE uuid = ?",
                        (position, parent, new.criterion, new.weight_percent, now, row.uuid),
                    )
                section_uuid = row.uuid
            else:
                touched = True
                section_uuid = str(uuid_mod.uuid4())
                conn.execute(
                    "INSERT INTO sections(uuid, proposal_uuid, parent_uuid, position, level, title, criterion, "
                    "weight_percent, body, engine, updated_at, dirty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                    (
                        section_uuid,
                        proposal_uuid,
                        parent,
                        position,
                        new.level,
                        new.title,
                        new.criterion,
                        new.weight_percent,
                        new.body,
                        new.engine,
                        now,
                    ),
                )
                kept.add(section_uuid)
            if 1 <= new.level <= 3:
                parents[new.level - 1] = section_uuid
                for i in range(new.level, 3):
                    parents[i] = None
        for row in existing:
            if row.uuid not in kept:
                touched = True
                conn.execute(
                    "UPDATE sections SET deleted = 1, dirty = 1, updated_at = ? WHERE uuid = ?",
                    (now, row.uuid),
                )
        if touched:
            conn.execute(
                "UPDATE proposals SET updated_at = ?, dirty = 1 WHERE uuid = ?", (now, proposal_uuid)
            )
    return list_sections(store, proposal_uuid)


def save_section_body(store: Store, section_uuid: str, body: str, engine: str) -> SectionRow:
    """The text of one section (from the editor, a draft…): dirty and updated_at in the same transaction."""
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT * FROM sections WHERE uuid = ? AND deleted = 0", (section_uuid,)
        ).fetchone()
        if row is None:
            raise KeyError(section_uuid)
        if row["body"] != body or row["engine"] != engine:
            conn.execute(
                "UPDATE sections SET body = ?, engine = ?, updated_at = ?, dirty = 1 WHERE uuid = ?",
                (body, engine, _now(), section_uuid),
            )
        updated = conn.execute("SELECT * FROM sections WHERE uuid = ?", (section_uuid,)).fetchone()
        return _section(updated)


def delete_proposal(store: Store, proposal_uuid: str) -> None:
    now = _now()
    with store.transaction() as conn:
        conn.execute(
            "UPDATE sections SET deleted = 1, dirty = 1, updated_at = ? WHERE proposal_uuid = ? AND deleted = 0",
            (now, proposal_uuid),
        )
        conn.execute(
            "UPDATE proposals SET deleted = 1, dirty = 1, updated_at = ? WHERE uuid = ?", (now, proposal_uuid)
        )
