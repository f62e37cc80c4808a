"""The company profile in the store: identity in `company_profile`, each list item in its own table.

| profile part              | table               |
| ------------------------- | ------------------- |
| identity, CA, assurances… | company_profile     |
| certifications            | certifications      |
| references                | company_references  |
| moyens_humains            | staff               |
| moyens_materiels          | equipment           |
| documents_administratifs  | admin_documents     |

Saving compares with what is stored: only rows that really changed get `dirty = 1` and a new
`updated_at` (in the same transaction — sync pushes exactly those); items no longer in the profile
become tombstones (`deleted = 1`, dirty). Items without a uuid (an imported JSON file) are matched
to stored rows by a natural key, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import json
import uuid as uuid_mod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from app.domain.profile import (
    AdminDocument,
    Certification,
    CompanyProfile,
    Equipment,
    Reference,
    StaffMember,
)
from local_store.clock import utc_now_iso as _now
from local_store.store import Connection, Store


@dataclass(frozen=True)
class _Part:
    field: str  # CompanyProfile attribute
    table: str
    model: type[BaseModel]
    natural_key: Callable[[dict[str, Any]], tuple[Any, ...]]
    extra_column: str | None = None  # a date copied out of the JSON for expiry queries
    extra_field: str | None = None


def _norm(value: Any) -> Any:
    return value.strip().casefold() if isinstance(value, str) else value


PARTS: tuple[_Part, ...] = (
    _Part(
        "certifications",
        "certifications",
        Certification,
        lambda d: (_norm(d.get("name")), _norm(d.get("number"))),
        "valid_to",
        "valid_to",
    ),
    _Part(
        "references",
        "company_references",
        Reference,
        lambda d: (_norm(d.get("client")), _norm(d.get("object")), d.get("year")),
    ),
    _Part("moyens_humains", "staff", StaffMember, lambda d: (_norm(d.get("role")), _norm(d.get("name")))),
    _Part("moyens_materiels", "equipment", Equipment, lambda d: (_norm(d.get("designation")),)),
    _Part(
        "documents_administratifs",
        "admin_documents",
        AdminDocument,
        lambda d: (d.get("kind"), _norm(d.get("label"))),
        "expires_on",
        "expires_on",
    ),
)
_LIST_FIELDS = {p.field for p in PARTS}


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class SaveResult:
    profile: CompanyProfile  # with the uuids given to new items
    changed: int  # rows inserted, updated or tombstoned


def save_profile(store: Store, profile: CompanyProfile) -> SaveResult:
    """Store `profile` (one transaction). Unchanged rows are left alone (not marked dirty)."""
    with store.transaction() as conn:
        return save_profile_in(conn, profile)


def save_profile_in(conn: Connection, profile: CompanyProfile) -> SaveResult:
    """Same as save_profile, inside the caller's transaction."""
    now = _now()
    changed = 0
    identity = profile.model_dump(mode="json", exclude=_LIST_FIELDS)
    row = conn.execute(
        "SELECT uuid, data, deleted FROM company_profile ORDER BY deleted, updated_at DESC LIMIT 1"
    ).fetchone()
    if row is None:
        conn.execute(
            "INSERT INTO company_profile(uuid, data, updated_at) VALUES (?, ?, ?)",
            (str(uuid_mod.uuid4()), _dumps(identity), now),
        )
        changed += 1
    elif json.loads(row["data"]) != identity or row["deleted"]:
        conn.execute(
            "UPDATE company_profile SET data = ?, updated_at = ?, dirty = 1, deleted = 0 WHERE uuid = ?",
            (_dumps(identity), now, row["uuid"]),
        )
        changed += 1

    saved: dict[str, list[BaseModel]] = {}
    for part in PARTS:
        items: Sequence[BaseModel] = getattr(profile, part.field)
        n, saved_items = _save_part(conn, part, items, now)
        changed += n
        saved[part.field] = saved_items
    return SaveResult(profile.model_copy(update=saved), changed)


def _save_part(
    conn: Connection, part: _Part, items: Sequence[BaseModel], now: str
) -> tuple[int, list[BaseModel]]:
    extra = f", {part.extra_column}" if part.extra_column else ""
    stored = {
        r["uuid"]: r
        for r in conn.execute(f"SELECT uuid, data, position, deleted{extra} FROM {part.table}").fetchall()
    }
    by_natural: dict[tuple[Any, ...], str] = {}
    for uid, r in stored.items():
        if not r["deleted"]:
            by_natural.setdefault(part.natural_key(json.loads(r["data"])), uid)

    changed = 0
    kept: set[str] = set()
    out: list[BaseModel] = []
    for position, item in enumerate(items):
        data = item.model_dump(mode="json", exclude={"uuid"})
        uid = getattr(item, "uuid", None)
        if not uid:
            match = by_natural.get(part.natural_key(data))
            uid = match if match and match not in kept else str(uuid_mod.uuid4())
        kept.add(uid)
        extra_value = data.get(part.extra_field) if part.extra_field else None
        current = stored.get(uid)
        if current is None:
            columns = "uuid, data, position, updated_at" + extra
            marks = "?, ?, ?, ?" + (", ?" if part.extra_column else "")
            values: tuple[Any, ...] = (uid, _dumps(data), position, now)
            if part.extra_column:
                values += (extra_value,)
            conn.execute(f"INSERT INTO {part.table}({columns}) VALUES ({marks})", values)
            changed += 1
        elif json.loads(current["data"]) != data or current["position"] != position or current["deleted"]:
            sets = "data = ?, position = ?, updated_at = ?, dirty = 1, deleted = 0"
            values = (_dumps(data), position, now)
            if part.extra_column:
                sets += f", {part.extra_column} = ?"
                values += (extra_value,)
            conn.execute(f"UPDATE {part.table} SET {sets} WHERE uuid = ?", (*values, uid))
            changed += 1
        out.append(item.model_copy(update={"uuid": uid}))

    for uid, r in stored.items():
        if uid not in kept and not r["deleted"]:
            conn.execute(
                f"UPDATE {part.table} SET deleted = 1, dirty = 1, updated_at = ? WHERE uuid = ?", (now, uid)
            )
            changed += 1
    return changed, out


def load_profile(store: Store) -> CompanyProfile | None:
    """The stored profile, or None when none was saved yet."""
    return load_profile_from(store.read())


def load_profile_from(conn: Connection) -> CompanyProfile | None:
    row = conn.execute(
        "SELECT data FROM company_profile WHERE deleted = 0 ORDER BY updated_at DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    data: dict[str, Any] = json.loads(row["data"])
    for part in PARTS:
        rows = conn.execute(
            f"SELECT uuid, data FROM {part.table} WHERE deleted = 0 ORDER BY position, rowid"
        ).fetchall()
        data[part.field] = [{**json.loads(r["data"]), "uuid": r["uuid"]} for r in rows]
    return CompanyProfile.model_validate(data)
