"""The account and the privacy rights: access, rectification, export, erasure, restriction, objection."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server import mail, stripe_gateway
from server.config import Settings
from server.context import CallerDep, client_of, ctx_of, load_account, log_connection, require_fresh_login
from server.errors import ApiError
from server.middleware import BoundedRoute
from server.models import (
    Account,
    AuthSession,
    BillingRecord,
    ConnectionLog,
    EmailChange,
    LoginUnlock,
    OutboxEmail,
    PushReceipt,
    SyncRecord,
    UsageMonth,
    UsageStat,
    utcnow,
)
from server.periods import LIVE_STATUSES, account_purge_not_before
from server.routes.billing import ACTIVE_STATUSES
from server.routes.common import me_of, month_of, plan_of
from server.schemas import (
    AccountPatch,
    EmailConfirmation,
    Export,
    Flag,
    Me,
    PasswordChange,
    PolicyAck,
    PolicyOut,
    UsageOut,
)
from server.security import check_password, hash_password, new_token, token_hash

log = logging.getLogger("maitre_ao.server")
router = APIRouter(prefix="/v1", tags=["compte et droits RGPD"], route_class=BoundedRoute)


@router.get(
    "/policy", response_model=PolicyOut, summary="Version en vigueur de la politique de confidentialité"
)
def policy(request: Request) -> PolicyOut:
    settings = ctx_of(request).settings
    return PolicyOut(
        version=settings.privacy_policy_version,
        url=settings.privacy_policy_url,
        changes=list(settings.privacy_policy_changes),
    )


@router.get("/me", response_model=Me, summary="Mon compte (droit d'accès)")
def read_me(request: Request, caller: CallerDep) -> Me:
    ctx = ctx_of(request)
    with ctx.tx() as s:
        return me_of(s, load_account(s, caller), ctx.settings)


EMAIL_CHANGE_PREFIX = "mao_ec_"
EMAIL_CHANGE_VALIDITY = timedelta(hours=24)


def _request_email_change(s: Session, account: Account, new_email: str, settings: Settings) -> None:
    """A confirmation link to the new address, or a notice to the owner when it already has an account:
    the caller sees the same answer either way (no account enumeration)."""
    owner = s.execute(select(Account).where(Account.email == new_email)).scalar_one_or_none()
    if owner is not None:
        if mail.sent_recently(s, owner.id, "email_change_existing", timedelta(hours=1)):
            return
        mail.queue(
            s,
            account_id=owner.id,
            to=owner.email,
            kind="email_change_existing",
            subject="Maître AO : votre adresse a été proposée pour un autre compte",
            body=(
                f"Bonjour {owner.first_name},\n\nQuelqu'un a demandé à utiliser votre adresse e-mail pour "
                "un autre compte Maître AO. Elle reste attachée à votre compte ; rien n'a changé. Vous "
                "pouvez ignorer ce message."
            ),
        )
        return
    token = new_token(EMAIL_CHANGE_PREFIX)
    s.add(
        EmailChange(
            token_hash=token_hash(token),
            account_id=account.id,
            new_email=new_email,
            expires_at=utcnow() + EMAIL_CHANGE_VALIDITY,
        )
    )
    mail.queue(
        s,
        account_id=account.id,
        to=new_email,
        kind="email_change_confirm",
        subject="Maître AO : confirmez votre nouvelle adresse e-mail",
        body=(
            f"Bonjour {account.first_name},\n\nPour utiliser cette adresse pour vous connecter à Maître AO, "
            f"ouvrez ce lien (valable 24 heures) :\n\n{settings.email_confirm_url}#{token}\n\n"
            "Si vous n'avez rien demandé, ignorez ce message : rien ne changera."
        ),
    )


@router.patch("/me", response_model=Me, summary="Corriger mon compte (rectification)")
def patch_me(body: AccountPatch, request: Request, caller: CallerDep) -> Me:
    """Names change at once; a new login e-mail only once confirmed from that mailbox (the answer is
    the same whether the address is free or already has an account)."""
    ctx = ctx_of(request)
    with ctx.tx() as s:
        account = load_account(s, caller)
        if body.email is not None and body.email != account.email:
            require_fresh_login(s, caller, "changer l'adresse e-mail de connexion")
            _request_email_change(s, account, body.email, ctx.settings)
        for name in ("first_name", "last_name"):
            value = getattr(body, name)
            if value is not None:
                setattr(account, name, value)
        account.updated_at = utcnow()
        s.flush()
        log_connection(s, account.id, "account_updated", client_of(request))
        return me_of(s, account, ctx.settings)


@router.post(
    "/accounts/email-confirmation",
    response_model=Me,
    summary="Confirmer la nouvelle adresse e-mail (lien reçu par e-mail)",
)
def confirm_email(body: EmailConfirmation, request: Request) -> Me:
    ctx = ctx_of(request)
    invalid = ApiError(400, "invalid_link", "Lien de confirmation invalide ou expiré.")
    try:
        with ctx.tx() as s:
            change = s.get(EmailChange, token_hash(body.token))
            if change is None or change.expires_at <= utcnow():
                raise invalid
            account = s.get(Account, change.account_id)
            if account is None:
                raise invalid
            account.email = change.new_email
            account.updated_at = utcnow()
            s.execute(delete(EmailChange).where(EmailChange.account_id == account.id))
            s.flush()
            log_connection(s, account.id, "email_changed", client_of(request))
            return me_of(s, account, ctx.settings)
    except IntegrityError:  # taken since the link was sent
        raise invalid from None


@router.post("/me/password", status_code=204, summary="Changer de mot de passe")
def change_password(body: PasswordChange, request: Request, caller: CallerDep) -> Response:
    ctx = ctx_of(request)
    with ctx.tx() as s:
        current_hash = load_account(s, caller).password_hash
    if not check_password(body.current_password, current_hash, ctx.settings.bcrypt_rounds):
        raise ApiError(403, "wrong_password", "Mot de passe actuel incorrect.")
    new_hash = hash_password(body.new_password, ctx.settings.bcrypt_rounds)
    with ctx.tx() as s:
        account = load_account(s, caller)
        account.password_hash = new_hash
        account.updated_at = utcnow()
        # Every other device must log in again with the new password.
        s.execute(
            update(AuthSession)
            .where(AuthSession.account_id == account.id, AuthSession.id != caller.session_id)
            .values(revoked_at=utcnow())
        )
        log_connection(s, account.id, "password_changed", client_of(request))
    return Response(status_code=204)


@router.post("/me/policy-acknowledgement", response_model=Me, summary="Accepter la politique en vigueur")
def acknowledge_policy(body: PolicyAck, request: Request, caller: CallerDep) -> Me:
    ctx = ctx_of(request)
    if body.version != ctx.settings.privacy_policy_version:
        raise ApiError(
            409,
            "policy_outdated",
            f"Cette version de la politique de confidentialité n'est plus en vigueur "
            f"(version actuelle : {ctx.settings.privacy_policy_version}).",
        )
    with ctx.tx() as s:
        account = load_account(s, caller)
        account.policy_version = body.version
        account.policy_acknowledged_at = utcnow()
        return me_of(s, account, ctx.settings)


@router.put("/me/restriction", response_model=Me, summary="Limiter le traitement (RGPD art. 18)")
def set_restriction(body: Flag, request: Request, caller: CallerDep) -> Me:
    ctx = ctx_of(request)
    with ctx.tx() as s:
        account = load_account(s, caller)
        account.restricted = body.active
        account.restricted_at = utcnow() if body.active else None
        log_connection(
            s, account.id, "restriction_on" if body.active else "restriction_off", client_of(request)
        )
        return me_of(s, account, ctx.settings)


@router.put("/me/objection", response_model=Me, summary="S'opposer aux statistiques d'usage (RGPD art. 21)")
def set_objection(body: Flag, request: Request, caller: CallerDep) -> Me:
    ctx = ctx_of(request)
    with ctx.tx() as s:
        account = load_account(s, caller)
        account.objected = body.active
        account.objected_at = utcnow() if body.active else None
        if body.active:  # statistics already gathered go too
            s.execute(delete(UsageStat).where(UsageStat.account_id == account.id))
        log_connection(s, account.id, "objection_on" if body.active else "objection_off", client_of(request))
        return me_of(s, account, ctx.settings)


@router.get("/me/usage", response_model=UsageOut, summary="Consommation d'analyse du mois")
def usage(request: Request, caller: CallerDep) -> UsageOut:
    with ctx_of(request).tx() as s:
        account = load_account(s, caller)
        plan = plan_of(s, account)
        month = month_of(utcnow())
        row = s.get(UsageMonth, (account.id, month))
        counts = {
            "requests": row.requests if row else 0,
            "input_tokens": row.input_tokens if row else 0,
            "output_tokens": row.output_tokens if row else 0,
            "cache_creation_tokens": row.cache_creation_tokens if row else 0,
            "cache_read_tokens": row.cache_read_tokens if row else 0,
        }
        used = sum(v for k, v in counts.items() if k != "requests")
        return UsageOut(
            month=month, plan=plan.code, monthly_tokens=plan.monthly_tokens, used_tokens=used, **counts
        )


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _row(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {f: _iso(getattr(obj, f)) for f in fields}


@router.get("/me/export", response_model=Export, summary="Exporter toutes mes données (portabilité)")
def export(request: Request, caller: CallerDep) -> Export:
    ctx = ctx_of(request)
    with ctx.tx() as s:
        account = load_account(s, caller)
        aid = account.id
        account_fields = [
            "id", "email", "first_name", "last_name", "created_at", "updated_at", "plan_code",
            "subscription_status", "stripe_customer_id", "cancelled_at", "last_active_at", "restricted", "restricted_at",
            "objected", "objected_at", "policy_version", "policy_acknowledged_at", "sync_revision",
        ]  # fmt: skip
        data = _row(account, account_fields)
        data["password"] = "haché avec bcrypt ; le mot de passe lui-même n'est jamais conservé"  # noqa: S105
        sessions = [
            _row(
                r,
                [
                    "id",
                    "device",
                    "created_at",
                    "last_used_at",
                    "access_expires_at",
                    "refresh_expires_at",
                    "revoked_at",
                ],
            )
            for r in s.execute(select(AuthSession).where(AuthSession.account_id == aid)).scalars()
        ]
        logs = [
            _row(r, ["at", "event", "ip", "user_agent"])
            for r in s.execute(
                select(ConnectionLog).where(ConnectionLog.account_id == aid).order_by(ConnectionLog.at)
            ).scalars()
        ]
        records = [
            {
                "type": r.type,
                "id": r.id,
                "revision": r.revision,
                "deleted": r.deleted,
                "updated_at": r.updated_at.isoformat(),
                "data": json.loads(r.data) if r.data is not None else None,
            }
            for r in s.execute(
                select(SyncRecord).where(SyncRecord.account_id == aid).order_by(SyncRecord.revision)
            ).scalars()
        ]
        usage_rows = [
            _row(
                r,
                [
                    "month",
                    "requests",
                    "input_tokens",
                    "output_tokens",
                    "cache_creation_tokens",
                    "cache_read_tokens",
                ],
            )
            for r in s.execute(select(UsageMonth).where(UsageMonth.account_id == aid)).scalars()
        ]
        stats = [
            _row(r, ["day", "feature"])
            for r in s.execute(select(UsageStat).where(UsageStat.account_id == aid)).scalars()
        ]
        billing = [
            _row(r, ["created_at", "kind", "stripe_object_id", "plan_code", "amount_cents", "currency"])
            for r in s.execute(select(BillingRecord).where(BillingRecord.account_id == aid)).scalars()
        ]
        log_connection(s, aid, "export", client_of(request))
        retention = _retention(account, ctx.settings)
    return Export(
        retention=retention,
        exported_at=utcnow(),
        account=data,
        sessions=sessions,
        connection_log=logs,
        sync_records=records,
        usage=usage_rows,
        usage_statistics=stats,
        billing_records=billing,
    )


def _retention(account: Account, settings: Settings) -> dict[str, Any]:
    """How long what is held is kept, and from which event (privacy policy §8), in the export."""
    years = settings.account_retention_years
    purge_day = account_purge_not_before(account, settings)
    if account.restricted:
        rule = (
            "Traitement limité à votre demande : le compte est conservé tant que la limitation est active, "
            f"puis {years} ans après la dernière connexion ou la résiliation."
        )
    elif account.subscription_status in LIVE_STATUSES:
        rule = f"Abonnement en cours : le compte est conservé pendant l'abonnement, puis {years} ans après la résiliation."
    else:
        rule = (
            f"Conservé {years} ans (en dates de calendrier) après la dernière connexion ou la résiliation, "
            "la plus tardive des deux ; une nouvelle connexion repousse l'échéance."
        )
    return {
        "account": {
            "rule": rule,
            "from_event": "last_login_or_cancellation",
            "purge_not_before": purge_day.isoformat() if purge_day else None,
            "restricted": account.restricted,
        },
        "billing_records": f"{settings.billing_retention_years} ans (dates de calendrier) après leur date ; "
        "détachées de votre personne si le compte est effacé",
        "connection_log": f"{settings.connection_log_months} mois (dates de calendrier)",
    }


def erase_account(s: Any, account_id: str) -> None:
    """Erase the account and its synced data; billing records and connection logs stay, detached.

    Billing records are kept 10 years (accounting law) and connection logs 12 months (legal obligation
    of hosts), both without any link to the person once the account is gone.
    """
    s.execute(update(BillingRecord).where(BillingRecord.account_id == account_id).values(account_id=None))
    s.execute(update(ConnectionLog).where(ConnectionLog.account_id == account_id).values(account_id=None))
    for table in (
        SyncRecord,
        PushReceipt,
        UsageMonth,
        UsageStat,
        AuthSession,
        LoginUnlock,
        EmailChange,
        OutboxEmail,
    ):
        s.execute(delete(table).where(table.account_id == account_id))
    s.execute(delete(Account).where(Account.id == account_id))


@router.delete("/me", status_code=204, summary="Effacer mon compte et mes données (droit à l'effacement)")
def erase_me(request: Request, caller: CallerDep) -> Response:
    ctx = ctx_of(request)
    with ctx.tx() as s:
        require_fresh_login(s, caller, "supprimer le compte")
        account = load_account(s, caller)
        subscription = (
            account.stripe_subscription_id if account.subscription_status in ACTIVE_STATUSES else None
        )
    if subscription:
        # Stop the payments first: an erased person must not keep being charged.
        stripe_gateway.cancel_subscription(ctx.settings, subscription)
    with ctx.tx() as s:
        erase_account(s, caller.account_id)
        log_connection(s, None, "account_erased", client_of(request))
    log.info("account erased")
    return Response(status_code=204)
