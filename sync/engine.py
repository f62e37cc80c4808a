"""Push and pull between the local store and the account API (protocol in sync/protocol.py).

One sync = push the outbox, then pull what changed elsewhere (once more if the pull left rows to send:
merged records, records a restored server lost).

Push: dirty rows the policy lets leave go in batches (≤ MAX_PUSH_RECORDS records, ≤ MAX_BATCH_BYTES),
each change with the server revision it was edited from. A batch and its idempotency key are saved in
`kv` before sending: after a dropped connection or a crash, the very same batch is sent again, so the
server answers with its first answer instead of applying it twice. An acknowledgement clears `dirty`
only on rows whose content is still what was sent: an edit made while the push was in flight stays
dirty and goes next time, from the new base. A 409 applies the merge rules (sync/merge.py) to the
conflicting rows, then the rest is sent again.

Pull: pages after the opaque cursor; each page and its cursor are applied in one local transaction.
A 410 (cursor expired) starts a full compare: every record is pulled again and compared by id and
revision; synced rows the server no longer has are deletions whose tombstones were compacted (or, if
the server is behind what this device saw, records it lost, which are sent again).
"""

from __future__ import annotations

import logging
import threading
import uuid as uuid_mod
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, TypeVar

from pydantic import ValidationError

from local_store import repo_sync as rs
from local_store.store import Connection, Store
from sync import merge, policy
from sync.client import AccountClient, CursorExpired, PushConflict, SyncError
from sync.policy import TableSpec
from sync.protocol import (
    DEFAULT_PULL_LIMIT,
    ERROR_CURSOR_INVALID,
    ERROR_IDEMPOTENCY_REUSED,
    MAX_PUSH_RECORDS,
    MAX_RECORD_DATA_BYTES,
    Conflict,
    PullPage,
    PushBatch,
    PushResult,
    Record,
    RecordChange,
    data_size,
)

log = logging.getLogger(__name__)

MAX_BATCH_BYTES = 2 * 1024 * 1024  # well under the server's 4 MiB body limit
MAX_CONFLICT_ROUNDS = 5

T = TypeVar("T")


class DbLane(Protocol):
    """Runs one store step where the store lives (the desktop app's DB lane) and returns its result:
    the engine talks to the server from its own thread and hands every store read and write over."""

    def __call__(self, step: Callable[[], T]) -> T: ...


def run_here(step: Callable[[], T]) -> T:
    """The CLI and the tests: the store is used from the calling thread."""
    return step()


_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _store_lock(store: Store) -> threading.Lock:
    key = str(store.path.resolve())
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


@dataclass
class SyncSummary:
    sent: Counter[str] = field(default_factory=Counter)  # accepted by the server, per record type
    received: Counter[str] = field(default_factory=Counter)  # applied here, per record type
    deletions_received: int = 0
    conflicts: int = 0  # new conflict copies kept for the user
    merged: int = 0  # rows merged field by field with a newer server version
    too_large_ids: set[str] = field(default_factory=set)  # over the per-record limit: they stay here
    held_back: int = 0  # edited rows that stay local (opt-out, mémoire sync off)
    full_compare: bool = False
    bytes_sent: int = 0
    bytes_received: int = 0
    requests: int = 0

    @property
    def too_large(self) -> int:
        return len(self.too_large_ids)

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())

    @property
    def total_received(self) -> int:
        return sum(self.received.values())


