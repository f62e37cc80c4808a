"""Stripe, through its official SDK: Checkout sessions, subscription cancellation, webhook verification."""

from __future__ import annotations

import json
import logging
from typing import Any

import stripe

from server.config import Settings
from server.errors import ApiError

log = logging.getLogger("maitre_ao.server")
WEBHOOK_TOLERANCE_SECONDS = 300  # older signatures are refused (replay protection)


def _client(settings: Settings) -> stripe.StripeClient:
    if not settings.stripe_api_key:
        raise ApiError(
            503, "billing_unavailable", "Le paiement en ligne n'est pas disponible pour le moment."
        )
    base = {"api": settings.stripe_api_base} if settings.stripe_api_base else None
    return stripe.StripeClient(settings.stripe_api_key, base_addresses=base, max_network_retries=1)  # type: ignore[arg-type]


def create_checkout(
    settings: Settings,
    *,
    account_id: str,
    email: str,
    customer_id: str | None,
    plan_code: str,
    plan_name: str,
    price_cents: int,
    price_id: str | None,
) -> tuple[str, str]:
    """A Checkout session for a monthly subscription to the plan; returns (session id, payment URL)."""
    line_item: dict[str, Any]
    if price_id:
        line_item = {"price": price_id, "quantity": 1}
    else:
        line_item = {
            "quantity": 1,
            "price_data": {
                "currency": "eur",
                "unit_amount": price_cents,
                "recurring": {"interval": "month"},
                "product_data": {"name": f"Maître AO — {plan_name}"},
            },
        }
    params: dict[str, Any] = {
        "mode": "subscription",
        "line_items": [line_item],
        "client_reference_id": account_id,
        "success_url": settings.checkout_success_url,
        "cancel_url": settings.checkout_cancel_url,
        "metadata": {"account_id": account_id, "plan": plan_code},
        "subscription_data": {"metadata": {"account_id": account_id, "plan": plan_code}},
        "locale": "fr",
    }
    if customer_id:
        params["customer"] = customer_id
    else:
        params["customer_email"] = email
    try:
        session = _client(settings).v1.checkout.sessions.create(params=params)  # type: ignore[arg-type]
    except stripe.StripeError as exc:
        log.warning("stripe checkout creation failed: %s", type(exc).__name__)
        raise ApiError(
            502, "billing_error", "Le service de paiement ne répond pas. Réessayez plus tard."
        ) from None
    return str(session.id), str(session.url)


def cancel_subscription(settings: Settings, subscription_id: str) -> None:
    try:
        _client(settings).v1.subscriptions.cancel(subscription_id)
    except stripe.InvalidRequestError:
        log.info("stripe subscription already gone")
    except stripe.StripeError as exc:
        log.warning("stripe cancellation failed: %s", type(exc).__name__)
        raise ApiError(
            502,
            "billing_error",
            "Impossible de résilier l'abonnement auprès du service de paiement ; rien n'a été effacé. "
            "Réessayez plus tard.",
        ) from None


def verify_webhook(settings: Settings, payload: bytes, signature: str | None) -> dict[str, Any]:
    """The event, once its signature is verified (secret, and timestamp within the tolerance)."""
    if not settings.stripe_webhook_secret:
        log.warning("stripe webhook refused: no webhook secret configured")
        raise ApiError(503, "billing_unavailable", "Webhooks de paiement non configurés.")
    try:
        stripe.Webhook.construct_event(
            payload, signature, settings.stripe_webhook_secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
        )
        event = json.loads(payload)
    except stripe.SignatureVerificationError as exc:
        log.warning("stripe webhook refused: bad or expired signature (%s)", str(exc).split(".")[0][:80])
        raise ApiError(400, "webhook_invalid", "Signature du webhook invalide ou expirée.") from None
    except ValueError:
        log.warning("stripe webhook refused: unreadable payload")
        raise ApiError(400, "webhook_invalid", "Contenu du webhook illisible.") from None
    if not isinstance(event, dict) or not isinstance(event.get("id"), str):
        log.warning("stripe webhook refused: not an event")
        raise ApiError(400, "webhook_invalid", "Contenu du webhook illisible.")
    return event
