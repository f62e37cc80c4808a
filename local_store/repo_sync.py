"""The store side of sync: the outbox (dirty rows), writing server versions back, the cursor and other
sync state in `kv`, and the conflict copies the user resolves.

What may leave the machine is decided by `sync.policy` only; this module runs its queries. All
functions taking a `Connection` run inside the caller's transaction (a pull page and its cursor, a
push acknowledgement and the removal of the pending batch, are each one transaction).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from local_store.clock import utc_now_iso as _now
from local_store.store import Connection, Store


class TableSpec(Protocol):
    """How one syncable table maps to records (implemented by sync.policy.TableSpec: the policy decides,
    this module only runs the queries)."""

    @property
    def table(self) -> str: ...
    @property
    def merge(self) -> str: ...
    @property
    def parent(self) -> tuple[str, str] | None: ...
    def select_columns(self) -> str: ...
    def outgoing_data(self, row: Mapping[str, Any]) -> dict[str, Any]: ...
    def incoming_columns(self, data: Mapping[str, Any]) -> dict[str, Any]: ...


# Which rows may leave, for the children of a consultation (see outgoing_condition).
_SECTIONS_ON = (
    "EXISTS (SELECT 1 FROM consultations c WHERE c.uuid = {consultation} "
    "AND c.sync_sections = 1 AND c.sync_opt_out = 0)"
)


def outgoing_condition(table: str, alias: str = "t") -> str:
    """SQL condition (table aliased `alias`) of the rows allowed to leave the machine: opted-out rows
    never; proposals and sections only for consultations where the user turned mémoire sync on."""
    condition = f"{alias}.sync_opt_out = 0"
    if table == "consultations":  # an import that has not committed stays on this machine
        condition += f" AND {alias}.import_state = 'done'"
    elif table == "proposals":
        condition += " AND " + _SECTIONS_ON.format(consultation=f"{alias}.consultation_uuid")
    elif table == "sections":
        condition += (
            f" AND EXISTS (SELECT 1 FROM proposals p WHERE p.uuid = {alias}.proposal_uuid AND "
            + _SECTIONS_ON.format(consultation="p.consultation_uuid")
            + ")"
        )
    return condition


CURSOR_KEY = "sync.cursor"
FULL_COMPARE_KEY = "sync.full_compare"  # set while a full compare is under way (restart it if cut)
PENDING_PUSH_KEY = "sync.push.pending"  # the batch being sent, with its idempotency key
LAST_SYNC_KEY = "sync.last_success"
BASE_PREFIX = "sync.base."  # last server version of a "fields" record (three-way merge)
ORPHAN_PREFIX = "sync.orphan."  # a received record whose parent has not arrived yet
WITHDRAW_PREFIX = "sync.withdraw."  # a record to remove from the server but keep here (mémoire sync off)
ACCOUNT_SERVER_KEY = "account.server_url"
ACCOUNT_EMAIL_KEY = "account.email"
ACCOUNT_ID_KEY = "account.id"


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --- kv -----------------------------------------------------------------------------------------------
def kv_get(conn: Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def kv_set(conn: Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO kv(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def kv_delete(conn: Connection, key: str) -> None:
    conn.execute("DELETE FROM kv WHERE key = ?", (key,))


def kv_prefix(conn: Connection, prefix: str) -> Iterator[tuple[str, str]]:
    for row in conn.execute(
        "SELECT key, value FROM kv WHERE key >= ? AND key < ?", (prefix, prefix + "\uffff")
    ):
        yield str(row[0]), str(row[1])


def get_base(conn: Connection, record_uuid: str) -> dict[str, Any] | None:
    raw = kv_get(conn, BASE_PREFIX + record_uuid)
    return None if raw is None else dict(json.loads(raw))


def set_base(conn: Connection, spec: TableSpec, record_uuid: str, data: dict[str, Any] | None) -> None:
    """Remember the server version a "fields" record was last in step with (text records need none)."""
    if spec.merge != "fields":
        return
    if data is None:
        kv_delete(conn, BASE_PREFIX + record_uuid)
    else:
        kv_set(conn, BASE_PREFIX + record_uuid, dumps(data))


# --- outbox -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LocalRecord:
    spec: TableSpec
    uuid: str
    server_rev: int
    dirty: bool
    deleted: bool
    data: dict[str, Any]


def _local(spec: TableSpec, row: Any) -> LocalRecord:
    return LocalRecord(
        spec=spec,
        uuid=str(row["uuid"]),
        server_rev=int(row["server_rev"]),
        dirty=bool(row["dirty"]),
        deleted=bool(row["deleted"]),
        data=spec.outgoing_data(row),
    )


def outbox(conn: Connection, specs: Sequence[TableSpec], limit: int | None = None) -> list[LocalRecord]:
    """Dirty rows the policy lets leave, in `specs` order (parents first: a consultation before its
    proposals…)."""
    found: list[LocalRecord] = []
    for spec in specs:
        sql = (
            f"SELECT {spec.select_columns()} FROM {spec.table} t "
            f"WHERE t.dirty = 1 AND {outgoing_condition(spec.table)} "
            # A tombstone the server never saw needs no message: nobody else knows the record.
            "AND NOT (t.deleted = 1 AND t.server_rev = 0) "
            "ORDER BY t.updated_at, t.uuid"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit) - len(found)}"
        found += [_local(spec, r) for r in conn.execute(sql)]
        if limit is not None and len(found) >= limit:
            break
    return found


def count_outbox(conn: Connection, specs: Sequence[TableSpec]) -> int:
    total = 0
    for spec in specs:
        row = conn.execute(
            f"SELECT count(*) FROM {spec.table} t WHERE t.dirty = 1 AND {outgoing_condition(spec.table)} "
            "AND NOT (t.deleted = 1 AND t.server_rev = 0)"
        ).fetchone()
        total += int(row[0])
    return total


def count_held_back(conn: Connection, specs: Sequence[TableSpec]) -> int:
    """Edited rows that stay on this machine (opted out, or mémoire sync off for the consultation)."""
    total = 0
    for spec in specs:
        row = conn.execute(
            f"SELECT count(*) FROM {spec.table} t WHERE t.dirty = 1 AND NOT ({outgoing_condition(spec.table)})"
        ).fetchone()
        total += int(row[0])
    return total


def local_record(conn: Connection, spec: TableSpec, record_uuid: str) -> LocalRecord | None:
    row = conn.execute(
        f"SELECT {spec.select_columns()} FROM {spec.table} WHERE uuid = ?", (record_uuid,)
    ).fetchone()
    return None if row is None else _local(spec, row)


def acknowledge(
    conn: Connection, spec: TableSpec, sent: LocalRecord, revision: int, server_data: dict[str, Any] | None
) -> None:
    """The server accepted `sent` at `revision`. A row edited again while the push was in flight keeps
    dirty = 1 (its new content still has to go, now based on `revision`)."""
    current = local_record(conn, spec, sent.uuid)
    if current is None:
        return
    unchanged = current.deleted == sent.deleted and (sent.deleted or current.data == sent.data)
    conn.execute(
        f"UPDATE {spec.table} SET server_rev = ?, dirty = CASE WHEN ? THEN 0 ELSE dirty END WHERE uuid = ?",
        (revision, 1 if unchanged else 0, sent.uuid),
    )
    set_base(conn, spec, sent.uuid, server_data)


def parent_exists(conn: Connection, spec: TableSpec, data: dict[str, Any]) -> bool:
    if spec.parent is None:
        return True
    column, parent_table = spec.parent
    parent_uuid = data.get(column)
    if not isinstance(parent_uuid, str):
        return False
    return conn.execute(f"SELECT 1 FROM {parent_table} WHERE uuid = ?", (parent_uuid,)).fetchone() is not None


def write_record(
    conn: Connection,
    spec: TableSpec,
    record_uuid: str,
    data: dict[str, Any],
    *,
    deleted: bool,
    server_rev: int,
    dirty: bool,
) -> bool:
    """Insert or update a row from synced data. False when its parent is missing (try again later)."""
    exists = conn.execute(f"SELECT 1 FROM {spec.table} WHERE uuid = ?", (record_uuid,)).fetchone() is not None
    if not exists and deleted:
        return True  # a record this device never had, deleted elsewhere: nothing to keep
    values = spec.incoming_columns(data)
    if not deleted and not parent_exists(conn, spec, data):
        return False
    now = _now()
    values.update(updated_at=now, server_rev=server_rev, dirty=1 if dirty else 0, deleted=1 if deleted else 0)
    if exists:
        assignments = ", ".join(f"{c} = ?" for c in values)
        conn.execute(f"UPDATE {spec.table} SET {assignments} WHERE uuid = ?", (*values.values(), record_uuid))
    else:
        if spec.table == "consultations":
            values["created_at"] = now
        values["uuid"] = record_uuid
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        conn.execute(f"INSERT INTO {spec.table}({columns}) VALUES ({marks})", tuple(values.values()))
    return True


def mark_server_rev(
    conn: Connection, spec: TableSpec, record_uuid: str, server_rev: int, *, dirty: bool
) -> None:
    conn.execute(
        f"UPDATE {spec.table} SET server_rev = ?, dirty = ? WHERE uuid = ?",
        (server_rev, 1 if dirty else 0, record_uuid),
    )


def synced_ids(conn: Connection, specs: Sequence[TableSpec]) -> Iterator[tuple[TableSpec, str, int, bool]]:
    """(spec, uuid, server_rev, dirty) of every live row the server has seen (server_rev > 0)."""
    for spec in specs:
        for row in conn.execute(
            f"SELECT uuid, server_rev, dirty FROM {spec.table} WHERE server_rev > 0 AND deleted = 0"
        ):
            yield spec, str(row[0]), int(row[1]), bool(row[2])


# --- orphans (a child received before its parent) ------------------------------------------------------
def save_orphan(conn: Connection, record_uuid: str, record_json: str) -> None:
    kv_set(conn, ORPHAN_PREFIX + record_uuid, record_json)


def orphans(conn: Connection) -> list[tuple[str, str]]:
    return [(k[len(ORPHAN_PREFIX) :], v) for k, v in kv_prefix(conn, ORPHAN_PREFIX)]


def drop_orphan(conn: Connection, record_uuid: str) -> None:
    kv_delete(conn, ORPHAN_PREFIX + record_uuid)


# --- whole sync state ------------------------------------------------------------------------------------
def reset_sync_state(conn: Connection, specs: Sequence[TableSpec]) -> None:
    """Forget everything learnt from a server (another account or server): every live row goes again."""
    for spec in specs:
        conn.execute(
            f"UPDATE {spec.table} SET server_rev = 0, dirty = CASE WHEN deleted = 1 THEN 0 ELSE 1 END"
        )
    for prefix in (BASE_PREFIX, ORPHAN_PREFIX, WITHDRAW_PREFIX):
        conn.execute("DELETE FROM kv WHERE key >= ? AND key < ?", (prefix, prefix + "\uffff"))
    for key in (CURSOR_KEY, FULL_COMPARE_KEY, PENDING_PUSH_KEY, LAST_SYNC_KEY):
        kv_delete(conn, key)


# --- user choices ----------------------------------------------------------------------------------------
_MEMOIRE_ROWS = (
    (
        "proposals",
        "SELECT uuid FROM proposals WHERE consultation_uuid = ? AND server_rev > 0 AND deleted = 0",
    ),
    (
        "sections",
        "SELECT s.uuid FROM sections s JOIN proposals p ON p.uuid = s.proposal_uuid "
        "WHERE p.consultation_uuid = ? AND s.server_rev > 0 AND s.deleted = 0",
    ),
)


def set_sync_sections(conn: Connection, consultation_uuid: str, on: bool) -> bool:
    """Turn mémoire sync on or off for a consultation. Returns False when it does not exist.

    Turning it off also queues the withdrawal of the mémoire's records from the server (tombstones
    that the other devices, which receive the switch first, read as "keep it locally, stop syncing").
    """
    cur = conn.execute(
        "UPDATE consultations SET sync_sections = ?, dirty = 1, updated_at = ? "
        "WHERE uuid = ? AND deleted = 0 AND sync_sections != ?",
        (1 if on else 0, _now(), consultation_uuid, 1 if on else 0),
    )
    if not cur.rowcount:
        row = conn.execute("SELECT 1 FROM consultations WHERE uuid = ? AND deleted = 0", (consultation_uuid,))
        return row.fetchone() is not None
    for table, sql in _MEMOIRE_ROWS:
        for (record_uuid,) in conn.execute(sql, (consultation_uuid,)).fetchall():
            if on:
                kv_delete(conn, WITHDRAW_PREFIX + str(record_uuid))
            else:
                kv_set(conn, WITHDRAW_PREFIX + str(record_uuid), table)
    return True


def withdrawals(conn: Connection) -> list[tuple[str, str, int]]:
    """(table, uuid, server_rev) of the records to remove from the server while keeping them here."""
    found = []
    for key, table in kv_prefix(conn, WITHDRAW_PREFIX):
        record_uuid = key[len(WITHDRAW_PREFIX) :]
        if table not in {"proposals", "sections"}:
            continue
        row = conn.execute(f"SELECT server_rev FROM {table} WHERE uuid = ?", (record_uuid,)).fetchone()
        if row is None or int(row[0]) == 0:
            kv_delete(conn, key)
            continue
        found.append((table, record_uuid, int(row[0])))
    return found


def is_withdrawal(conn: Connection, record_uuid: str) -> bool:
    return kv_get(conn, WITHDRAW_PREFIX + record_uuid) is not None


def withdrawn(conn: Connection, spec: TableSpec, record_uuid: str, server_rev: int) -> None:
    """The server no longer holds this record; it stays here, to be sent again if sync is turned on."""
    kv_delete(conn, WITHDRAW_PREFIX + record_uuid)
    mark_server_rev(conn, spec, record_uuid, server_rev, dirty=True)


def held_back(conn: Connection, spec: TableSpec, record_uuid: str) -> bool:
    """True when the policy keeps this existing row on this machine (mémoire sync off, opt-out)."""
    row = conn.execute(
        f"SELECT 1 FROM {spec.table} t WHERE t.uuid = ? AND NOT ({outgoing_condition(spec.table)})",
        (record_uuid,),
    ).fetchone()
    return row is not None


def set_opt_out(conn: Connection, spec: TableSpec, record_uuid: str, opt_out: bool) -> bool:
    """Keep one record on this machine only (or let it sync again). False when it does not exist."""
    cur = conn.execute(
        f"UPDATE {spec.table} SET sync_opt_out = ?, dirty = CASE WHEN ? THEN 1 ELSE dirty END WHERE uuid = ?",
        (1 if opt_out else 0, 0 if opt_out else 1, record_uuid),
    )
    return bool(cur.rowcount)


def sync_sections(conn: Connection, consultation_uuid: str) -> bool | None:
    """Whether the mémoire of a consultation syncs (None: no such consultation)."""
    row = conn.execute(
        "SELECT sync_sections FROM consultations WHERE uuid = ? AND deleted = 0", (consultation_uuid,)
    ).fetchone()
    return None if row is None else bool(row[0])


def opted_out(conn: Connection, spec: TableSpec) -> set[str]:
    """Ids of the records of a table kept on this machine only."""
    rows = conn.execute(f"SELECT uuid FROM {spec.table} WHERE sync_opt_out = 1 AND deleted = 0")
    return {str(r[0]) for r in rows}


# --- conflicts ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConflictCopy:
    id: int
    table_name: str
    record_uuid: str
    local_data: dict[str, Any]
    server_data: dict[str, Any] | None
    server_rev: int
    created_at: str
    resolved_at: str | None
    resolution: str | None


def add_conflict(
    conn: Connection,
    table: str,
    record_uuid: str,
    local_data: dict[str, Any],
    server_data: dict[str, Any] | None,
    server_rev: int,
) -> int:
    cur = conn.execute(
        "INSERT INTO conflicts(table_name, record_uuid, local_data, server_data, server_rev, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            table,
            record_uuid,
            dumps(local_data),
            None if server_data is None else dumps(server_data),
            server_rev,
            _now(),
        ),
    )
    return int(cur.lastrowid or 0)


def _conflict(row: Any) -> ConflictCopy:
    return ConflictCopy(
        id=int(row["id"]),
        table_name=str(row["table_name"]),
        record_uuid=str(row["record_uuid"]),
        local_data=dict(json.loads(row["local_data"])),
        server_data=None if row["server_data"] is None else dict(json.loads(row["server_data"])),
        server_rev=int(row["server_rev"]),
        created_at=str(row["created_at"]),
        resolved_at=row["resolved_at"],
        resolution=row["resolution"],
    )


def list_conflicts(store: Store, *, include_resolved: bool = False) -> list[ConflictCopy]:
    sql = "SELECT * FROM conflicts"
    if not include_resolved:
        sql += " WHERE resolved_at IS NULL"
    return [_conflict(r) for r in store.read().execute(sql + " ORDER BY created_at, id")]


def get_conflict(conn: Connection, conflict_id: int) -> ConflictCopy | None:
    row = conn.execute("SELECT * FROM conflicts WHERE id = ?", (conflict_id,)).fetchone()
    return None if row is None else _conflict(row)


def count_open_conflicts(conn: Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL").fetchone()[0])


def close_conflict(conn: Connection, conflict_id: int, resolution: str) -> None:
    conn.execute(
        "UPDATE conflicts SET resolved_at = ?, resolution = ? WHERE id = ?", (_now(), resolution, conflict_id)
    )


def write_local_edit(conn: Connection, spec: TableSpec, record_uuid: str, data: dict[str, Any]) -> None:
    """A version the user chose (conflict resolution): stored as a local edit, dirty, undeleted."""
    current = local_record(conn, spec, record_uuid)
    server_rev = current.server_rev if current else 0
    if not write_record(conn, spec, record_uuid, data, deleted=False, server_rev=server_rev, dirty=True):
        from app.domain.errors import NotPossible

        raise NotPossible("Impossible de rétablir cette version : l'élément dont elle dépend a été supprimé.")
