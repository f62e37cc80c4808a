"""Plans, Stripe Checkout, and the Stripe webhook that keeps subscriptions up to date."""

from __future__ import annotations

import logging
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server import stripe_gateway
from server.context import AppContext, CallerDep, ctx_of, load_account
from server.errors import ApiError
from server.middleware import BoundedRoute
from server.models import Account, BillingRecord, Plan, WebhookEvent, utcnow
from server.routes.common import ensure_not_restricted, plan_out
from server.schemas import CheckoutOut, CheckoutRequest, PlanOut, WebhookAck

log = logging.getLogger("maitre_ao.server")
router = APIRouter(prefix="/v1", tags=["abonnement"], route_class=BoundedRoute)
FREE_PLAN = "decouverte"
ACTIVE_STATUSES = frozenset({"active", "trialing", "past_due"})
ENDED_STATUSES = frozenset({"canceled", "unpaid", "incomplete_expired"})


@router.get("/plans", response_model=list[PlanOut], summary="Offres disponibles")
def plans(request: Request) -> list[PlanOut]:
    with ctx_of(request).tx() as s:
        return [plan_out(p) for p in s.execute(select(Plan).order_by(Plan.price_cents)).scalars()]


@router.post("/billing/checkout", response_model=CheckoutOut, summary="Payer un abonnement (Stripe Checkout)")
def checkout(body: CheckoutRequest, request: Request, caller: CallerDep) -> CheckoutOut:
    ctx = ctx_of(request)
    with ctx.tx() as s:
        account = load_account(s, caller)
        ensure_not_restricted(account.restricted)
        if account.subscription_status in ACTIVE_STATUSES:
            raise ApiError(
                409,
                "subscription_active",
                "Un abonnement est déjà actif sur ce compte : changez d'offre depuis l'espace abonnement.",
            )
        plan = s.get(Plan, body.plan)
        if plan is None or plan.price_cents <= 0:
            raise ApiError(404, "unknown_plan", "Offre inconnue ou gratuite : rien à payer.")
        account_id, email, customer_id = account.id, account.email, account.stripe_customer_id
        plan_code, plan_name, price_cents, price_id = (
            plan.code,
            plan.name,
            plan.price_cents,
            plan.stripe_price_id,
        )
    session_id, url = stripe_gateway.create_checkout(
        ctx.settings,
        account_id=account_id,
        email=email,
        customer_id=customer_id,
        plan_code=plan_code,
        plan_name=plan_name,
        price_cents=price_cents,
        price_id=price_id,
    )
    return CheckoutOut(id=session_id, url=url)


MAX_AMOUNT = 10**12  # cents; far above any invoice, far below the BIGINT column


class PayloadError(Exception):
    """A field of a verified event has a type Stripe never sends: the event is refused (400)."""


def _str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or "\x00" in value:  # PostgreSQL refuses NUL in text
        raise PayloadError(key)
    return value


def _dict(obj: dict[str, Any], key: str) -> dict[str, Any]:
    value = obj.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PayloadError(key)
    return value


def _int(obj: dict[str, Any], key: str) -> int:
    value = obj.get(key)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AMOUNT:
        raise PayloadError(key)
    return value


def _account_for(s: Session, obj: dict[str, Any]) -> Account | None:
    account_id = _str(obj, "client_reference_id") or _str(_dict(obj, "metadata"), "account_id")
    if account_id:
        account = s.get(Account, account_id[:36])
        if account is not None:
            return account
    customer = _str(obj, "customer")
    if customer:
        return s.execute(
            select(Account).where(Account.stripe_customer_id == customer[:120])
        ).scalar_one_or_none()
    return None


def _end_subscription(account: Account) -> None:
    account.plan_code = FREE_PLAN
    if account.cancelled_at is None:
        account.cancelled_at = utcnow()  # starts the 3-year retention clock (privacy policy §8)


STRING_FIELDS = ("id", "client_reference_id", "customer", "subscription", "status", "currency")


def _check_types(obj: dict[str, Any]) -> None:
    """Every field the server reads has the type Stripe sends, whatever the event type."""
    for key in STRING_FIELDS:
        _str(obj, key)
    metadata = _dict(obj, "metadata")
    _str(metadata, "account_id")
    _str(metadata, "plan")
    _int(obj, "amount_paid")


