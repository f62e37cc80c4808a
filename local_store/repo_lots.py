"""The lots the company answers in a consultation (chosen by the user). Never synced."""

from __future__ import annotations

import json

from local_store.clock import utc_now_iso as _now
from local_store.store import Store


def chosen(store: Store, consultation_uuid: str) -> list[int]:
    row = (
        store.read()
        .execute("SELECT lots FROM lot_choices WHERE consultation_uuid = ?", (consultation_uuid,))
        .fetchone()
    )
    return [int(n) for n in json.loads(row["lots"])] if row else []


def choose(store: Store, consultation_uuid: str, lots: list[int]) -> None:
    with store.transaction() as conn:
        if not lots:
            conn.execute("DELETE FROM lot_choices WHERE consultation_uuid = ?", (consultation_uuid,))
            return
        conn.execute(
            "INSERT INTO lot_choices(consultation_uuid, lots, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(consultation_uuid) DO UPDATE SET lots = excluded.lots, updated_at = excluded.updated_at",
            (consultation_uuid, json.dumps(sorted(set(lots))), _now()),
        )
