"""Numbered forward migrations: local_store/migrations/NNNN_name.sql, applied in order.

The database's `user_version` is the number of the last migration applied. Each migration runs in
one transaction together with its `user_version` bump, so a crash leaves either the old or the new
schema. There are no down migrations: a store made by a newer version is refused, never altered.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.errors import UserError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{4})_[A-Za-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    number: int
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


class StoreTooNew(UserError):
    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"Ce coffre a été créé par une version plus récente de Maître AO (schéma {found}, "
            f"cette version connaît le schéma {known}). Mettez l'application à jour."
        )


def available(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    found: dict[int, Migration] = {}
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise RuntimeError(f"migration file badly named: {path.name}")
        number = int(match.group(1))
        if number in found:
            raise RuntimeError(f"two migrations numbered {number}: {found[number].path.name}, {path.name}")
        found[number] = Migration(number, path)
    numbers = sorted(found)
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migration numbers must run 1, 2, 3… without gaps: {numbers}")
    return [found[n] for n in numbers]


def latest(folder: Path = MIGRATIONS_DIR) -> int:
    migrations = available(folder)
    return migrations[-1].number if migrations else 0


def user_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Any, *, upto: int | None = None, folder: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply pending migrations (up to `upto`, default all). Returns the numbers applied.

    `conn` must be in autocommit mode (isolation_level=None) with no open transaction.
    """
    migrations = available(folder)
    known = migrations[-1].number if migrations else 0
    current = user_version(conn)
    if current > known:
        raise StoreTooNew(current, known)
    applied: list[int] = []
    for migration in migrations:
        if migration.number <= current or (upto is not None and migration.number > upto):
            continue
        script = f"BEGIN IMMEDIATE;\n{migration.sql}\n;\nPRAGMA user_version = {migration.number};\nCOMMIT;\n"
        try:
            conn.executescript(script)
        except Exception:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            # Another process may have applied it while we waited for the write lock.
            current = user_version(conn)
            if current >= migration.number:
                continue
            log.exception("migration %s failed", migration.path.name)
            raise
        log.info("store migrated to schema %d", migration.number)
        current = migration.number
        applied.append(migration.number)
    return applied
