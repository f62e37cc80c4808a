"""Sign-up, login, refresh, logout, and the list of sessions."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from fastapi import APIRouter, Request, Response
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server import mail, throttle
from server.config import Settings
from server.context import (
    ACCESS_PREFIX,
    REFRESH_PREFIX,
    Caller,
    CallerDep,
    Client,
    client_of,
    ctx_of,
    expiry,
    log_connection,
)
from server.db import rowcount
from server.errors import ApiError, unauthorized
from server.middleware import BoundedRoute
from server.models import Account, AuthSession, LoginUnlock, Plan, UsedRefreshToken, utcnow
from server.routes.common import me_of, plan_out
from server.schemas import (
    Login,
    Me,
    PolicyStatus,
    Refresh,
    SessionOut,
    SignUp,
    TokenPair,
    normalize_email,
)
from server.security import check_password, hash_password, new_token, token_hash

log = logging.getLogger("maitre_ao.server")
router = APIRouter(prefix="/v1", tags=["comptes"], route_class=BoundedRoute)
FREE_PLAN = "decouverte"
SIGNUP_DELAYS = throttle.Delays(window_seconds=3600, base_seconds=3600, max_seconds=24 * 3600)
UNLOCK_PREFIX = "mao_ul_"
UNLOCK_VALIDITY = timedelta(hours=1)
MAIL_EVERY = timedelta(hours=1)  # at most one e-mail of a kind per account and hour
# A rotated-away refresh token presented again within this time is refused without ending the session:
# the same client retrying a refresh whose answer it lost, or two of its threads refreshing at once.
# Later, it can only be a copy: the session (token family) is revoked.
REUSE_GRACE = timedelta(seconds=30)


def _signup_existing(s: Session, body: SignUp, settings: Settings) -> Me:
    """The address already has an account: its owner is told by e-mail, and the caller gets the same
    answer as a real sign-up (no account enumeration)."""
    owner = s.execute(select(Account).where(Account.email == body.email)).scalar_one_or_none()
    if owner is not None and not mail.sent_recently(s, owner.id, "signup_existing", MAIL_EVERY):
        mail.queue(
            s,
            account_id=owner.id,
            to=owner.email,
            kind="signup_existing",
            subject="Maître AO : tentative de création de compte avec votre adresse",
            body=(
                f"Bonjour {owner.first_name},\n\nQuelqu'un a demandé à créer un compte Maître AO avec votre "
                "adresse e-mail, qui a déjà un compte. Aucun compte n'a été créé. Si c'était vous, "
                "connectez-vous avec votre mot de passe habituel. Sinon, vous pouvez ignorer ce message."
            ),
        )
    plan = s.get(Plan, FREE_PLAN)
    assert plan is not None
    return Me(
        id=str(uuid.uuid4()),
        email=body.email,
        first_name=body.first_name,
        last_name=body.last_name,
        created_at=utcnow(),
        plan=plan_out(plan),
        subscription_status="none",
        restricted=False,
        objected=False,
        policy=PolicyStatus(
            current_version=settings.privacy_policy_version,
            acknowledged_version=None,
            acknowledged_at=None,
            up_to_date=False,
        ),
    )


@router.post("/accounts", status_code=201, response_model=Me, summary="Créer un compte")
def sign_up(body: SignUp, request: Request) -> Me:
    ctx = ctx_of(request)
    client = client_of(request)
    with ctx.tx() as s:
        throttle.reserve(
            s,
            [throttle.Limit(throttle.ip_key("signup", client.ip), ctx.settings.signup_max_per_ip)],
            SIGNUP_DELAYS,
        )
    password_hash = hash_password(body.password, ctx.settings.bcrypt_rounds)
    account = Account(
        id=str(uuid.uuid4()),
        email=body.email,
        password_hash=password_hash,
        first_name=body.first_name,
        last_name=body.last_name,
        plan_code=FREE_PLAN,
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
        with ctx.tx() as s:
            log_connection(s, None, "signup_existing", client)
            return _signup_existing(s, body, ctx.settings)
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


def _proof_key(s: Session, account: Account | None, body: Login) -> tuple[str, str | None]:
    """A throttle key of its own for a known device or an unlock link of this account; '' otherwise.
    Also returns the unlock token's hash, to spend it on success."""
    if account is None:
        return "", None
    now = utcnow()
    if body.refresh_token:
        known = s.execute(
            select(AuthSession.id).where(
                AuthSession.refresh_hash == token_hash(body.refresh_token),
                AuthSession.account_id == account.id,
                AuthSession.revoked_at.is_(None),
                AuthSession.refresh_expires_at > now,
            )
        ).scalar_one_or_none()
        if known is not None:
            return throttle.proof_key("device", token_hash(known)), None
    if body.unlock_token:
        unlock_hash = token_hash(body.unlock_token)
        unlock = s.get(LoginUnlock, unlock_hash)
        if unlock is not None and unlock.account_id == account.id and unlock.expires_at > now:
            return throttle.proof_key("unlock", unlock_hash), unlock_hash
    return "", None


