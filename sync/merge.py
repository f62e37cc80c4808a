"""Merge rules when a record changed both here (dirty) and on the server since the last sync.

- Small fields (profile parts, consultation metadata, proposals): three-way merge field by field against
  the last server version this device saw (the base). A field changed on one side only takes that
  side's value; a field changed differently on both sides takes the server's value and the local
  record is kept as a conflict copy, so every device converges and nothing is lost.
- Text (library blocks, mémoire sections): never overwritten silently. The row takes the server version
  (every device converges on it) and the local version is kept as a conflict copy for the user.
- Deletions: a local deletion loses against an edit made elsewhere (the edit is kept: nothing lost);
  a local edit of a record deleted elsewhere becomes a conflict copy (the deletion stands everywhere,
  the local text is kept for the user to restore).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sync.policy import MergeKind

_MISSING = object()


@dataclass(frozen=True)
class Outcome:
    data: dict[str, Any]  # what the row holds afterwards (for a tombstone: the last known data)
    deleted: bool
    dirty: bool  # still differs from the server: push it (with the server's revision as base)
    conflict: bool  # keep the local version as a conflict copy


def merge_fields(
    base: dict[str, Any], local: dict[str, Any], server: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Three-way merge of two JSON objects; returns (merged, whether a field conflicted)."""
    merged: dict[str, Any] = {}
    conflicted = False
    for key in dict.fromkeys([*server, *local]):
        b, l_, s = base.get(key, _MISSING), local.get(key, _MISSING), server.get(key, _MISSING)
        if l_ == s:
            value = l_
        elif l_ == b:
            value = s
        elif s == b:
            value = l_
        elif isinstance(b, dict) and isinstance(l_, dict) and isinstance(s, dict):
            value, sub = merge_fields(b, l_, s)
            conflicted = conflicted or sub
        else:
            value, conflicted = s, True
        if value is not _MISSING:
            merged[key] = value
    return merged, conflicted


def resolve(
    kind: MergeKind,
    base: dict[str, Any] | None,
    local: dict[str, Any],
    local_deleted: bool,
    server: dict[str, Any] | None,
    server_deleted: bool,
) -> Outcome:
    """What a dirty local row becomes when the server holds a newer version of it."""
    if server_deleted or server is None:
        # Local edit vs deletion elsewhere: the deletion stands, the local text is kept as a copy.
        return Outcome(local, True, False, conflict=not local_deleted)
    if local_deleted:
        return Outcome(server, False, False, conflict=False)  # the edit made elsewhere wins
    if local == server:
        return Outcome(server, False, False, conflict=False)
    if kind == "text":
        return Outcome(server, False, False, conflict=True)
    merged, conflicted = merge_fields(base or {}, local, server)
    return Outcome(merged, False, merged != server, conflict=conflicted)
