"""Versions of a DCE: the content fingerprint of each consultation's pieces, and for a consultation
imported as a new version (*modificatif*) of another, the link and the differences found.

Kept in the `kv` table (local only, never synced) under `dce_hash:<uuid>` and `dce_version:<uuid>`:
no schema change. The fingerprint is also computed from the pieces' SHA-256 while they are kept;
it is stored so that it survives the retention rule that removes the files.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from local_store.repo_sync import kv_get, kv_prefix, kv_set
from local_store.store import Connection, Store

HASH_PREFIX = "dce_hash:"
VERSION_PREFIX = "dce_version:"


def fingerprint_of(shas: list[str]) -> str:
    """The DCE's content hash: SHA-256 of its pieces' sorted, distinct SHA-256 (paths do not count)."""
    return hashlib.sha256("\n".join(sorted(set(shas))).encode("ascii")).hexdigest()


def piece_fingerprint(store: Store, consultation_uuid: str) -> str | None:
    rows = (
        store.read()
        .execute(
            "SELECT sha256 FROM pieces WHERE consultation_uuid = ? AND sha256 IS NOT NULL",
            (consultation_uuid,),
        )
        .fetchall()
    )
    return fingerprint_of([str(r[0]) for r in rows]) if rows else None


def stored_fingerprint(store: Store, consultation_uuid: str) -> str | None:
    return kv_get(store.read(), HASH_PREFIX + consultation_uuid)


def save_fingerprint(conn: Connection, consultation_uuid: str, value: str) -> None:
    kv_set(conn, HASH_PREFIX + consultation_uuid, value)


def fingerprint(store: Store, consultation_uuid: str) -> str | None:
    return stored_fingerprint(store, consultation_uuid) or piece_fingerprint(store, consultation_uuid)


def save_version(conn: Connection, consultation_uuid: str, data: dict[str, Any]) -> None:
    kv_set(conn, VERSION_PREFIX + consultation_uuid, json.dumps(data, ensure_ascii=False, sort_keys=True))


def version(store: Store, consultation_uuid: str) -> dict[str, Any] | None:
    raw = kv_get(store.read(), VERSION_PREFIX + consultation_uuid)
    return None if raw is None else dict(json.loads(raw))


def newer_versions(store: Store, consultation_uuid: str) -> list[str]:
    """Consultations recorded as a new version of this one."""
    found = []
    for key, raw in kv_prefix(store.read(), VERSION_PREFIX):
        if json.loads(raw).get("previous") == consultation_uuid:
            found.append(key[len(VERSION_PREFIX) :])
    return found


def forget(conn: Connection, consultation_uuid: str) -> None:
    conn.execute(
        "DELETE FROM kv WHERE key IN (?, ?)",
        (HASH_PREFIX + consultation_uuid, VERSION_PREFIX + consultation_uuid),
    )