def _send_unlock(s: Session, account: Account, settings: Settings) -> None:
    """The address is held back from everywhere: e-mail its owner a one-time link that lets them in."""
    if mail.sent_recently(s, account.id, "login_unlock", MAIL_EVERY):
        return
    token = new_token(UNLOCK_PREFIX)
    s.add(
        LoginUnlock(
            token_hash=token_hash(token), account_id=account.id, expires_at=utcnow() + UNLOCK_VALIDITY
        )
    )
    mail.queue(
        s,
        account_id=account.id,
        to=account.email,
        kind="login_unlock",
        subject="Maître AO : connexions bloquées sur votre compte",
        body=(
            f"Bonjour {account.first_name},\n\nDe nombreux essais de mot de passe ont été faits sur votre "
            "compte Maître AO ; les connexions sont ralenties pour le protéger. Pour vous connecter quand "
            "même, ouvrez ce lien pour déverrouiller votre accès (valable une heure, une seule fois) :\n\n"
            f"{settings.unlock_url}#{token}\n\n"
            "Si ces essais ne viennent pas de vous, votre mot de passe n'a pas été trouvé ; choisissez-en "
            "un long et unique."
        ),
    )
    log.info("login unlock link queued")


@router.post("/sessions", response_model=TokenPair, summary="Se connecter")
def login(body: Login, request: Request) -> TokenPair:
    ctx = ctx_of(request)
    settings = ctx.settings
    client = client_of(request)
    email = normalize_email(body.email)
    email_key = throttle.email_key(email)
    email_ip_key = throttle.email_ip_key(email, client.ip)
    ip_key = throttle.ip_key("login", client.ip)
    delays = throttle.Delays(
        settings.login_window_seconds, settings.login_block_seconds, settings.login_max_block_seconds
    )
    with ctx.tx() as s:
        account = s.execute(select(Account).where(Account.email == email)).scalar_one_or_none()
        proof, unlock_hash = _proof_key(s, account, body)
        if proof:
            limits = [throttle.Limit(proof, settings.login_max_per_email)]
        else:
            limits = [
                throttle.Limit(email_ip_key, settings.login_max_per_email),
                throttle.Limit(ip_key, settings.login_max_per_ip),
                throttle.Limit(email_key, settings.login_max_per_email_global),
            ]
        # Counted before the password is checked, under the keys' row locks: parallel guesses queue here.
        newly_blocked = throttle.reserve(s, limits, delays)
        if account is not None and email_key in newly_blocked:
            _send_unlock(s, account, settings)
    ok = check_password(body.password, account.password_hash if account else None, settings.bcrypt_rounds)
    with ctx.tx() as s:
        if not ok or account is None:
            log_connection(s, account.id if account else None, "login_failed", client)
            pair = None
        else:
            # The owner got in: this address and this proof start afresh. The e-mail's own counter is
            # left as it is: an attack on the address may still be going on.
            throttle.clear(s, email_ip_key, *([proof] if proof else []))
            throttle.refund(s, ip_key)
            if unlock_hash:
                s.execute(delete(LoginUnlock).where(LoginUnlock.token_hash == unlock_hash))
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


def _refresh(s: Session, refresh_hash: str, client: Client, settings: Settings) -> TokenPair | None:
    now = utcnow()
    row = s.execute(
        select(AuthSession)
        .where(
            AuthSession.refresh_hash == refresh_hash,
            AuthSession.revoked_at.is_(None),
            AuthSession.refresh_expires_at > now,
        )
        .with_for_update()
    ).scalar_one_or_none()
    if row is None:
        used = s.get(UsedRefreshToken, refresh_hash)
        if used is not None and now - used.used_at > REUSE_GRACE:
            # A token already rotated away came back: someone holds a copy. End the whole family.
            revoked = s.execute(
                update(AuthSession)
                .where(AuthSession.id == used.session_id, AuthSession.revoked_at.is_(None))
                .values(revoked_at=now)
                .returning(AuthSession.account_id)
            ).scalar_one_or_none()
            if revoked is not None:
                log_connection(s, revoked, "refresh_reuse_revoked", client)
                log.warning("refresh token reused after rotation: session revoked")
        return None
    # Rotation: the old access and refresh tokens stop working now; the old refresh token is remembered.
    s.add(UsedRefreshToken(token_hash=refresh_hash, session_id=row.id))
    pair = _issue(row, settings.access_token_seconds, settings.refresh_token_seconds)
    s.execute(update(Account).where(Account.id == row.account_id).values(last_active_at=now))
    log_connection(s, row.account_id, "refresh", client)
    return pair


@router.post("/sessions/refresh", response_model=TokenPair, summary="Renouveler le jeton d'accès")
def refresh(body: Refresh, request: Request) -> TokenPair:
    ctx = ctx_of(request)
    client = client_of(request)
    try:
        with ctx.tx() as s:
            pair = _refresh(s, token_hash(body.refresh_token), client, ctx.settings)
    except IntegrityError:  # the same token presented twice at once: the second one is a reuse
        pair = None
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
