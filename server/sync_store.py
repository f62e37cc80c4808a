"""Server side of sync/protocol.py: per-account revisions, atomic pushes, paged pulls, tombstones."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

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


def _to_record(row: SyncRecord) -> Record:
    return Record(
        type=row.type,  # type: ignore[arg-type]
        id=row.id,  # type: ignore[arg-type]
        revision=row.revision,
        deleted=row.deleted,
        data=json.loads(row.data) if row.data is not None else None,
    )


def pull(s: Session, account: Account, cursor: str | None, limit: int) -> PullPage:
    after = 0
    if cursor is not None:
        after, floor_then = decode_cursor(cursor)
        # Tombstones up to the floor may be gone: a cursor below it is only good if it was issued after
        # that compaction (i.e. during a full pull started since). Above the head, the server lost
        # history (restored backup). Either way only a full compare is safe.
        if (after < account.sync_floor and floor_then < account.sync_floor) or after > account.sync_revision:
            raise _expired()
    head = account.sync_revision
    rows = list(
        s.execute(
            select(SyncRecord)
            .where(SyncRecord.account_id == account.id, SyncRecord.revision > after)
            .order_by(SyncRecord.revision)
            .limit(limit + 1)
        ).scalars()
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1].revision if rows else after
    return PullPage(
        records=[_to_record(r) for r in rows],
        next_cursor=encode_cursor(last, account.sync_floor),
        has_more=has_more,
        revision=max(head, last),
    )


def _same(row: SyncRecord, deleted: bool, data: dict[str, Any] | None) -> bool:
    return row.deleted == deleted and (json.loads(row.data) if row.data is not None else None) == data


def push(s: Session, account: Account, batch: PushBatch) -> PushResult:
    """Apply the batch atomically; the caller holds the account row locked (serializes revisions)."""
    request_hash = hashlib.sha256(batch.model_dump_json().encode()).hexdigest()
    receipt = s.get(PushReceipt, (account.id, batch.idempotency_key))
    if receipt is not None:
        if receipt.request_hash != request_hash:
            raise ApiError(
                422,
                ERROR_IDEMPOTENCY_REUSED,
                "Cette clé d'idempotence a déjà servi pour un autre lot de modifications.",
            )
        return PushResult.model_validate_json(receipt.response)

    ids = [str(c.id) for c in batch.changes]
    existing = {
        r.id: r
        for r in s.execute(
            select(SyncRecord).where(SyncRecord.account_id == account.id, SyncRecord.id.in_(ids))
        ).scalars()
    }
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
    revision = account.sync_revision
    now = utcnow()
    results: list[Record] = []
    for change in batch.changes:
        key = str(change.id)
        row = existing.get(key)
        if key in unchanged and row is not None:
            results.append(_to_record(row))
            continue
        revision += 1
        data = None if change.deleted else json.dumps(change.data, ensure_ascii=False, separators=(",", ":"))
        if row is None:
            row = SyncRecord(account_id=account.id, id=key, type=change.type)
            s.add(row)
        row.revision = revision
        row.deleted = change.deleted
        row.data = data
        row.updated_at = now
        results.append(_to_record(row))
    account.sync_revision = revision
    result = PushResult(records=results, revision=revision)
    s.add(
        PushReceipt(
            account_id=account.id,
            key=batch.idempotency_key,
            request_hash=request_hash,
            response=result.model_dump_json(),
        )
    )
    return result