def _apply(s: Session, event: dict[str, Any]) -> None:
    kind = event["type"]
    obj: dict[str, Any] = event["data"]["object"]
    _check_types(obj)
    account = _account_for(s, obj)
    if kind == "checkout.session.completed" and account is not None:
        plan = _str(_dict(obj, "metadata"), "plan")
        if plan and s.get(Plan, plan[:32]) is not None:
            account.plan_code = plan
        account.stripe_customer_id = (_str(obj, "customer") or "")[:120] or account.stripe_customer_id
        account.stripe_subscription_id = (_str(obj, "subscription") or "")[
            :120
        ] or account.stripe_subscription_id
        account.subscription_status = "active"
        account.cancelled_at = None
    elif kind in {"customer.subscription.created", "customer.subscription.updated"} and account is not None:
        status = (_str(obj, "status") or "active")[:32]
        account.subscription_status = status
        account.stripe_subscription_id = (_str(obj, "id") or "")[:120] or account.stripe_subscription_id
        plan = _str(_dict(obj, "metadata"), "plan")
        if status in {"active", "trialing"} and plan and s.get(Plan, plan[:32]) is not None:
            account.plan_code = plan
            account.cancelled_at = None
        elif status in ENDED_STATUSES:
            _end_subscription(account)
    elif kind == "customer.subscription.deleted" and account is not None:
        account.subscription_status = "canceled"
        _end_subscription(account)
    elif kind in {"invoice.paid", "invoice.payment_succeeded"}:
        s.add(
            BillingRecord(
                account_id=account.id if account else None,
                kind="invoice",
                stripe_object_id=(_str(obj, "id") or "")[:120],
                plan_code=account.plan_code if account else None,
                amount_cents=_int(obj, "amount_paid"),
                currency=(_str(obj, "currency") or "eur")[:3],
            )
        )


def _record_event(ctx: AppContext, event: dict[str, Any]) -> Literal["ok", "duplicate"]:
    event_id = str(event["id"])[:120]
    try:
        with ctx.tx() as s:
            if s.get(WebhookEvent, event_id) is not None:
                log.info("stripe webhook already applied")
                return "duplicate"
            s.add(WebhookEvent(id=event_id, type=str(event["type"])[:80]))
            s.flush()
            _apply(s, event)
    except IntegrityError:  # the same event delivered twice at once
        return "duplicate"
    except PayloadError as exc:  # rolled back: a corrected re-delivery can still be applied
        log.warning("stripe webhook refused: field %s of an unexpected type", str(exc)[:40])
        raise ApiError(400, "webhook_invalid", "Contenu du webhook illisible.") from None
    log.info("stripe webhook applied (%s)", str(event["type"])[:80])
    return "ok"


_STRIPE_OBJECT = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "object": {"type": "string"},
        "client_reference_id": {"type": "string"},
        "customer": {"type": "string"},
        "subscription": {"type": "string"},
        "status": {"type": "string"},
        "amount_paid": {"type": "integer", "minimum": 0, "maximum": MAX_AMOUNT},
        "currency": {"type": "string"},
        "metadata": {
            "type": "object",
            "properties": {"account_id": {"type": "string"}, "plan": {"type": "string"}},
        },
    },
}
_WEBHOOK_SCHEMA: dict[str, Any] = {
    "parameters": [
        {
            "name": "Stripe-Signature",
            "in": "header",
            "required": True,
            "schema": {"type": "string"},
            "description": "Signature HMAC-SHA256 de Stripe (t=…,v1=…), vérifiée avec le secret du webhook",
        }
    ],
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "Événement Stripe (seuls ces champs sont lus).",
                    "required": ["id", "type", "data"],
                    "properties": {
                        "id": {"type": "string", "minLength": 1},
                        "object": {"type": "string"},
                        "type": {
                            "type": "string",
                            "enum": [
                                "checkout.session.completed",
                                "customer.subscription.created",
                                "customer.subscription.updated",
                                "customer.subscription.deleted",
                                "invoice.paid",
                                "invoice.payment_succeeded",
                            ],
                        },
                        "data": {
                            "type": "object",
                            "required": ["object"],
                            "properties": {"object": _STRIPE_OBJECT},
                        },
                    },
                }
            }
        },
    },
    "responses": {
        "400": {"description": "Signature invalide ou expirée, ou contenu illisible"},
        "503": {"description": "Webhooks non configurés"},
    },
}


@router.post(
    "/billing/webhook",
    summary="Webhook Stripe (signé)",
    response_model=WebhookAck,
    openapi_extra=_WEBHOOK_SCHEMA,
)
async def webhook(request: Request) -> WebhookAck:
    ctx = ctx_of(request)
    payload = await request.body()  # the raw bytes: the signature covers them exactly
    event = stripe_gateway.verify_webhook(ctx.settings, payload, request.headers.get("stripe-signature"))
    return WebhookAck(status=await run_in_threadpool(_record_event, ctx, event))
