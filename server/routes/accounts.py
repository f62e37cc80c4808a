"""Sign-up, login, refresh, logout, and the list of sessions."""

from __future__ import annotations

import logging
import uuid

from fastapi import APIRouter, Request, Response
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server import throttle
from server.context import (
    ACCESS_PREFIX,
    REFRESH_PREFIX,
    Caller,
    CallerDep,
    client_of,
    ctx_of,
    expiry,
    log_connection,
)
from server.db import rowcount
from server.errors import ApiError, unauthorized
from server.models import Account, AuthSession, Plan, utcnow
from server.routes.common import me_of
from server.schemas import Login, Me, Refresh, SessionOut, SignUp, TokenPair
from server.security import check_password, hash_password, new_token, token_hash

log = logging.getLogger("maitre_ao.server")
router = APIRouter(prefix="/v1", tags=["comptes"])


@router.post("/accounts", status_code=201, response_model=Me, summary="Créer un compte")
def sign_up(body: SignUp, request: Request) -> Me:
    ctx = ctx_of(request)
    client = client_of(request)
    ip_key = throttle.ip_key("signup", client.ip)
    with ctx.tx() as s:
        throttle.check(s, [(ip_key, ctx.settings.signup_max_per_ip)], 3600)
        throttle.record(s, ip_key)
    password_hash = hash_password(body.password, ctx.settings.bcrypt_rounds)
    account = Account(
        id=str(uuid.uuid4()),
        email=body.email,
        password_hash=password_hash,
        first_name=body.first_name,
        last_name=body.last_name,
        plan_code="decouverte",
        subscription_status="none",
        restricted=False,
        objected=False,
        sync_revision=0,
        sync_floor=0,
    )
    try:
        with ctx.tx() as s:
            s.add(account)
            s.flush()
            log_connection(s, account.id, "signup", client)
    except IntegrityError:
        raise ApiError(409, "email_taken", "Un compte existe déjà avec cette adresse e-mail.") from None
    log.info("account created %s", account.id)
    with ctx.tx() as s:
        return me_of(s, account, ctx.settings)


def _issue(session_row: AuthSession, seconds_access: int, seconds_refresh: int) -> TokenPair:
    now = utcnow()
    access = new_token(ACCESS_PREFIX)
    refresh = new_token(REFRESH_PREFIX)
    session_row.access_hash = token_hash(access)
    session_row.refresh_hash = token_hash(refresh)
    session_row.access_expires_at = expiry(seconds_access, now)
    session_row.refresh_expires_at = expiry(seconds_refresh, now)
    session_row.last_used_at = now
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_at=session_row.access_expires_at,
        refresh_expires_at=session_row.refresh_expires_at,
        session_id=session_row.id,
    )


@router.post("/sessions", response_model=TokenPair, summary="Se connecter")
def login(body: Login, request: Request) -> TokenPair:
    ctx = ctx_of(request)
    settings = ctx.settings
    client = client_of(request)
    email = body.email.strip().lower()
    email_key = throttle.email_key(email)
    ip_key = throttle.ip_key("login", client.ip)
    with ctx.tx() as s:
        throttle.check(
            s,
            [(email_key, settings.login_max_per_email), (ip_key, settings.login_max_per_ip)],
            settings.login_window_seconds,
        )
        account = s.execute(select(Account).where(Account.email == email)).scalar_one_or_none()
    ok = check_password(body.password, account.password_hash if account else None, settings.bcrypt_rounds)
    with ctx.tx() as s:
        if not ok or account is None:
            # Committed before answering: the failure must count even though the request fails.
            throttle.record(s, email_key, ip_key)
            log_connection(s, account.id if account else None, "login_failed", client)
            pair = None
        else:
            throttle.clear(s, email_key)
            plan = s.get(Plan, account.plan_code)
            _trim_sessions(s, account.id, (plan.max_sessions if plan else 10) - 1)
            row = AuthSession(
                id=str(uuid.uuid4()), account_id=account.id, device=(body.device or client.user_agent)[:200]
            )
            pair = _issue(row, settings.access_token_seconds, settings.refresh_token_seconds)
            s.add(row)
            s.execute(update(Account).where(Account.id == account.id).values(last_active_at=utcnow()))
            log_connection(s, account.id, "login", client)
    if pair is None:
        raise unauthorized("Adresse e-mail ou mot de passe incorrect.")
    return pair


