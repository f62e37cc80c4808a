"""Plans, Stripe Checkout, and the Stripe webhook that keeps subscriptions up to date."""

from __future__ import annotations

import logging
from typing import Any

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
from server.schemas import CheckoutOut, CheckoutRequest, PlanOut

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


def _account_for(s: Session, obj: dict[str, Any]) -> Account | None:
    account_id = obj.get("client_reference_id") or (obj.get("metadata") or {}).get("account_id")
    if isinstance(account_id, str):
        account = s.get(Account, account_id)
        if account is not None:
            return account
    customer = obj.get("customer")
    if isinstance(customer, str):
        return s.execute(select(Account).where(Account.stripe_customer_id == customer)).scalar_one_or_none()
    return None


def _end_subscription(account: Account) -> None:
    account.plan_code = FREE_PLAN
    if account.cancelled_at is None:
        account.cancelled_at = utcnow()  # starts the 3-year retention clock (privacy policy §8)


def _apply(s: Session, event: dict[str, Any]) -> None:
    kind = event.get("type", "")
    obj = (event.get("data") or {}).get("object") or {}
    account = _account_for(s, obj)
    if kind == "checkout.session.completed" and account is not None:
        plan = (obj.get("metadata") or {}).get("plan")
        if isinstance(plan, str) and s.get(Plan, plan) is not None:
            account.plan_code = plan
        account.stripe_customer_id = obj.get("customer") or account.stripe_customer_id
        account.stripe_subscription_id = obj.get("subscription") or account.stripe_subscription_id
        account.subscription_status = "active"
        account.cancelled_at = None
    elif kind in {"customer.subscription.created", "customer.subscription.updated"} and account is not None:
        status = str(obj.get("status", "active"))[:32]
        account.subscription_status = status
        account.stripe_subscription_id = obj.get("id") or account.stripe_subscription_id
        plan = (obj.get("metadata") or {}).get("plan")
        if status in {"active", "trialing"} and isinstance(plan, str) and s.get(Plan, plan) is not None:
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
                stripe_object_id=str(obj.get("id", ""))[:120],
                plan_code=account.plan_code if account else None,
                amount_cents=int(obj.get("amount_paid") or 0),
                currency=str(obj.get("currency") or "eur")[:3],
            )
        )


def _record_event(ctx: AppContext, event: dict[str, Any]) -> str:
    event_id = str(event["id"])[:120]
    try:
        with ctx.tx() as s:
            if s.get(WebhookEvent, event_id) is not None:
                log.info("stripe webhook %s already applied", event_id)
                return "duplicate"
            s.add(WebhookEvent(id=event_id, type=str(event.get("type", ""))[:80]))
            s.flush()
            _apply(s, event)
    except IntegrityError:  # the same event delivered twice at once
        return "duplicate"
    log.info("stripe webhook %s applied (%s)", event_id, event.get("type"))
    return "ok"


@router.post("/billing/webhook", summary="Webhook Stripe (signé)", include_in_schema=False)
async def webhook(request: Request) -> dict[str, str]:
    ctx = ctx_of(request)
    payload = await request.body()  # the raw bytes: the signature covers them exactly
    event = stripe_gateway.verify_webhook(ctx.settings, payload, request.headers.get("stripe-signature"))
    return {"status": await run_in_threadpool(_record_event, ctx, event)}
