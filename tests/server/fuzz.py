"""Bounded schemathesis run over /openapi.json, in process (ASGI): no request may cause a 5xx.

`make fuzz` runs it (python -m tests.server.fuzz [--examples N]) on a fresh SQLite file, or on
PostgreSQL with DATABASE_URL; tests/server/test_fuzz.py runs it as part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from typing import Any

import hypothesis
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode

from server.app import create_app
from server.config import Settings
from server.migrate import upgrade
from tests.server.fakes import start_claude, start_stripe


def _ip() -> str:
    return f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"


def fresh_token(app: FastAPI) -> str:
    client = TestClient(app, headers={"X-Forwarded-For": _ip()})
    email = f"fuzz-{uuid.uuid4().hex[:12]}@exemple.fr"
    password = "mot-de-passe-fuzz-1"
    client.post(
        "/v1/accounts", json={"email": email, "password": password, "first_name": "F", "last_name": "Z"}
    )
    token: str = client.post("/v1/sessions", json={"email": email, "password": password}).json()[
        "access_token"
    ]
    return token


WEBHOOK_PATH = "/v1/billing/webhook"
WEBHOOK_SECRET = "whsec_fuzz"


def stripe_signature(payload: bytes, secret: str = WEBHOOK_SECRET) -> str:
    """The Stripe-Signature header as Stripe computes it (HMAC-SHA256 of "t.payload")."""
    at = int(time.time())
    return f"t={at},v1=" + hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()


def _call_webhook(client: TestClient, case: Any, headers: dict[str, str], mode: GenerationMode) -> Any:
    """The generated event, signed like Stripe would sign it, so the fuzzing reaches past the signature
    into the payload handling (a negative case keeps its own, generated signature header)."""
    body = case.body
    payload = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
    given = {k.lower(): str(v) for k, v in (case.headers or {}).items()}
    if mode is GenerationMode.POSITIVE or "stripe-signature" not in given:
        given["stripe-signature"] = stripe_signature(payload)
    return client.post(
        WEBHOOK_PATH, content=payload, headers={**given, **headers, "content-type": "application/json"}
    )


def _fuzz(
    operation: Any,
    mode: GenerationMode,
    token: str,
    max_examples: int,
    failures: list[str],
    client: TestClient | None = None,
) -> dict[int, int]:
    statuses: dict[int, int] = {}

    @hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        headers = {"X-Forwarded-For": _ip()}
        given = {k.lower() for k in (case.headers or {})}
        if mode is GenerationMode.POSITIVE:
            # Reach past the version check and the authentication into the bodies.
            headers["Maitre-AO-Protocol"] = "1"
            headers["Authorization"] = f"Bearer {token}"
        elif "authorization" not in given:
            headers["Authorization"] = f"Bearer {token}"
        if operation.path == WEBHOOK_PATH and client is not None:
            headers.pop("Authorization", None)
            response = _call_webhook(client, case, headers, mode)
        else:
            response = case.call(headers=headers)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            failures.append(
                f"{operation.method.upper()} {operation.path} [{mode.value}] -> {response.status_code}"
            )

    with contextlib.suppress(hypothesis.errors.Unsatisfiable):
        check()
    return statuses


def run(app: FastAPI, max_examples: int = 8, log: Callable[[str], None] = lambda _m: None) -> list[str]:
    """Returns one line per request that got a 5xx (empty list: none)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    client = TestClient(app, raise_server_exceptions=False)
    for result in schema.get_all_operations():
        operation = result.ok()
        token = fresh_token(app)  # per operation: DELETE /v1/me may erase it
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            statuses = _fuzz(operation, mode, token, max_examples, failures, client)
            seen = " ".join(f"{code}x{n}" for code, n in sorted(statuses.items()))
            log(f"{operation.method.upper():6} {operation.path} [{mode.value}] {seen}")
    return failures


def fuzz_app(database_url: str) -> tuple[FastAPI, Callable[[], None]]:
    """The app wired to loopback stand-ins for Claude and Stripe (so their endpoints are exercised too)."""
    claude, stripe_fake = start_claude(), start_stripe()
    os.environ.setdefault("MAITRE_AO_BCRYPT_ROUNDS", "4")
    settings = dataclasses.replace(
        Settings.from_env(),
        database_url=database_url,
        trust_proxy_headers=True,
        anthropic_api_key="sk-ant-fuzz",
        anthropic_upstream_url=claude.url,
        stripe_api_key="sk_test_fuzz",
        stripe_api_base=stripe_fake.url,
        stripe_webhook_secret=WEBHOOK_SECRET,
    )

    def close() -> None:
        claude.close()
        stripe_fake.close()

    return create_app(settings), close


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=25)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/fuzz.db"
        upgrade(url)
        app, close = fuzz_app(url)
        try:
            failures = run(app, args.examples, log=print)
        finally:
            close()
    for line in failures:
        print("SERVER ERROR:", line)
    print(f"{len(failures)} server error(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
