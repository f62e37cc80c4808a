"""Requirements the user moved to another section of the mémoire (Exigences tab), per consultation and lot."""

from __future__ import annotations

from local_store.clock import utc_now_iso as _now
from local_store.store import Store


def moves(store: Store, consultation_uuid: str, lot: int | None) -> dict[str, str]:
    """Requirement key → section key chosen by the user."""
    rows = store.read().execute(
        "SELECT requirement_hash, section_key FROM requirement_moves WHERE consultation_uuid = ? AND lot = ?",
        (consultation_uuid, lot or 0),
    )
    return {r["requirement_hash"]: r["section_key"] for r in rows}


def move(
    store: Store, consultation_uuid: str, lot: int | None, requirement_key: str, section_key: str | None
) -> None:
    """Put a requirement in a section (None: back to the automatic mapping)."""
    with store.transaction() as conn:
        if section_key is None:
            conn.execute(
                "DELETE FROM requirement_moves WHERE consultation_uuid = ? AND lot = ? AND requirement_hash = ?",
                (consultation_uuid, lot or 0, requirement_key),
            )
            return
        conn.execute(
            "INSERT INTO requirement_moves(consultation_uuid, lot, requirement_hash, section_key, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(consultation_uuid, lot, requirement_hash) "
            "DO UPDATE SET section_key = excluded.section_key, updated_at = excluded.updated_at",
            (consultation_uuid, lot or 0, requirement_key, section_key, _now()),
        )
