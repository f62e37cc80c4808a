"""Database engine and sessions (PostgreSQL in production, a SQLite file for a local run)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Result, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    # No pre-ping (it costs a round trip per request); connections are recycled, and a connection
    # broken by a database restart is discarded by SQLAlchemy on first error.
    # Every unit of work ends in COMMIT or ROLLBACK (AppContext.tx), so the pool skips its own
    # rollback-on-return round trip.
    return create_engine(url, pool_size=10, max_overflow=10, pool_recycle=1800, pool_reset_on_return=None)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session


def dialect_name(db: Session | Connection) -> str:
    """'postgresql' or 'sqlite', for the statements (upserts) whose syntax differs."""
    return db.dialect.name if isinstance(db, Connection) else db.get_bind().dialect.name


def rowcount(result: Result[Any]) -> int:
    """Rows touched by an UPDATE or DELETE."""
    return int(getattr(result, "rowcount", 0) or 0)
