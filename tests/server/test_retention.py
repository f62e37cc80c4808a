"""Retention rules of the privacy policy on rows dated in the past, and the `maitre-ao-server` commands."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select, update

from server.config import Settings
from server.context import AppContext
from server.models import Account, BillingRecord, ConnectionLog, SyncRecord, utcnow
from server.retention import calendar_cutoff, purge
from tests.server.conftest import (
    Api,
    create_pg_database,
    drop_pg_database,
    require_postgres,
    run_server_cli,
)

DAY = timedelta(days=1)


def test_purge_applies_each_retention_period(api: Api, engine: Engine, settings: Settings) -> None:
    now = utcnow()
    gone, kept = api.signup(), api.signup()
    never_cancelled = api.signup()
    for user in (gone, kept):
        api.post(
            "/v1/sync/push",
            headers=user.sync,
            json={
                "idempotency_key": uuid.uuid4().hex,
                "changes": [{"type": "staff", "id": str(uuid.uuid4()), "data": {"n": 1}}],
            },
        )
    tag = uuid.uuid4().hex[:10]
    with engine.begin() as conn:
        conn.execute(
            update(Account)
            .where(Account.id == gone.id)
            .values(cancelled_at=now - 3 * 365 * DAY - 3 * DAY, last_active_at=now - 4 * 365 * DAY)
        )
        conn.execute(update(Account).where(Account.id == kept.id).values(cancelled_at=now - 2 * 365 * DAY))
        conn.execute(
            update(Account).where(Account.id == never_cancelled.id).values(created_at=now - 6 * 365 * DAY)
        )
        conn.execute(
            insert(ConnectionLog),
            [
                {
                    "account_id": kept.id,
                    "at": now - 13 * 30 * DAY,
                    "event": f"old-{tag}",
                    "ip": "10.0.0.1",
                    "user_agent": "t",
                },
                {
                    "account_id": kept.id,
                    "at": now - 11 * 30 * DAY,
                    "event": f"recent-{tag}",
                    "ip": "10.0.0.1",
                    "user_agent": "t",
                },
            ],
        )
        conn.execute(
            insert(BillingRecord),
            [
                {"account_id": gone.id, "created_at": now - 2 * 365 * DAY, "kind": "invoice", "stripe_object_id": f"in_keep_{tag}", "amount_cents": 4900, "currency": "eur"},
                {"account_id": None, "created_at": now - 10 * 365 * DAY - 3 * DAY, "kind": "invoice", "stripe_object_id": f"in_old_{tag}", "amount_cents": 4900, "currency": "eur"},
                {"account_id": None, "created_at": now - 9 * 365 * DAY, "kind": "invoice", "stripe_object_id": f"in_9y_{tag}", "amount_cents": 4900, "currency": "eur"},
            ],
        )  # fmt: skip
    with AppContext(settings, engine).tx() as s:
        report = purge(s, settings)
    assert report.accounts >= 1 and report.connection_logs >= 1 and report.billing_records >= 1
    with engine.connect() as conn:
        accounts = set(conn.execute(select(Account.id)).scalars())
        events = set(
            conn.execute(select(ConnectionLog.event).where(ConnectionLog.event.like(f"%{tag}"))).scalars()
        )
        bills = {
            r.stripe_object_id: r.account_id
            for r in conn.execute(select(BillingRecord).where(BillingRecord.stripe_object_id.like(f"%{tag}")))
        }
        records = conn.execute(select(func.count()).where(SyncRecord.account_id == gone.id)).scalar_one()
    assert gone.id not in accounts and records == 0
    assert {kept.id, never_cancelled.id} <= accounts  # created long ago but used recently: kept
    assert events == {f"recent-{tag}"}
    # 10 years for billing, kept after the account is purged but detached from the person.
    assert bills == {f"in_keep_{tag}": None, f"in_9y_{tag}": None}
    assert api.get("/v1/me", headers=gone.auth).status_code == 401


def test_account_that_never_subscribed_goes_three_years_after_its_last_use(
    api: Api, engine: Engine, settings: Settings
) -> None:
    now = utcnow()
    idle, recent, paying = api.signup(), api.signup(), api.signup()
    with engine.begin() as conn:
        conn.execute(
            update(Account).where(Account.id == idle.id).values(last_active_at=now - 3 * 365 * DAY - 3 * DAY)
        )
        conn.execute(
            update(Account).where(Account.id == recent.id).values(last_active_at=now - 2 * 365 * DAY)
        )
        conn.execute(
            update(Account)
            .where(Account.id == paying.id)
            .values(last_active_at=now - 4 * 365 * DAY, subscription_status="active")
        )
    with AppContext(settings, engine).tx() as s:
        purge(s, settings)
    with engine.connect() as conn:
        accounts = set(conn.execute(select(Account.id)).scalars())
    assert idle.id not in accounts
    assert {recent.id, paying.id} <= accounts  # a running subscription is never purged
    # Logging in restarts the clock.
    with engine.begin() as conn:
        conn.execute(
            update(Account).where(Account.id == recent.id).values(last_active_at=now - 5 * 365 * DAY)
        )
    assert (
        api.post("/v1/sessions", json={"email": recent.email, "password": recent.password}).status_code == 200
    )
    with AppContext(settings, engine).tx() as s:
        purge(s, settings)
    with engine.connect() as conn:
        assert (
            conn.execute(select(Account.id).where(Account.id == recent.id)).scalar_one_or_none() == recent.id
        )


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_migrate_from_empty_then_purge_from_the_command_line(
    backend: str, tmp_path: Path, repo_root: Path
) -> None:
    name = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'cli.db'}"
    else:
        require_postgres()
        name, url = create_pg_database()
    try:
        env = {**os.environ, "DATABASE_URL": url.replace("postgresql+psycopg://", "postgres://")}
        migrated = run_server_cli(["migrate"], env, repo_root)
        assert migrated.returncode == 0, migrated.stderr
        assert "Base de données à jour" in migrated.stdout
        settings = Settings(database_url=url)
        ctx = AppContext(settings)
        with ctx.tx() as s:
            s.add(Account(id=str(uuid.uuid4()), email="old@exemple.fr", password_hash="x", first_name="A", last_name="B",
                          cancelled_at=utcnow() - 4 * 365 * DAY, last_active_at=utcnow() - 4 * 365 * DAY))  # fmt: skip
            s.add(
                ConnectionLog(
                    account_id=None, at=utcnow() - 400 * DAY, event="login", ip="10.1.1.1", user_agent="t"
                )
            )
        purged = run_server_cli(["purge"], env, repo_root)
        assert purged.returncode == 0, purged.stderr
        assert "accounts: 1" in purged.stdout and "connection_logs: 1" in purged.stdout
        with ctx.tx() as s:
            assert s.execute(select(func.count()).select_from(Account)).scalar_one() == 0
        ctx.engine.dispose()
        # Migrations go down to empty and up again.
        from server.migrate import downgrade, upgrade

        downgrade(url)
        upgrade(url)
    finally:
        if name:
            drop_pg_database(name)


def test_production_refuses_to_serve_outside_france(repo_root: Path) -> None:
    env = {**os.environ, "MAITRE_AO_ENV": "production", "MAITRE_AO_HOSTING_REGION": "us-east-1"}
    refused = run_server_cli(["serve", "--port", "1"], env, repo_root)
    assert refused.returncode == 1
    assert "hébergement en France" in refused.stderr


def test_migrations_match_the_models(database_url: str, engine: Engine) -> None:
    """The migrated schema is exactly what the models describe (no forgotten migration)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from server.models import Base

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_calendar_cutoffs_count_years_and_months_not_days() -> None:
    assert calendar_cutoff(_at("2036-12-07T05:00:00"), years=10) == _at("2026-12-07T00:00:00")
    # Feb 29 has no anniversary in a common year: the period ends on Feb 28, the purge comes Mar 1.
    assert calendar_cutoff(_at("2032-02-29T12:00:00"), years=3) == _at("2029-03-01T00:00:00")
    assert calendar_cutoff(_at("2027-03-31T08:00:00"), months=1) == _at("2027-03-01T00:00:00")
    assert calendar_cutoff(_at("2027-12-07T08:00:00"), months=12) == _at("2026-12-07T00:00:00")


