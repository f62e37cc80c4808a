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


def _refused(reason: str, message: str = "Contenu du webhook illisible.") -> ApiError:
    # The reason is ours (fixed English words): nothing of the payload or of the signature is logged.
    log.warning("stripe webhook refused: %s", reason)
    return ApiError(400, "webhook_invalid", message)


def verify_webhook(settings: Settings, payload: bytes, signature: str | None) -> dict[str, Any]:
    """The event, once its signature is verified (secret, and timestamp within the tolerance) and its
    envelope checked: an object with a string `id` and `type` and a `data.object` object. Anything
    else is a 400, never a 500."""
    if not settings.stripe_webhook_secret:
        log.warning("stripe webhook refused: no webhook secret configured")
        raise ApiError(503, "billing_unavailable", "Webhooks de paiement non configurés.")
    bad_signature = "Signature du webhook invalide ou expirée."
    if not signature:
        raise _refused("no signature", bad_signature)
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise _refused("payload is not UTF-8") from None
    try:
        stripe.WebhookSignature.verify_header(
            text, signature, settings.stripe_webhook_secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError:
        raise _refused("bad or expired signature", bad_signature) from None
    except (ValueError, TypeError, AttributeError, IndexError):
        raise _refused("unreadable signature header", bad_signature) from None
    try:
        event = json.loads(text)
    except (ValueError, RecursionError):
        raise _refused("payload is not JSON") from None
    if not isinstance(event, dict):
        raise _refused("payload is not an event object")
    data = event.get("data")
    if (
        not isinstance(event.get("id"), str)
        or not event["id"]
        or "\x00" in event["id"]
        or not isinstance(event.get("type"), str)
        or not isinstance(data, dict)
        or not isinstance(data.get("object"), dict)
    ):
        raise _refused("event without id, type or data.object")
    return event
