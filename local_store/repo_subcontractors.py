"""Sub-contractors declared for a consultation (one DC4 each). Never synced."""

from __future__ import annotations

import json
import uuid as uuid_mod

from app.domain.subcontracting import Subcontractor
from local_store.clock import utc_now_iso as _now
from local_store.store import Store


def list_for(store: Store, consultation_uuid: str) -> list[Subcontractor]:
    rows = store.read().execute(
        "SELECT uuid, data FROM subcontractors WHERE consultation_uuid = ? ORDER BY position, rowid",
        (consultation_uuid,),
    )
    return [Subcontractor.model_validate({**json.loads(r["data"]), "uuid": r["uuid"]}) for r in rows]


def add(store: Store, consultation_uuid: str, sub: Subcontractor) -> Subcontractor:
    new_uuid = sub.uuid or str(uuid_mod.uuid4())
    data = sub.model_dump(mode="json", exclude={"uuid"})
    with store.transaction() as conn:
        position = conn.execute(
            "SELECT coalesce(max(position), -1) + 1 FROM subcontractors WHERE consultation_uuid = ?",
            (consultation_uuid,),
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO subcontractors(uuid, consultation_uuid, data, position, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(uuid) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (new_uuid, consultation_uuid, json.dumps(data, ensure_ascii=False), position, _now()),
        )
    return sub.model_copy(update={"uuid": new_uuid})


def remove(store: Store, consultation_uuid: str, sub_uuid: str) -> bool:
    with store.transaction() as conn:
        cur = conn.execute(
            "DELETE FROM subcontractors WHERE consultation_uuid = ? AND uuid = ?",
            (consultation_uuid, sub_uuid),
        )
    return cur.rowcount > 0
