"""What every request handler needs: settings, the database, and the caller's identity."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, Engine, bindparam, select, update
from sqlalchemy.orm import Session, sessionmaker

from server.config import Settings
from server.db import make_engine, make_sessionmaker
from server.errors import ApiError, unauthorized
from server.middleware import client_ip
from server.models import Account, AuthSession, ConnectionLog, Plan, UTCDateTime, utcnow
from server.security import token_hash

ACCESS_PREFIX = "mao_at_"
REFRESH_PREFIX = "mao_rt_"
LAST_USED_GRANULARITY = timedelta(minutes=5)  # avoids a write on every request
# Erasing the account or changing its login e-mail needs a session opened with the password this recently:
# a stolen token (refreshed or not: refresh keeps the session's creation time) cannot do either.
FRESH_LOGIN = timedelta(minutes=10)


class AppContext:
    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings.database_url)
        self.sessions: sessionmaker[Session] = make_sessionmaker(self.engine)
        # Reads (and single-statement writes) without BEGIN/COMMIT round trips.
        self.autocommit_engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.autocommit: sessionmaker[Session] = make_sessionmaker(self.autocommit_engine)

    @contextmanager
    def tx(self) -> Iterator[Session]:
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """Statements committed one by one: for handlers that read, or write a single row."""
        with self.autocommit() as session:
            yield session


def ctx_of(request: Request) -> AppContext:
    ctx = request.app.state.ctx
    assert isinstance(ctx, AppContext)
    return ctx


@dataclass(frozen=True)
class Client:
    ip: str
    user_agent: str


def client_of(request: Request) -> Client:
    ctx = ctx_of(request)
    peer = request.client.host if request.client else None
    ip = client_ip(request.headers, peer, ctx.settings.trust_proxy_headers)
    return Client(ip=ip, user_agent=request.headers.get("user-agent", "")[:300])


def log_connection(session: Session, account_id: str | None, event: str, client: Client) -> None:
    session.add(ConnectionLog(account_id=account_id, event=event, ip=client.ip, user_agent=client.user_agent))


@dataclass(frozen=True)
class Caller:
    account_id: str
    session_id: str


bearer = HTTPBearer(auto_error=False, description="Jeton d'accès obtenu par POST /v1/sessions.")


def access_hash(authorization: str | None) -> str:
    """The SHA-256 of the bearer token in an Authorization header value (checked against the database
    inside the handler's transaction); 401 when it is missing or cannot be one of ours."""
    scheme, _, token = (authorization or "").partition(" ")
    if not token or scheme.lower() != "bearer":
        raise unauthorized("Authentification requise : jeton d'accès manquant.")
    if not token.startswith(ACCESS_PREFIX) or len(token) > 100:
        raise unauthorized()
    return token_hash(token)


async def bearer_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
    return access_hash(None if credentials is None else f"{credentials.scheme} {credentials.credentials}")


TokenDep = Annotated[str, Depends(bearer_token)]


@dataclass(frozen=True)
class Authed:
    """The caller and the account fields the hot paths (sync, flags checks) need, read with the token."""

    caller: Caller
    restricted: bool
    objected: bool
    sync_enabled: bool
    sync_revision: int
    sync_floor: int


# Built once: constructing a statement costs more than executing its cached compiled form.
_AUTH = (
    select(
        AuthSession.id.label("session_id"),
        AuthSession.last_used_at,
        Account.id.label("account_id"),
        Account.restricted,
        Account.objected,
        Account.sync_revision,
        Account.sync_floor,
        Plan.sync_enabled,
    )
    .join(Account, Account.id == AuthSession.account_id)
    .join(Plan, Plan.code == Account.plan_code)
    .where(
        AuthSession.access_hash == bindparam("access_hash"),
        AuthSession.revoked_at.is_(None),
        AuthSession.access_expires_at > bindparam("now"),
    )
)
_AUTH_LOCKING = _AUTH.with_for_update(of=Account)
_TOUCH = (
    update(AuthSession)
    .where(AuthSession.id == bindparam("session_id"))
    .values(last_used_at=bindparam("now", type_=UTCDateTime()))
)


def authenticate(db: Session | Connection, access_hash: str, *, for_update: bool = False) -> Authed:
    """The live session and its account in one query; `for_update` locks the account row."""
    now = utcnow()
    query = _AUTH_LOCKING if for_update else _AUTH
    row = db.execute(query, {"access_hash": access_hash, "now": now}).first()
    if row is None:
        raise unauthorized()
    if now - row.last_used_at > LAST_USED_GRANULARITY:
        db.execute(_TOUCH, {"session_id": row.session_id, "now": now})
    return Authed(
        caller=Caller(account_id=row.account_id, session_id=row.session_id),
        restricted=row.restricted,
        objected=row.objected,
        sync_enabled=row.sync_enabled,
        sync_revision=row.sync_revision,
        sync_floor=row.sync_floor,
    )


def current_caller(request: Request, access_hash: TokenDep) -> Caller:
    with ctx_of(request).read() as s:
        return authenticate(s, access_hash).caller


CallerDep = Annotated[Caller, Depends(current_caller)]


def load_account(session: Session, caller: Caller, *, for_update: bool = False) -> Account:
    query = select(Account).where(Account.id == caller.account_id)
    if for_update:
        query = query.with_for_update()
    account = session.execute(query).scalar_one_or_none()
    if account is None:  # erased between the token check and now
        raise unauthorized()
    return account


def require_fresh_login(session: Session, caller: Caller, action: str) -> None:
    """Refuse `action` unless the caller's session was opened with the password in the last minutes."""
    created = session.execute(
        select(AuthSession.created_at).where(AuthSession.id == caller.session_id)
    ).scalar()
    if created is None or utcnow() - created > FRESH_LOGIN:
        raise ApiError(
            403,
            "reauthentication_required",
            f"Pour {action}, confirmez votre mot de passe : reconnectez-vous puis recommencez "
            f"dans les {int(FRESH_LOGIN.total_seconds() // 60)} minutes.",
        )


def expiry(seconds: int, now: datetime | None = None) -> datetime:
    return (now or utcnow()) + timedelta(seconds=seconds)
