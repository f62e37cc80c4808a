"""The Claude usage ledger (table ai_usage): one row per call, per consultation, with its cost in €.

The cost is computed by the caller (app.analysis.claude.usage.cost_eur, price table in the
settings) and stored as it was at the time of the call: a later price change does not rewrite
history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from local_store.store import Store


@dataclass(frozen=True, slots=True)
class UsageRow:
    consultation_uuid: str | None
    at: str
    purpose: str
    model: str
    input_tokens: int
    output_tokens: int
    cache_write_tokens: int
    cache_read_tokens: int
    cost_eur: float


@dataclass(frozen=True, slots=True)
class UsageTotals:
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    cost_eur: float = 0.0


def record(
    store: Store,
    *,
    consultation_uuid: str | None,
    purpose: str,
    model: str,
    input_tokens: int,
    output_tokens: int,
    cache_write_tokens: int,
    cache_read_tokens: int,
    cost_eur: float,
    at: datetime | None = None,
) -> None:
    when = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO ai_usage (consultation_uuid, at, purpose, model, input_tokens, output_tokens,"
            " cache_write_tokens, cache_read_tokens, cost_eur) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                consultation_uuid,
                when,
                purpose,
                model,
                input_tokens,
                output_tokens,
                cache_write_tokens,
                cache_read_tokens,
                cost_eur,
            ),
        )


def rows(store: Store, consultation_uuid: str | None = None) -> list[UsageRow]:
    sql = (
        "SELECT consultation_uuid, at, purpose, model, input_tokens, output_tokens,"
        " cache_write_tokens, cache_read_tokens, cost_eur FROM ai_usage"
    )
    args: tuple[str, ...] = ()
    if consultation_uuid is not None:
        sql += " WHERE consultation_uuid = ?"
        args = (consultation_uuid,)
    sql += " ORDER BY at, id"
    return [
        UsageRow(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), int(r[6]), int(r[7]), float(r[8]))
        for r in store.read().execute(sql, args)
    ]


def totals(
    store: Store, *, consultation_uuid: str | None = None, since: datetime | None = None
) -> UsageTotals:
    """Sums over one consultation, or over everything since a date (e.g. the start of the month)."""
    clauses: list[str] = []
    args: list[str] = []
    if consultation_uuid is not None:
        clauses.append("consultation_uuid = ?")
        args.append(consultation_uuid)
    if since is not None:
        clauses.append("at >= ?")
        args.append(since.astimezone(UTC).isoformat(timespec="seconds"))
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    r = (
        store.read()
        .execute(
            "SELECT count(*), coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),"
            " coalesce(sum(cache_write_tokens), 0), coalesce(sum(cache_read_tokens), 0),"
            " coalesce(sum(cost_eur), 0) FROM ai_usage" + where,
            tuple(args),
        )
        .fetchone()
    )
    return UsageTotals(int(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]), round(float(r[5]), 6))


def by_consultation(store: Store) -> list[tuple[str | None, UsageTotals]]:
    out: list[tuple[str | None, UsageTotals]] = []
    for r in store.read().execute(
        "SELECT consultation_uuid, count(*), sum(input_tokens), sum(output_tokens),"
        " sum(cache_write_tokens), sum(cache_read_tokens), sum(cost_eur) FROM ai_usage"
        " GROUP BY consultation_uuid ORDER BY max(at) DESC"
    ):
        out.append(
            (
                r[0],
                UsageTotals(int(r[1]), int(r[2]), int(r[3]), int(r[4]), int(r[5]), round(float(r[6]), 6)),
            )
        )
    return out
