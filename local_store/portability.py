"""The user's right to their data: everything the store holds, as readable JSON (GDPR portability),
and erasure of the store from this machine."""

from __future__ import annotations

import contextlib
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from local_store import keychain
from local_store.store import Store, keymode_path, sidecar_paths

log = logging.getLogger(__name__)

# Full-text indexes are copies of other tables; file contents are listed, not dumped.
_SKIPPED_PREFIXES = ("library_fts", "page_fts", "sqlite_")
_BINARY_TABLES = {"blobs"}


def export_all(store: Store) -> dict[str, Any]:
    """Every table's rows (tombstones excluded), JSON columns decoded, file contents as hash and size."""
    conn = store.read()
    out: dict[str, Any] = {
        "format": "maitre-ao-export",
        "schema": store.user_version,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": {},
    }
    tables = [
        r["name"]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if not r["name"].startswith(_SKIPPED_PREFIXES)
    ]
    for table in tables:
        columns = [r["name"] for r in conn.execute(f"PRAGMA table_info({table})")]
        select = "sha256, size" if table in _BINARY_TABLES else ", ".join(columns)
        where = " WHERE deleted = 0" if "deleted" in columns else ""
        rows = []
        for r in conn.execute(f"SELECT {select} FROM {table}{where}"):
            row = {k: (f"<{len(v)} octets>" if isinstance(v, bytes) else v) for k, v in dict(r).items()}
            for key in ("data", "result", "value", "local_data", "server_data"):
                if isinstance(row.get(key), str):
                    with contextlib.suppress(ValueError):
                        row[key] = json.loads(row[key])
            rows.append(row)
        out["tables"][table] = rows
    return out


def erase_store(path: Path) -> list[Path]:
    """Delete the store's files and its keychain entries (the store must be closed). Returns what went."""
    removed = []
    for p in [*sidecar_paths(path), keymode_path(path)]:
        try:
            p.unlink()
            removed.append(p)
        except FileNotFoundError:
            pass
    name = keychain.store_key_name(path)
    keychain.delete_secret(name)
    keychain.delete_secret(name + "-pending")
    log.info("local store erased (%d files)", len(removed))
    return removed


def count_rows(store: Store, tables: list[str]) -> dict[str, int]:
    """Rows of each table that exists (tombstones excluded), for `store check`."""
    conn = store.read()
    counts: dict[str, int] = {}
    for table in tables:
        columns = {r["name"] for r in conn.execute(f"PRAGMA table_info({table})")}
        if not columns:
            continue
        where = " WHERE deleted = 0" if "deleted" in columns else ""
        counts[table] = int(conn.execute(f"SELECT count(*) FROM {table}{where}").fetchone()[0])
    return counts