def _account(conn: Any, **values: Any) -> str:
    account_id = str(uuid.uuid4())
    conn.execute(
        insert(Account).values(
            id=account_id, email=f"r-{account_id[:12]}@exemple.fr", password_hash="x", first_name="A",
            last_name="B", plan_code="decouverte", subscription_status="none", restricted=False,
            objected=False, sync_revision=0, sync_floor=0, created_at=_at("2015-01-01T00:00:00"),
            updated_at=_at("2015-01-01T00:00:00"), last_active_at=_at("2015-01-01T00:00:00"),
        ).values(**values)
    )  # fmt: skip
    return account_id


def _purge_at(settings: Settings, engine: Engine, now: datetime) -> set[str]:
    with AppContext(settings, engine).tx() as s:
        purge(s, settings, now=now)
    with engine.connect() as conn:
        return set(conn.execute(select(Account.id)).scalars())


def test_account_retention_is_exact_to_the_calendar_from_the_right_event(
    api: Api, engine: Engine, settings: Settings
) -> None:
    now = _at("2031-03-01T06:00:00")
    with engine.begin() as conn:
        cases = {
            # cancelled 3 years minus 12 hours ago: kept
            "cancelled_3y_minus_12h": _account(conn, cancelled_at=_at("2028-03-01T18:00:00"), subscription_status="canceled"),
            # cancelled on Feb 29, 2028: the 3 years end on Feb 28, 2031 → purged on Mar 1
            "cancelled_feb29": _account(conn, cancelled_at=_at("2028-02-29T09:00:00"), subscription_status="canceled",
                                        last_active_at=_at("2028-01-01T00:00:00")),
            # a free account cancelled 4 years ago that logged in yesterday: kept (later of the two)
            "cancelled_4y_used_yesterday": _account(conn, cancelled_at=_at("2027-01-10T00:00:00"), subscription_status="canceled",
                                                    last_active_at=_at("2031-02-28T10:00:00")),
            "cancelled_4y_idle": _account(conn, cancelled_at=_at("2027-01-10T00:00:00"), subscription_status="canceled",
                                          last_active_at=_at("2027-01-10T00:00:00")),
            "free_used_2y": _account(conn, last_active_at=_at("2029-03-01T00:00:00")),
            "free_idle_3y_1d": _account(conn, last_active_at=_at("2028-02-28T23:00:00")),
            "active_idle_5y": _account(conn, subscription_status="active", last_active_at=_at("2026-01-01T00:00:00")),
            "trialing_idle_5y": _account(conn, subscription_status="trialing", last_active_at=_at("2026-01-01T00:00:00")),
            "restricted_idle_5y": _account(conn, restricted=True, restricted_at=_at("2026-06-01T00:00:00"),
                                           cancelled_at=_at("2026-01-01T00:00:00"), subscription_status="canceled",
                                           last_active_at=_at("2026-01-01T00:00:00")),
        }  # fmt: skip
        # Every other Stripe status: no running subscription, so the 3 years run from the later event.
        for status in ("paused", "incomplete", "incomplete_expired", "past_due", "unpaid"):
            cases[f"{status}_idle"] = _account(
                conn, subscription_status=status, last_active_at=_at("2027-06-01T00:00:00")
            )
            cases[f"{status}_recent"] = _account(
                conn, subscription_status=status, last_active_at=_at("2030-06-01T00:00:00")
            )
    kept = _purge_at(settings, engine, now)
    expected_kept = {
        "cancelled_3y_minus_12h", "cancelled_4y_used_yesterday", "free_used_2y", "active_idle_5y",
        "trialing_idle_5y", "restricted_idle_5y", *(f"{s}_recent" for s in ("paused", "incomplete", "incomplete_expired", "past_due", "unpaid")),
    }  # fmt: skip
    assert {name for name, account_id in cases.items() if account_id in kept} == expected_kept
    # The day before, the Feb 29 cancellation was still within its 3 years.
    with engine.begin() as conn:
        feb29 = _account(conn, cancelled_at=_at("2028-02-29T09:00:00"), subscription_status="canceled",
                         last_active_at=_at("2028-01-01T00:00:00"))  # fmt: skip
    assert feb29 in _purge_at(settings, engine, _at("2031-02-28T23:59:00"))
    assert feb29 not in _purge_at(settings, engine, now)
    # Restriction lifted: the account goes at the next purge.
    with engine.begin() as conn:
        conn.execute(
            update(Account).where(Account.id == cases["restricted_idle_5y"]).values(restricted=False)
        )
    assert cases["restricted_idle_5y"] not in _purge_at(settings, engine, now)


