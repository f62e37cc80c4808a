"""Retention rules of the privacy policy on rows dated in the past, and the `maitre-ao-server` commands."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select, update

from server.config import Settings
from server.context import AppContext
from server.models import Account, BillingRecord, ConnectionLog, SyncRecord, utcnow
from server.retention import purge
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
            update(Account).where(Account.id == gone.id).values(cancelled_at=now - 3 * 365 * DAY - DAY)
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
            update(Account).where(Account.id == idle.id).values(last_active_at=now - 3 * 365 * DAY - DAY)
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
                          cancelled_at=utcnow() - 4 * 365 * DAY))  # fmt: skip
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