def _trim_sessions(s: Session, account_id: str, keep: int) -> None:
    """Revoke the oldest active sessions beyond the plan's limit."""
    now = utcnow()
    active = (
        s.execute(
            select(AuthSession.id)
            .where(
                AuthSession.account_id == account_id,
                AuthSession.revoked_at.is_(None),
                AuthSession.refresh_expires_at > now,
            )
            .order_by(AuthSession.last_used_at.desc())
        )
        .scalars()
        .all()
    )
    stale = list(active[max(keep, 0) :])
    if stale:
        s.execute(update(AuthSession).where(AuthSession.id.in_(stale)).values(revoked_at=now))


@router.post("/sessions/refresh", response_model=TokenPair, summary="Renouveler le jeton d'accès")
def refresh(body: Refresh, request: Request) -> TokenPair:
    ctx = ctx_of(request)
    client = client_of(request)
    now = utcnow()
    with ctx.tx() as s:
        row = s.execute(
            select(AuthSession).where(
                AuthSession.refresh_hash == token_hash(body.refresh_token),
                AuthSession.revoked_at.is_(None),
                AuthSession.refresh_expires_at > now,
            )
        ).scalar_one_or_none()
        if row is None:
            pair = None
        else:
            # Rotation: the old access and refresh tokens stop working now.
            pair = _issue(row, ctx.settings.access_token_seconds, ctx.settings.refresh_token_seconds)
            s.execute(update(Account).where(Account.id == row.account_id).values(last_active_at=now))
            log_connection(s, row.account_id, "refresh", client)
    if pair is None:
        raise unauthorized("Jeton de renouvellement invalide ou expiré. Reconnectez-vous.")
    return pair


@router.get("/sessions", response_model=list[SessionOut], summary="Lister mes sessions")
def list_sessions(request: Request, caller: CallerDep) -> list[SessionOut]:
    now = utcnow()
    with ctx_of(request).tx() as s:
        rows = s.execute(
            select(AuthSession)
            .where(
                AuthSession.account_id == caller.account_id,
                AuthSession.revoked_at.is_(None),
                AuthSession.refresh_expires_at > now,
            )
            .order_by(AuthSession.created_at)
        ).scalars()
        return [
            SessionOut(
                id=r.id,
                device=r.device,
                created_at=r.created_at,
                last_used_at=r.last_used_at,
                expires_at=r.refresh_expires_at,
                current=r.id == caller.session_id,
            )
            for r in rows
        ]


def _revoke(request: Request, caller: Caller, session_id: str, event: str) -> None:
    with ctx_of(request).tx() as s:
        done = rowcount(
            s.execute(
                update(AuthSession)
                .where(
                    AuthSession.id == session_id,
                    AuthSession.account_id == caller.account_id,
                    AuthSession.revoked_at.is_(None),
                )
                .values(revoked_at=utcnow())
            )
        )
        if done:
            log_connection(s, caller.account_id, event, client_of(request))
    if not done:
        raise ApiError(404, "not_found", "Session introuvable.")


@router.delete("/sessions/current", status_code=204, summary="Se déconnecter")
def logout(request: Request, caller: CallerDep) -> Response:
    _revoke(request, caller, caller.session_id, "logout")
    return Response(status_code=204)


@router.delete("/sessions/{session_id}", status_code=204, summary="Révoquer une session")
def revoke_session(session_id: uuid.UUID, request: Request, caller: CallerDep) -> Response:
    _revoke(request, caller, str(session_id), "session_revoked")
    return Response(status_code=204)
