"""Usage metering (additive token counters) and usage statistics, as single upserts on PostgreSQL and SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server.db import dialect_name
from server.models import UsageMonth, UsageStat, utcnow


def add(s: Session, model: type[Any], keys: dict[str, Any], increments: dict[str, int]) -> None:
    insert = postgresql.insert if dialect_name(s) == "postgresql" else sqlite.insert
    table = model.__table__
    stmt = insert(table).values(**keys, **increments)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + stmt.excluded[name] for name in increments},
    )
    s.execute(stmt)


# (account, day, feature) already recorded by this process: most requests then cost no statement.
_RECORDED: set[tuple[str, str, str]] = set()


def count_feature(s: Session | Connection, account_id: str, objected: bool, feature: str) -> None:
    """Note that the account used a feature today (usage statistics); nothing if it objected."""
    if objected:
        return
    key = (account_id, utcnow().date().isoformat(), feature)
    if key in _RECORDED:
        return
    insert = postgresql.insert if dialect_name(s) == "postgresql" else sqlite.insert
    s.execute(
        insert(UsageStat)
        .values(account_id=key[0], day=key[1], feature=key[2])
        .on_conflict_do_nothing(index_elements=["account_id", "day", "feature"])
    )
    if len(_RECORDED) > 100_000:
        _RECORDED.clear()
    _RECORDED.add(key)


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


def lock_usage_month(s: Session, account_id: str, month: str) -> UsageMonth:
    """The account's row for the month, created if needed and locked until the end of the transaction
    (PostgreSQL: the upsert's row lock; SQLite: the write lock it takes serialises writers)."""
    insert = postgresql.insert if dialect_name(s) == "postgresql" else sqlite.insert
    stmt = insert(UsageMonth).values(
        account_id=account_id,
        month=month,
        requests=0,
        input_tokens=0,
        output_tokens=0,
        cache_creation_tokens=0,
        cache_read_tokens=0,
        reserved_tokens=0,
    )
    locking = stmt.on_conflict_do_update(
        index_elements=["account_id", "month"], set_={"month": stmt.excluded.month}
    ).returning(UsageMonth)
    row = s.execute(
        select(UsageMonth).from_statement(locking).execution_options(populate_existing=True)
    ).scalar_one()
    return row


def reserve_tokens(s: Session, account_id: str, month: str, tokens: int) -> None:
    """Add (or, negative, release) tokens reserved by calls in flight; never below zero."""
    s.execute(
        update(UsageMonth)
        .where(UsageMonth.account_id == account_id, UsageMonth.month == month)
        .values(
            reserved_tokens=func.max(UsageMonth.reserved_tokens + tokens, 0)
            if dialect_name(s) == "sqlite"
            else func.greatest(UsageMonth.reserved_tokens + tokens, 0)
        )
    )
