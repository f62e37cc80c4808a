"""Consultations (one imported DCE each), their analyses and the values corrected by hand.

Consultation rows are syncable (metadata only: title, buyer, deadline, status): every change sets
`dirty` and `updated_at`. Analyses and corrections never leave the machine.
"""

from __future__ import annotations

import json
import uuid as uuid_mod
from dataclasses import dataclass
from typing import Any

from app.domain.labels import ConsultationStatus
from local_store.clock import utc_now_iso as _now
from local_store.store import Connection, Store

STATUSES: tuple[str, ...] = tuple(s.value for s in ConsultationStatus)


@dataclass(frozen=True, slots=True)
class ConsultationRow:
    uuid: str
    title: str
    buyer: str | None
    reference: str | None
    deadline: str | None
    questions_deadline: str | None
    site_visit_date: str | None
    status: str
    source_name: str | None
    created_at: str
    analyzed_at: str | None
    pieces: int


@dataclass(frozen=True, slots=True)
class AnalysisRow:
    id: int
    engine: str
    created_at: str
    result: dict[str, Any]


def create(conn: Connection, *, title: str, source_name: str | None) -> str:
    new_uuid = str(uuid_mod.uuid4())
    now = _now()
    conn.execute(
        "INSERT INTO consultations(uuid, title, source_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        (new_uuid, title, source_name, now, now),
    )
    return new_uuid


_SELECT = """
SELECT c.*, (SELECT count(*) FROM pieces p WHERE p.consultation_uuid = c.uuid) AS piece_count
FROM consultations c WHERE c.deleted = 0
"""


def _row(r: Any) -> ConsultationRow:
    return ConsultationRow(
        uuid=str(r["uuid"]),
        title=str(r["title"]),
        buyer=r["buyer"],
        reference=r["reference"],
        deadline=r["deadline"],
        questions_deadline=r["questions_deadline"],
        site_visit_date=r["site_visit_date"],
        status=str(r["status"]),
        source_name=r["source_name"],
        created_at=str(r["created_at"]),
        analyzed_at=r["analyzed_at"],
        pieces=int(r["piece_count"]),
    )


def get(store: Store, consultation_uuid: str) -> ConsultationRow | None:
    r = store.read().execute(_SELECT + " AND c.uuid = ?", (consultation_uuid,)).fetchone()
    return None if r is None else _row(r)


def list_all(store: Store, *, query: str = "", status: str = "") -> list[ConsultationRow]:
    sql = _SELECT
    params: list[object] = []
    if status:
        sql += " AND c.status = ?"
        params.append(status)
    if query:
        sql += " AND (c.title LIKE ? OR c.buyer LIKE ? OR c.reference LIKE ? OR c.source_name LIKE ?)"
        like = f"%{query}%"
        params += [like, like, like, like]
    sql += " ORDER BY coalesce(c.deadline, '9999') , c.created_at DESC"
    return [_row(r) for r in store.read().execute(sql, params)]


def update_metadata(conn: Connection, consultation_uuid: str, **fields: str | None) -> None:
    """title, buyer, reference, deadline, questions_deadline, site_visit_date, analyzed_at."""
    allowed = {
        "title",
        "buyer",
        "reference",
        "deadline",
        "questions_deadline",
        "site_visit_date",
        "analyzed_at",
        "status",
    }
    sets = {k: v for k, v in fields.items() if k in allowed}
    if not sets:
        return
    assignments = ", ".join(f"{k} = ?" for k in sets)
    conn.execute(
        f"UPDATE consultations SET {assignments}, updated_at = ?, dirty = 1 WHERE uuid = ?",
        [*sets.values(), _now(), consultation_uuid],
    )


# --- analyses and corrections ---------------------------------------------------------------------
def save_analysis(conn: Connection, consultation_uuid: str, engine: str, result: dict[str, Any]) -> int:
    cur = conn.execute(
        "INSERT INTO analyses(consultation_uuid, engine, created_at, result) VALUES (?, ?, ?, ?)",
        (consultation_uuid, engine, _now(), json.dumps(result, ensure_ascii=False)),
    )
    return int(cur.lastrowid or 0)


def latest_analysis(store: Store, consultation_uuid: str) -> AnalysisRow | None:
    r = (
        store.read()
        .execute(
            "SELECT id, engine, created_at, result FROM analyses WHERE consultation_uuid = ?"
            " ORDER BY created_at DESC, id DESC LIMIT 1",
            (consultation_uuid,),
        )
        .fetchone()
    )
    if r is None:
        return None
    return AnalysisRow(int(r["id"]), str(r["engine"]), str(r["created_at"]), json.loads(r["result"]))


def set_override(conn: Connection, consultation_uuid: str, field: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO analysis_overrides(consultation_uuid, field, value, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(consultation_uuid, field) DO UPDATE SET value = excluded.value,"
        " updated_at = excluded.updated_at",
        (consultation_uuid, field, json.dumps(value, ensure_ascii=False), _now()),
    )


def clear_override(conn: Connection, consultation_uuid: str, field: str) -> None:
    conn.execute(
        "DELETE FROM analysis_overrides WHERE consultation_uuid = ? AND field = ?",
        (consultation_uuid, field),
    )


def overrides(store: Store, consultation_uuid: str) -> dict[str, Any]:
    return {
        str(r["field"]): json.loads(r["value"])
        for r in store.read().execute(
            "SELECT field, value FROM analysis_overrides WHERE consultation_uuid = ?", (consultation_uuid,)
        )
    }