def test_billing_and_connection_logs_are_kept_to_the_calendar_day(engine: Engine, settings: Settings) -> None:
    now = _at("2036-12-07T06:00:00")
    tag = uuid.uuid4().hex[:10]
    bills = {
        "10y_minus_2d": _at("2026-12-09T12:00:00"),
        "10y_to_the_day": _at("2026-12-07T01:00:00"),
        "10y_plus_1d": _at("2026-12-06T23:00:00"),
        "feb29_in_2028": _at("2028-02-29T12:00:00"),
    }
    logs = {"12m_minus_1d": _at("2035-12-08T10:00:00"), "12m_plus_1d": _at("2035-12-06T10:00:00")}
    with engine.begin() as conn:
        for name, at in bills.items():
            conn.execute(insert(BillingRecord).values(account_id=None, created_at=at, kind="invoice",
                                                      stripe_object_id=f"{name}-{tag}", amount_cents=1, currency="eur"))  # fmt: skip
        for name, at in logs.items():
            conn.execute(insert(ConnectionLog).values(account_id=None, at=at, event=f"{name}-{tag}", ip="10.0.0.1", user_agent="t"))  # fmt: skip
    with AppContext(settings, engine).tx() as s:
        purge(s, settings, now=now)
    with engine.connect() as conn:
        kept_bills = set(
            conn.execute(
                select(BillingRecord.stripe_object_id).where(BillingRecord.stripe_object_id.like(f"%{tag}"))
            ).scalars()
        )
        kept_logs = set(
            conn.execute(select(ConnectionLog.event).where(ConnectionLog.event.like(f"%{tag}"))).scalars()
        )
    assert kept_bills == {f"10y_minus_2d-{tag}", f"10y_to_the_day-{tag}", f"feb29_in_2028-{tag}"}
    assert kept_logs == {f"12m_minus_1d-{tag}"}
    # 2038-02-28: the Feb 29, 2028 invoice is still within its 10 years; on Mar 1 it goes.
    with AppContext(settings, engine).tx() as s:
        purge(s, settings, now=_at("2038-02-28T20:00:00"))
    with engine.connect() as conn:
        assert conn.execute(
            select(BillingRecord.id).where(BillingRecord.stripe_object_id == f"feb29_in_2028-{tag}")
        ).first()
    with AppContext(settings, engine).tx() as s:
        purge(s, settings, now=_at("2038-03-01T00:30:00"))
    with engine.connect() as conn:
        assert not conn.execute(
            select(BillingRecord.id).where(BillingRecord.stripe_object_id == f"feb29_in_2028-{tag}")
        ).first()


def test_export_tells_how_long_the_account_is_kept_and_that_restriction_holds_it(api: Api) -> None:
    user = api.signup()
    retention = api.get("/v1/me/export", headers=user.auth).json()["retention"]
    assert retention["account"]["from_event"] == "last_login_or_cancellation"
    assert retention["account"]["purge_not_before"]
    assert "3 ans" in retention["account"]["rule"]
    api.put("/v1/me/restriction", headers=user.auth, json={"active": True})
    retention = api.get("/v1/me/export", headers=user.auth).json()["retention"]
    assert retention["account"]["purge_not_before"] is None
    assert "limitation" in retention["account"]["rule"]
