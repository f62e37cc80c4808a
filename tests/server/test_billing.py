"""Plans, Stripe Checkout through the SDK (against a loopback Stripe), signed webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select

from server.models import Account, BillingRecord
from tests.server.conftest import WEBHOOK_SECRET, Api, User, run_server_cli
from tests.server.fakes import FakeService, stripe_form


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    """The Stripe-Signature header as Stripe computes it (HMAC-SHA256 of "t.payload")."""
    at = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def event(kind: str, obj: dict[str, Any]) -> bytes:
    return json.dumps(
        {"id": f"evt_{uuid.uuid4().hex}", "object": "event", "type": kind, "data": {"object": obj}}
    ).encode()


def send(api: Api, payload: bytes, signature: str | None) -> Any:
    headers = {"content-type": "application/json"}
    if signature is not None:
        headers["stripe-signature"] = signature
    return api.post("/v1/billing/webhook", content=payload, headers=headers)


def test_plans_are_listed_with_their_entitlements(api: Api) -> None:
    plans = {p["code"]: p for p in api.get("/v1/plans").json()}
    assert set(plans) == {"decouverte", "pro", "equipe"}
    assert plans["decouverte"]["price_cents"] == 0
    assert plans["pro"]["monthly_tokens"] > plans["decouverte"]["monthly_tokens"]


def test_checkout_session_created_through_the_stripe_sdk(api: Api, stripe_fake: FakeService) -> None:
    user = api.signup()
    before = len(stripe_fake.seen)
    r = api.post("/v1/billing/checkout", headers=user.auth, json={"plan": "pro"})
    assert r.status_code == 200, r.text
    assert r.json()["url"].startswith("https://checkout.stripe.com/")
    [seen] = stripe_fake.seen[before:]
    assert seen.path == "/v1/checkout/sessions"
    assert seen.headers["authorization"] == "Bearer sk_test_fake"
    form = stripe_form(seen)
    assert form["mode"] == ["subscription"]
    assert form["client_reference_id"] == [user.id]
    assert form["customer_email"] == [user.email]
    assert form["line_items[0][price_data][unit_amount]"] == ["4900"]
    assert api.post("/v1/billing/checkout", headers=user.auth, json={"plan": "decouverte"}).status_code == 404
    assert api.post("/v1/billing/checkout", json={"plan": "pro"}).status_code == 401


def _subscribe(api: Api, user: User) -> None:
    payload = event(
        "checkout.session.completed",
        {"object": "checkout.session", "client_reference_id": user.id, "customer": f"cus_{user.id[:8]}",
         "subscription": f"sub_{user.id[:8]}", "metadata": {"account_id": user.id, "plan": "pro"}},
    )  # fmt: skip
    assert send(api, payload, sign(payload)).json() == {"status": "ok"}


def test_signed_webhooks_update_the_subscription(api: Api, engine: Engine) -> None:
    user = api.signup()
    _subscribe(api, user)
    me = api.get("/v1/me", headers=user.auth).json()
    assert me["plan"]["code"] == "pro" and me["subscription_status"] == "active"
    again = api.post("/v1/billing/checkout", headers=user.auth, json={"plan": "equipe"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "subscription_active"
    invoice = event("invoice.paid", {"object": "invoice", "id": f"in_{user.id[:8]}", "customer": f"cus_{user.id[:8]}",
                                     "amount_paid": 4900, "currency": "eur"})  # fmt: skip
    assert send(api, invoice, sign(invoice)).status_code == 200
    # Stripe re-delivers the same event: acknowledged, not applied twice.
    assert send(api, invoice, sign(invoice)).json() == {"status": "duplicate"}
    with engine.connect() as conn:
        rows = conn.execute(select(BillingRecord).where(BillingRecord.account_id == user.id)).all()
    assert [(r.kind, r.amount_cents, r.plan_code) for r in rows] == [("invoice", 4900, "pro")]
    ended = event("customer.subscription.deleted", {"object": "subscription", "id": f"sub_{user.id[:8]}",
                                                    "customer": f"cus_{user.id[:8]}", "status": "canceled"})  # fmt: skip
    assert send(api, ended, sign(ended)).status_code == 200
    me = api.get("/v1/me", headers=user.auth).json()
    assert me["plan"]["code"] == "decouverte" and me["subscription_status"] == "canceled"
    with engine.connect() as conn:
        assert (
            conn.execute(select(Account.cancelled_at).where(Account.id == user.id)).scalar_one() is not None
        )


def test_unverifiable_webhooks_are_refused_and_logged(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="maitre_ao.server")
    user = api.signup()
    payload = event(
        "checkout.session.completed",
        {"object": "checkout.session", "client_reference_id": user.id, "metadata": {"plan": "equipe"}},
    )
    tampered = payload.replace(b'"equipe"', b'"pro"')
    cases = {
        "tampered": (tampered, sign(payload)),
        "wrong secret": (payload, sign(payload, secret="whsec_autre")),
        "replayed (too old)": (payload, sign(payload, at=int(time.time()) - 3600)),
        "unsigned": (payload, None),
    }
    for name, (body, signature) in cases.items():
        caplog.clear()
        r = send(api, body, signature)
        assert r.status_code == 400, name
        assert r.json()["error"]["code"] == "webhook_invalid", name
        assert "stripe webhook refused" in caplog.text, name
    assert api.get("/v1/me", headers=user.auth).json()["plan"]["code"] == "decouverte"


def test_unpaid_subscription_falls_back_to_the_free_plan(api: Api, engine: Engine) -> None:
    user = api.signup()
    _subscribe(api, user)
    unpaid = event("customer.subscription.updated", {"object": "subscription", "id": f"sub_{user.id[:8]}",
                                                     "customer": f"cus_{user.id[:8]}", "status": "unpaid"})  # fmt: skip
    assert send(api, unpaid, sign(unpaid)).status_code == 200
    me = api.get("/v1/me", headers=user.auth).json()
    assert me["plan"]["code"] == "decouverte" and me["subscription_status"] == "unpaid"
    with engine.connect() as conn:
        assert (
            conn.execute(select(Account.cancelled_at).where(Account.id == user.id)).scalar_one() is not None
        )


MARKER = "DONNEE-CLIENT-8f3a"


def _malformed_events() -> dict[str, bytes]:
    good_obj = {"object": "invoice", "id": f"in_{MARKER}", "customer": "cus_x", "amount_paid": 4900}
    return {
        "not json": f"{{pas du json {MARKER}".encode(),
        "json list": json.dumps([MARKER]).encode(),
        "no id": json.dumps({"type": "invoice.paid", "data": {"object": good_obj}}).encode(),
        "id not a string": json.dumps({"id": 12, "type": "invoice.paid", "data": {"object": good_obj}}).encode(),
        "no type": json.dumps({"id": f"evt_{MARKER}", "data": {"object": good_obj}}).encode(),
        "type not a string": json.dumps({"id": f"evt_{uuid.uuid4().hex}", "type": [MARKER], "data": {}}).encode(),
        "no data": json.dumps({"id": f"evt_{uuid.uuid4().hex}", "type": "invoice.paid"}).encode(),
        "data a string": json.dumps({"id": f"evt_{uuid.uuid4().hex}", "type": "invoice.paid", "data": MARKER}).encode(),
        "object a list": json.dumps({"id": f"evt_{uuid.uuid4().hex}", "type": "invoice.paid", "data": {"object": [MARKER]}}).encode(),
        "amount a string": event("invoice.paid", {**good_obj, "amount_paid": MARKER}),
        "metadata a string": event("checkout.session.completed", {"object": "checkout.session", "client_reference_id": MARKER, "metadata": MARKER}),
        "customer a number": event("customer.subscription.updated", {"object": "subscription", "customer": 12, "status": 5, "metadata": [MARKER]}),
        "status a dict": event("customer.subscription.deleted", {"object": "subscription", "customer": {"id": MARKER}}),
        "currency a list": event("invoice.paid", {**good_obj, "currency": [MARKER]}),
        "not utf-8": b'{"id": "evt_\xff\xfe", "type": "invoice.paid"}',
    }  # fmt: skip


def test_signed_but_malformed_webhooks_get_400_never_500(api: Api, engine: Engine) -> None:
    for name, payload in _malformed_events().items():
        r = send(api, payload, sign(payload))
        assert r.status_code == 400, (name, r.status_code, r.text)
        assert r.json()["error"]["code"] == "webhook_invalid", name
    # A well-formed event of a type the server does not use is acknowledged.
    other = event("customer.created", {"object": "customer", "id": "cus_rien"})
    assert send(api, other, sign(other)).status_code == 200
    with engine.connect() as conn:
        assert not conn.execute(
            select(BillingRecord).where(BillingRecord.stripe_object_id.like(f"%{MARKER}%"))
        ).all()


def test_server_log_holds_no_webhook_data(tmp_path: Path, repo_root: Path) -> None:
    """The real server (uvicorn) with its own log: malformed signed webhooks leave no request data there."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'log.db'}",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "MAITRE_AO_BCRYPT_ROUNDS": "4",
    }
    assert run_server_cli(["migrate"], env, repo_root).returncode == 0
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
            env=env, cwd=repo_root, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
            for name, payload in _malformed_events().items():
                r = httpx.post(
                    f"http://127.0.0.1:{port}/v1/billing/webhook",
                    content=payload,
                    headers={"content-type": "application/json", "stripe-signature": sign(payload)},
                )
                assert r.status_code == 400, name
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    text = log_path.read_text(encoding="utf-8", errors="replace")
    assert "stripe webhook refused" in text  # the server did log, in English, without the data
    assert MARKER not in text and "Traceback" not in text and "Exception in ASGI" not in text
