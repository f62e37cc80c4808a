"""Consultations (one imported DCE each), their analyses and the values corrected by hand.

Consultation rows are syncable (metadata only: title, buyer, deadline, status): every change sets
`dirty` and `updated_at`. Analyses and corrections never leave the machine.
"""

from __future__ import annotations

import json
import uuid as uuid_mod
from dataclasses import dataclass
from typing import Any

from app.domain.rows import ConsultationRow, ConsultationStatus
from local_store.clock import utc_now_iso as _now
from local_store.store import Connection, Store

STATUSES: tuple[str, ...] = tuple(s.value for s in ConsultationStatus)
IMPORTING, IMPORT_DONE = "importing", "done"


@dataclass(frozen=True, slots=True)
class AnalysisRow:
    id: int
    engine: str
    created_at: str
    result: dict[str, Any]


def create(
    conn: Connection,
    *,
    title: str,
    source_name: str | None,
    importing: bool = False,
    import_pid: int | None = None,
    import_owner: str | None = None,
    import_sources: list[str] | None = None,
) -> str:
    """A new consultation; `importing` ones are not synced nor listed as done until `finish_import`."""
    new_uuid = str(uuid_mod.uuid4())
    now = _now()
    conn.execute(
        "INSERT INTO consultations(uuid, title, source_name, created_at, updated_at, import_state,"
        " import_pid, import_owner, import_sources, dirty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new_uuid,
            title,
            source_name,
            now,
            now,
            IMPORTING if importing else IMPORT_DONE,
            import_pid,
            import_owner,
            json.dumps(import_sources, ensure_ascii=False) if import_sources is not None else None,
            0 if importing else 1,
        ),
    )
    return new_uuid


def claim_import(conn: Connection, consultation_uuid: str, pid: int, owner: str | None = None) -> None:
    """An interrupted import is taken up again by process `pid` (`owner`: its identity)."""
    conn.execute(
        "UPDATE consultations SET import_state = ?, import_pid = ?, import_owner = ? WHERE uuid = ?",
        (IMPORTING, pid, owner, consultation_uuid),
    )


def finish_import(conn: Connection, consultation_uuid: str) -> None:
    """The import committed: the consultation becomes an ordinary one (and may sync)."""
    conn.execute(
        "UPDATE consultations SET import_state = ?, import_pid = NULL, import_owner = NULL, dirty = 1,"
        " updated_at = ?"
        " WHERE uuid = ?",
        (IMPORT_DONE, _now(), consultation_uuid),
    )


def import_sources(store: Store, consultation_uuid: str) -> list[str]:
    row = (
        store.read()
        .execute("SELECT import_sources FROM consultations WHERE uuid = ?", (consultation_uuid,))
        .fetchone()
    )
    if row is None or not row["import_sources"]:
        return []
    value = json.loads(row["import_sources"])
    return [str(v) for v in value] if isinstance(value, list) else []


def delete(conn: Connection, consultation_uuid: str) -> None:
    """Remove a consultation that never finished importing (never synced: no tombstone needed)."""
    conn.execute("DELETE FROM consultations WHERE uuid = ?", (consultation_uuid,))


def set_claude_consent(conn: Connection, consultation_uuid: str, value: str | None) -> None:
    conn.execute(
        "UPDATE consultations SET claude_consent = ?, claude_consent_at = ? WHERE uuid = ?",
        (value, _now() if value else None, consultation_uuid),
    )


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
        status=ConsultationStatus.parse(r["status"]),
        source_name=r["source_name"],
        created_at=str(r["created_at"]),
        analyzed_at=r["analyzed_at"],
        pieces=int(r["piece_count"]),
        import_state=str(r["import_state"]),
        import_pid=r["import_pid"],
        import_owner=r["import_owner"],
        claude_consent=r["claude_consent"],
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