class SyncEngine:
    def __init__(
        self,
        store: Store,
        client: AccountClient,
        *,
        specs: Sequence[TableSpec] = policy.SPECS,
        pull_limit: int = DEFAULT_PULL_LIMIT,
        batch_records: int = MAX_PUSH_RECORDS,
        db: DbLane = run_here,
    ) -> None:
        self.store = store
        self.db = db
        self.client = client
        self.specs = tuple(specs)
        self.by_type = {s.record_type: s for s in self.specs}
        self.pull_limit = pull_limit
        self.batch_records = batch_records

    # --- one sync -----------------------------------------------------------------------------------------
    def sync(self) -> SyncSummary:
        """Push then pull. Raises SyncError (Offline, AuthRequired…) with nothing lost: the outbox stays."""
        summary = SyncSummary()
        before = (self.client.traffic.sent, self.client.traffic.received, self.client.traffic.requests)
        with _store_lock(self.store):
            try:
                self.push(summary)
                self.pull(summary)
                if self.db(lambda: rs.count_outbox(self.store.read(), self.specs)):
                    # Merged rows, or rows a full compare found missing on the server, still have to go.
                    self.push(summary)
                    self.pull(summary)
                self.db(self._mark_synced)
            finally:
                t = self.client.traffic
                summary.bytes_sent = t.sent - before[0]
                summary.bytes_received = t.received - before[1]
                summary.requests = t.requests - before[2]
        summary.held_back = self.db(lambda: rs.count_held_back(self.store.read(), self.specs))
        log.info(
            "sync done: sent %d, received %d, conflicts %d, %d bytes out, %d bytes in",
            summary.total_sent,
            summary.total_received,
            summary.conflicts,
            summary.bytes_sent,
            summary.bytes_received,
        )
        return summary

    # --- store steps (run on the DB lane) -----------------------------------------------------------------
    def _mark_synced(self) -> None:
        with self.store.transaction() as conn:
            rs.kv_set(conn, rs.LAST_SYNC_KEY, datetime.now(UTC).isoformat(timespec="seconds"))

    def _pending(self) -> str | None:
        return rs.kv_get(self.store.read(), rs.PENDING_PUSH_KEY)

    def _save_pending(self, batch: PushBatch) -> None:
        with self.store.transaction() as conn:
            rs.kv_set(conn, rs.PENDING_PUSH_KEY, batch.model_dump_json())

    def _drop_pending(self) -> None:
        with self.store.transaction() as conn:
            rs.kv_delete(conn, rs.PENDING_PUSH_KEY)

    # --- push ---------------------------------------------------------------------------------------------
    def _batches(self, summary: SyncSummary) -> list[list[RecordChange]]:
        batches: list[list[RecordChange]] = []
        current: list[RecordChange] = []
        size = 0
        for rec in rs.outbox(self.store.read(), self.specs):
            spec = rec.spec
            assert isinstance(spec, TableSpec)
            data = None if rec.deleted else rec.data
            weight = data_size(data) + 200
            if data is not None and data_size(data) > MAX_RECORD_DATA_BYTES:
                summary.too_large_ids.add(rec.uuid)
                log.warning("record %s of %s over the size limit: kept local", rec.uuid, spec.table)
                continue
            if current and (len(current) >= self.batch_records or size + weight > MAX_BATCH_BYTES):
                batches.append(current)
                current, size = [], 0
            current.append(
                RecordChange(
                    type=spec.record_type,  # type: ignore[arg-type]
                    id=uuid_mod.UUID(rec.uuid),
                    base_revision=rec.server_rev,
                    deleted=rec.deleted,
                    data=data,
                )
            )
            size += weight
        # Mémoire records withdrawn from the server (sync turned off): tombstones, the rows stay here.
        conn = self.store.read()
        taken = {c.id for batch in [*batches, current] for c in batch}
        for table, rid, server_rev in rs.withdrawals(conn):
            spec = policy.BY_TABLE[table]
            if uuid_mod.UUID(rid) in taken:
                continue
            if current and len(current) >= self.batch_records:
                batches.append(current)
                current, size = [], 0
            current.append(
                RecordChange(
                    type=spec.record_type,  # type: ignore[arg-type]
                    id=uuid_mod.UUID(rid),
                    base_revision=server_rev,
                    deleted=True,
                )
            )
        if current:
            batches.append(current)
        return batches

    def push(self, summary: SyncSummary) -> None:
        pending = self.db(self._pending)
        if pending is not None:
            # A batch whose answer never came: the same key and content, so it is applied at most once.
            try:
                saved = PushBatch.model_validate_json(pending)
            except ValidationError:
                log.warning("unreadable pending push batch dropped (its rows are still dirty)")
                self.db(self._drop_pending)
            else:
                self._send(saved, summary)
        for _ in range(MAX_CONFLICT_ROUNDS):
            conflicted = False
            for changes in self.db(lambda: self._batches(summary)):
                batch = PushBatch(idempotency_key=uuid_mod.uuid4().hex, changes=changes)
                self.db(lambda: self._save_pending(batch))  # noqa: B023 (run at once)
                conflicted = not self._send(batch, summary) or conflicted
            if not conflicted:
                return

    def _send(self, batch: PushBatch, summary: SyncSummary) -> bool:
        """Send one saved batch; False when the server refused it for conflicts (merged here)."""
        try:
            result = self.client.push(batch)
        except PushConflict as exc:
            conflicts = exc.body.conflicts
            self.db(lambda: self._merge_conflicts(conflicts, summary))
            return False
        except SyncError as exc:
            if exc.code == ERROR_IDEMPOTENCY_REUSED or exc.status in {400, 413, 422}:
                # The server will never accept this exact batch: drop it, the rows are still dirty.
                self.db(self._drop_pending)
            raise
        self.db(lambda: self._acknowledge(batch, result, summary))
        return True

    def _merge_conflicts(self, conflicts: list[Conflict], summary: SyncSummary) -> None:
        """The server refused a batch for conflicts: each is merged here (DB lane)."""
        with self.store.transaction() as conn:
            for conflict in conflicts:
                spec = self.by_type.get(conflict.type)
                rid = str(conflict.id)
                if spec is None:
                    continue
                if rs.is_withdrawal(conn, rid):
                    # Changed elsewhere before the switch arrived there: take that version, then
                    # withdraw it again from the new base (next round).
                    if conflict.server is None:
                        rs.withdrawn(conn, spec, rid, 0)
                    else:
                        self._apply(conn, conflict.server, summary, full=False)
                    continue
                self._reconcile(conn, spec, rid, conflict.server, summary)
            rs.kv_delete(conn, rs.PENDING_PUSH_KEY)

    def _acknowledge(self, batch: PushBatch, result: PushResult, summary: SyncSummary) -> None:
        by_id = {str(r.id): r for r in result.records}
        with self.store.transaction() as conn:
            for change in batch.changes:
                spec = self.by_type.get(change.type)
                record = by_id.get(str(change.id))
                if spec is None or record is None:
                    continue
                if change.deleted and rs.is_withdrawal(conn, str(change.id)):
                    rs.withdrawn(conn, spec, str(change.id), record.revision)
                    summary.sent[change.type] += 1
                    continue
                sent = rs.LocalRecord(
                    spec=spec,
                    uuid=str(change.id),
                    server_rev=change.base_revision,
                    dirty=True,
                    deleted=change.deleted,
                    data=change.data or {},
                )
                rs.acknowledge(conn, spec, sent, record.revision, None if record.deleted else record.data)
                summary.sent[change.type] += 1
            rs.kv_delete(conn, rs.PENDING_PUSH_KEY)

    # --- pull ---------------------------------------------------------------------------------------------
    def _pull_start(self) -> tuple[bool, str | None]:
        conn = self.store.read()
        full = rs.kv_get(conn, rs.FULL_COMPARE_KEY) is not None
        return full, None if full else rs.kv_get(conn, rs.CURSOR_KEY)

    def _start_full_compare(self) -> None:
        with self.store.transaction() as tx:
            rs.kv_set(tx, rs.FULL_COMPARE_KEY, "1")
            rs.kv_delete(tx, rs.CURSOR_KEY)

    def _apply_page(self, page: PullPage, summary: SyncSummary, seen: dict[str, int] | None) -> None:
        with self.store.transaction() as tx:
            for record in page.records:
                self._apply(tx, record, summary, full=seen is not None)
                if seen is not None:
                    seen[str(record.id)] = record.revision
            self._retry_orphans(tx, summary)
            rs.kv_set(tx, rs.CURSOR_KEY, page.next_cursor)

    def _end_full_compare(self, seen: dict[str, int], head: int, summary: SyncSummary) -> None:
        with self.store.transaction() as tx:
            self._finish_full_compare(tx, seen, head, summary)
            rs.kv_delete(tx, rs.FULL_COMPARE_KEY)

    def pull(self, summary: SyncSummary) -> None:
        full, cursor = self.db(self._pull_start)
        seen: dict[str, int] | None = {} if full else None
        head = 0
        while True:
            try:
                page = self.client.pull(cursor, self.pull_limit)
            except (CursorExpired, SyncError) as exc:
                expired = isinstance(exc, CursorExpired) or exc.code == ERROR_CURSOR_INVALID
                if not expired or cursor is None:
                    raise
                log.info("sync cursor expired or unreadable: full compare")
                self.db(self._start_full_compare)
                cursor, seen = None, {}
                continue
            pulled, page_seen = page, seen
            self.db(lambda: self._apply_page(pulled, summary, page_seen))  # noqa: B023 (run at once)
            cursor, head = page.next_cursor, page.revision
            if not page.has_more:
                break
        if seen is not None:
            summary.full_compare = True
            compared, last = seen, head
            self.db(lambda: self._end_full_compare(compared, last, summary))

    def _apply(self, conn: Connection, record: Record, summary: SyncSummary, *, full: bool) -> None:
        spec = self.by_type.get(record.type)
        if spec is None:
            return  # a type this version does not keep
        rid = str(record.id)
        local = rs.local_record(conn, spec, rid)
        if local is not None and local.server_rev == record.revision:
            return  # already in step (often our own push coming back)
        if local is not None and local.server_rev > record.revision:
            if not full:
                return
            # The server is behind what this device saw (restored from a backup): send ours again.
            same = local.deleted == record.deleted and (record.deleted or local.data == record.data)
            rs.mark_server_rev(conn, spec, rid, record.revision, dirty=local.dirty or not same)
            return
        if record.deleted and local is not None and not local.deleted and rs.held_back(conn, spec, rid):
            # Withdrawn from the server by a device that turned mémoire sync off (the switch came
            # first): this device keeps its copy too.
            rs.withdrawn(conn, spec, rid, record.revision)
            return
        if local is not None and local.dirty:
            self._reconcile(conn, spec, rid, record, summary)
            return
        data = record.data if record.data is not None else (local.data if local is not None else {})
        if not rs.write_record(
            conn, spec, rid, data, deleted=record.deleted, server_rev=record.revision, dirty=False
        ):
            rs.save_orphan(conn, rid, record.model_dump_json())
            return
        rs.set_base(conn, spec, rid, None if record.deleted else record.data)
        if local is not None or not record.deleted:
            summary.received[record.type] += 1
            summary.deletions_received += int(record.deleted)

    def _retry_orphans(self, conn: Connection, summary: SyncSummary) -> None:
        progress = True
        while progress:
            progress = False
            for rid, raw in rs.orphans(conn):
                record = Record.model_validate_json(raw)
                spec = self.by_type[record.type]
                if record.data is not None and rs.parent_exists(conn, spec, record.data):
                    rs.drop_orphan(conn, rid)
                    self._apply(conn, record, summary, full=False)
                    progress = True

    def _reconcile(
        self, conn: Connection, spec: TableSpec, rid: str, server: Record | None, summary: SyncSummary
    ) -> None:
        """A row changed here and on the server: apply the merge rules (sync/merge.py)."""
        local = rs.local_record(conn, spec, rid)
        if local is None:
            return
        if server is None and local.server_rev > 0:
            # The server never had it (or lost it): send it again as a new record.
            rs.mark_server_rev(conn, spec, rid, 0, dirty=True)
            return
        server_data = None if server is None or server.deleted else server.data
        server_deleted = server is None or server.deleted
        server_rev = server.revision if server is not None else 0
        base = rs.get_base(conn, rid) if spec.merge == "fields" else None
        outcome = merge.resolve(spec.merge, base, local.data, local.deleted, server_data, server_deleted)
        if outcome.conflict:
            rs.add_conflict(conn, spec.table, rid, local.data, server_data, server_rev)
            summary.conflicts += 1
            log.info("sync conflict on a %s record: local version kept as a copy", spec.record_type)
        elif outcome.dirty:
            summary.merged += 1
        rs.write_record(
            conn, spec, rid, outcome.data, deleted=outcome.deleted, server_rev=server_rev, dirty=outcome.dirty
        )
        rs.set_base(conn, spec, rid, server_data)
        if server is not None and (outcome.data != local.data or outcome.deleted != local.deleted):
            summary.received[spec.record_type] += 1

    def _finish_full_compare(
        self, conn: Connection, seen: dict[str, int], head: int, summary: SyncSummary
    ) -> None:
        for spec, rid, server_rev, _dirty in list(rs.synced_ids(conn, self.specs)):
            if rid in seen:
                continue
            if server_rev > head:
                rs.mark_server_rev(conn, spec, rid, 0, dirty=True)  # the server lost it: send it again
                continue
            # Deleted elsewhere and the tombstone compacted since: same as receiving the tombstone.
            assert isinstance(spec, TableSpec)
            tombstone = Record(
                type=spec.record_type,  # type: ignore[arg-type]
                id=uuid_mod.UUID(rid),
                revision=max(server_rev + 1, 1),
                deleted=True,
            )
            self._apply(conn, tombstone, summary, full=True)
