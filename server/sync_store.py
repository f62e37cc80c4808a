"""Server side of sync/protocol.py: per-account revisions, atomic pushes, paged pulls, tombstones."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, select, update

from server.context import Authed
from server.errors import ApiError
from server.models import Account, PushReceipt, SyncRecord, utcnow
from sync.protocol import (
    ERROR_CONFLICT,
    ERROR_CURSOR_EXPIRED,
    ERROR_CURSOR_INVALID,
    ERROR_IDEMPOTENCY_REUSED,
    Conflict,
    PullPage,
    PushBatch,
    PushResult,
    Record,
)

_CURSOR_PREFIX = "c1."


def encode_cursor(revision: int, floor: int) -> str:
    """Opaque cursor: the last revision seen and the compaction floor in force when it was issued."""
    raw = f"{revision}.{floor}".encode()
    return _CURSOR_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int]:
    try:
        if not cursor.startswith(_CURSOR_PREFIX) or len(cursor) > 60:
            raise ValueError
        raw = cursor[len(_CURSOR_PREFIX) :]
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii")
        revision, floor = (int(part) for part in text.split("."))
        if revision < 0 or floor < 0:
            raise ValueError
        return revision, floor
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise ApiError(400, ERROR_CURSOR_INVALID, "Curseur de synchronisation illisible.") from None


def _expired() -> ApiError:
    return ApiError(
        410,
        ERROR_CURSOR_EXPIRED,
        "Le curseur de synchronisation a expiré : une comparaison complète avec le serveur est nécessaire "
        "(reprenez la synchronisation depuis le début, sans curseur).",
    )


RecordRow = Row[str, str, int, bool, str | None]
_RECORD_COLUMNS = (SyncRecord.id, SyncRecord.type, SyncRecord.revision, SyncRecord.deleted, SyncRecord.data)
# Statements built once (see server.context._AUTH): the hot path only binds values.
_PAGE = (
    select(*_RECORD_COLUMNS)
    .where(SyncRecord.account_id == bindparam("account_id"), SyncRecord.revision > bindparam("after"))
    .order_by(SyncRecord.revision)
    .limit(bindparam("limit"))
)
_RECEIPT = select(PushReceipt.request_hash, PushReceipt.response).where(
    PushReceipt.account_id == bindparam("account_id"), PushReceipt.key == bindparam("key")
)
_EXISTING = select(*_RECORD_COLUMNS).where(
    SyncRecord.account_id == bindparam("account_id"), SyncRecord.id.in_(bindparam("ids", expanding=True))
)
_INSERT = insert(SyncRecord)
_UPDATE = (
    update(SyncRecord)
    .where(SyncRecord.account_id == bindparam("b_account_id"), SyncRecord.id == bindparam("b_id"))
    .values(
        revision=bindparam("revision"),
        deleted=bindparam("deleted"),
        data=bindparam("data"),
        updated_at=bindparam("updated_at"),
    )
)
_ADVANCE = (
    update(Account).where(Account.id == bindparam("account_id")).values(sync_revision=bindparam("revision"))
)
_RECEIPT_INSERT = insert(PushReceipt)


def _to_record(row: RecordRow) -> Record:
    return Record(
        type=row.type,
        id=row.id,
        revision=row.revision,
        deleted=row.deleted,
        data=json.loads(row.data) if row.data is not None else None,
    )


def pull(db: Connection, authed: Authed, cursor: str | None, limit: int) -> PullPage:
    account_id = authed.caller.account_id
    floor, head = authed.sync_floor, authed.sync_revision
    after = 0
    if cursor is not None:
        after, floor_then = decode_cursor(cursor)
        # Tombstones up to the floor may be gone: a cursor below it is only good if it was issued after
        # that compaction (i.e. during a full pull started since). Above the head, the server lost
        # history (restored backup). Either way only a full compare is safe.
        if (after < floor and floor_then < floor) or after > head:
            raise _expired()
    rows = db.execute(_PAGE, {"account_id": account_id, "after": after, "limit": limit + 1}).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1].revision if rows else after
    return PullPage(
        records=[_to_record(r) for r in rows],
        next_cursor=encode_cursor(last, floor),
        has_more=has_more,
        revision=max(head, last),
    )


def _same(row: RecordRow, deleted: bool, data: dict[str, Any] | None) -> bool:
    return row.deleted == deleted and (json.loads(row.data) if row.data is not None else None) == data


def push(db: Connection, authed: Authed, batch: PushBatch) -> str:
    """Apply the batch atomically and answer the PushResult as JSON.

    The caller holds the account row locked (serializes revisions) and `authed` was read under that lock.
    """
    account_id = authed.caller.account_id
    request_hash = hashlib.sha256(batch.model_dump_json().encode()).hexdigest()
    receipt = db.execute(_RECEIPT, {"account_id": account_id, "key": batch.idempotency_key}).first()
    if receipt is not None:
        if receipt.request_hash != request_hash:
            raise ApiError(
                422,
                ERROR_IDEMPOTENCY_REUSED,
                "Cette clé d'idempotence a déjà servi pour un autre lot de modifications.",
            )
        return str(receipt.response)

    ids = [str(c.id) for c in batch.changes]
    existing = {r.id: r for r in db.execute(_EXISTING, {"account_id": account_id, "ids": ids})}
    conflicts: list[Conflict] = []
    unchanged: set[str] = set()
    for change in batch.changes:
        row = existing.get(str(change.id))
        if row is not None and row.type != change.type:
            raise ApiError(
                422, "record_type_mismatch", f"L'enregistrement {change.id} existe déjà avec un autre type."
            )
        server_revision = row.revision if row is not None else 0
        if row is not None and _same(row, change.deleted, change.data):
            unchanged.add(row.id)  # an identical replay is a no-op, whatever its base
        elif change.base_revision != server_revision:
            conflicts.append(
                Conflict(
                    id=change.id,
                    type=change.type,
                    base_revision=change.base_revision,
                    server=_to_record(row) if row is not None else None,
                )
            )
    if conflicts:
        body = [c.model_dump(mode="json") for c in conflicts]
        raise ApiError(
            409,
            ERROR_CONFLICT,
            "Des modifications ont été faites ailleurs entre-temps : rien n'a été enregistré, "
            "fusionnez avec la version du serveur puis renvoyez.",
            extra={"conflicts": body},
        )
    revision = authed.sync_revision
    now = utcnow()
    results: list[Record] = []
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for change in batch.changes:
        key = str(change.id)
        row = existing.get(key)
        if key in unchanged and row is not None:
            results.append(_to_record(row))
            continue
        revision += 1
        data = None if change.deleted else json.dumps(change.data, ensure_ascii=False, separators=(",", ":"))
        values = {"revision": revision, "deleted": change.deleted, "data": data, "updated_at": now}
        if row is None:
            inserts.append({"account_id": account_id, "id": key, "type": change.type, **values})
        else:
            updates.append({"b_account_id": account_id, "b_id": key, **values})
        results.append(
            Record(
                type=change.type, id=change.id, revision=revision, deleted=change.deleted, data=change.data
            )
        )
    if inserts:
        db.execute(_INSERT, inserts)
    if updates:
        db.execute(_UPDATE, updates)
    if revision != authed.sync_revision:
        db.execute(_ADVANCE, {"account_id": account_id, "revision": revision})
    response = PushResult(records=results, revision=revision).model_dump_json()
    db.execute(
        _RECEIPT_INSERT,
        {
            "account_id": account_id,
            "key": batch.idempotency_key,
            "request_hash": request_hash,
            "response": response,
        },
    )
    return response
