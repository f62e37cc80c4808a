"""Schemathesis over the OpenAPI schema finds no server error (bounded, in process)."""

from __future__ import annotations

import pytest

from server.migrate import upgrade
from tests.server.ci_postgres import in_ci
from tests.server.conftest import create_pg_database, drop_pg_database, postgres_reachable, require_postgres
from tests.server.fuzz import fuzz_app, run


@pytest.mark.timeout(120)
def test_schemathesis_finds_no_server_error(tmp_path: object) -> None:
    # PostgreSQL when available: it is stricter than SQLite (NUL bytes, lengths, types).
    name = None
    if in_ci():
        require_postgres()  # in CI the fuzzing runs on PostgreSQL, never silently on SQLite
    if postgres_reachable():
        name, url = create_pg_database()
    else:
        url = f"sqlite:///{tmp_path}/fuzz.db"
    try:
        upgrade(url)
        app, close = fuzz_app(url)
        try:
            lines: list[str] = []
            failures = run(app, max_examples=6, log=lines.append)
        finally:
            close()
    finally:
        if name:
            from sqlalchemy import Engine

            engine: Engine = app.state.ctx.engine
            engine.dispose()
            drop_pg_database(name)
    assert failures == []
    # The Stripe webhook is in the schema and fuzzed with signed events: some applied, some refused.
    webhook = [line for line in lines if "/v1/billing/webhook [positive]" in line]
    assert webhook and "200x" in webhook[0], lines
