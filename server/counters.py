"""Additive counters (usage metering, usage statistics) as one upsert on PostgreSQL and SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server.models import Account, UsageMonth, UsageStat, utcnow


def add(s: Session, model: type[Any], keys: dict[str, Any], increments: dict[str, int]) -> None:
    dialect = s.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__
    stmt = insert(table).values(**keys, **increments)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + stmt.excluded[name] for name in increments},
    )
    s.execute(stmt)


def count_feature(s: Session, account: Account, feature: str) -> None:
    """One use of a feature, for usage statistics; nothing at all for an account that objected."""
    if account.objected:
        return
    add(
        s,
        UsageStat,
        {"account_id": account.id, "day": utcnow().date().isoformat(), "feature": feature},
        {"count": 1},
    )


def meter_tokens(s: Session, account_id: str, month: str, usage: dict[str, int]) -> None:
    add(
        s,
        UsageMonth,
        {"account_id": account_id, "month": month},
        {
            "requests": 1,
            "input_tokens": usage.get("input_tokens", 0),
            "output_tokens": usage.get("output_tokens", 0),
            "cache_creation_tokens": usage.get("cache_creation_input_tokens", 0),
            "cache_read_tokens": usage.get("cache_read_input_tokens", 0),
        },
    )
