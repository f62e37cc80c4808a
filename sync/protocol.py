"""The sync wire protocol shared by the desktop client and the account API (one place for both sides).

Model of the exchange:
- Records carry client-made UUIDs. The server gives every write a revision from a per-account monotonic
  counter; a record's `revision` is the account revision of its last write.
- `pull`: GET PULL_PATH?cursor=…&limit=… returns a `PullPage` of records changed after the opaque cursor
  (no cursor = from the beginning, which is also the "full compare"), ordered by revision.
- `push`: POST PUSH_PATH with a `PushBatch`. Each change says which server revision it was edited from
  (`base_revision`, 0 for a new record). The batch is atomic: if any base is stale the server applies
  nothing and answers 409 with a `ConflictBody` holding the server copy of every conflicting record.
  Retrying the same batch with the same `idempotency_key` returns the first answer (safe retries).
- Deletions are tombstones (`deleted=True`, `data=None`) so other devices learn about them.
- An expired cursor (tombstones older than it were compacted) is answered 410 with code
  `cursor_expired`: the client drops its cursor, pulls from the beginning and compares everything.
- Every sync request carries the PROTOCOL_HEADER; a version the server does not speak is answered 426
  with a French message asking the user to update the application.

`data` is an opaque JSON object per record: the server only checks its size, never its content.
Errors always have the shape `{"error": {"code": …, "message": …}}` (`ErrorBody`).
"""

from __future__ import annotations

import json
from typing import Any, Literal, get_args
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PROTOCOL_VERSION = 1
# Versions the server still accepts; a client outside this set gets 426 (update the app).
SUPPORTED_PROTOCOL_VERSIONS: frozenset[int] = frozenset({1})
PROTOCOL_HEADER = "Maitre-AO-Protocol"

PULL_PATH = "/v1/sync/changes"
PUSH_PATH = "/v1/sync/push"

RecordType = Literal[
    "company_profile",
    "certification",
    "reference",
    "staff",
    "equipment",
    "admin_document",
    "library_block",
    "consultation",
    "proposal",
    "section",
]
RECORD_TYPES: tuple[str, ...] = get_args(RecordType)

# Limits (the server enforces them; the client splits its outbox accordingly).
MAX_RECORD_DATA_BYTES = 256 * 1024  # compact JSON of one record's `data`
MAX_PUSH_RECORDS = 100
DEFAULT_PULL_LIMIT = 200
MAX_PULL_LIMIT = 500
MAX_IDEMPOTENCY_KEY_LENGTH = 64

# Error codes a client must recognise (the `code` in ErrorBody).
ERROR_CONFLICT = "conflict"
ERROR_CURSOR_EXPIRED = "cursor_expired"
ERROR_CURSOR_INVALID = "cursor_invalid"
ERROR_PROTOCOL_UNSUPPORTED = "protocol_unsupported"
ERROR_IDEMPOTENCY_REUSED = "idempotency_key_reused"
ERROR_RESTRICTED = "processing_restricted"


def data_size(data: dict[str, Any] | None) -> int:
    """Size in bytes of `data` as sent on the wire (compact UTF-8 JSON)."""
    if data is None:
        return 0
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


class _Wire(BaseModel):
    # Answers ignore unknown fields so an older client still reads a newer server's answers.
    model_config = ConfigDict(extra="ignore", frozen=True)


class _Request(BaseModel):
    # Requests are strict: a typo in a field name is an error, not silently dropped data.
    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorDetail(_Wire):
    code: str
    message: str


class ErrorBody(_Wire):
    """The one error format of the account API."""

    error: ErrorDetail


class Record(_Wire):
    """A record as the server holds it (pull results, push results, conflict server copies)."""

    type: RecordType
    id: UUID
    revision: int = Field(ge=1)
    deleted: bool = False
    data: dict[str, Any] | None = None


class RecordChange(_Request):
    """One change pushed by the client: a new or edited record, or a deletion (tombstone)."""

    type: RecordType
    id: UUID
    base_revision: int = Field(0, ge=0, description="Server revision the change was made from; 0 = new.")
    deleted: bool = False
    data: dict[str, Any] | None = None

    @field_validator("data")
    @classmethod
    def _small_enough(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if data_size(value) > MAX_RECORD_DATA_BYTES:
            raise ValueError(f"data dépasse {MAX_RECORD_DATA_BYTES} octets")
        return value

    @model_validator(mode="after")
    def _data_matches_deleted(self) -> RecordChange:
        if self.deleted and self.data is not None:
            raise ValueError("une suppression ne porte pas de données")
        if not self.deleted and self.data is None:
            raise ValueError("data est obligatoire sauf pour une suppression")
        return self


class PushBatch(_Request):
    idempotency_key: str = Field(
        min_length=8, max_length=MAX_IDEMPOTENCY_KEY_LENGTH, pattern=r"^[A-Za-z0-9_-]+$"
    )
    changes: list[RecordChange] = Field(min_length=1, max_length=MAX_PUSH_RECORDS)

    @model_validator(mode="after")
    def _unique_ids(self) -> PushBatch:
        ids = [c.id for c in self.changes]
        if len(ids) != len(set(ids)):
            raise ValueError("un même enregistrement apparaît deux fois dans le lot")
        return self


class PushResult(_Wire):
    """The accepted batch: every record with its new revision, and the account's latest revision."""

    records: list[Record]
    revision: int = Field(ge=0)


class Conflict(_Wire):
    id: UUID
    type: RecordType
    base_revision: int
    server: Record | None = Field(None, description="The server copy; None if the server never had it.")


class ConflictBody(_Wire):
    """409 body: the error plus the server copy of each conflicting record. Nothing was applied."""

    error: ErrorDetail
    conflicts: list[Conflict]


class PullPage(_Wire):
    records: list[Record]
    next_cursor: str = Field(description="Opaque; pass it back to get the following changes.")
    has_more: bool
    revision: int = Field(ge=0, description="The account's latest revision when the page was read.")
