"""One error format in French, no stack traces, security headers, size limits, no CORS, HTTPS only."""

from __future__ import annotations

import dataclasses
import json
import logging
import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from server.app import create_app
from server.config import Settings
from tests.server.conftest import PASSWORD, Api


def _assert_security_headers(headers: object) -> None:
    h = dict(headers)  # type: ignore[call-overload]
    assert h["strict-transport-security"].startswith("max-age=")
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    assert h["content-security-policy"].startswith("default-src 'none'")


def test_errors_share_one_french_format_with_security_headers(api: Api) -> None:
    responses = [
        api.get("/v1/inexistant"),
        api.post("/v1/accounts", json={"email": "x"}),
        api.post("/v1/accounts", content=b"{pas du json", headers={"content-type": "application/json"}),
        api.get("/v1/me"),
        api.put("/v1/me"),
        api.get("/openapi.json"),
    ]
    for r in responses[:-1]:
        body = r.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, r.text
        assert r.status_code in (401, 404, 405, 422)
    assert [r.status_code for r in responses] == [404, 422, 422, 401, 405, 200]
    assert responses[0].json()["error"]["message"] == "Ressource introuvable."
    for r in responses:
        _assert_security_headers(r.headers)


def test_no_stack_trace_reaches_the_client(
    settings: Settings, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    app: FastAPI = create_app(settings, engine)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("détail interne avec données /srv/secret.py")

    r = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert r.status_code == 500
    assert r.json() == {
        "error": {"code": "internal_error", "message": "Erreur interne du serveur. Réessayez plus tard."}
    }
    assert "Traceback" not in r.text and "secret" not in r.text


def test_request_size_limits(api: Api, settings: Settings) -> None:
    big = b'{"email": "' + b"a" * (settings.max_body_bytes + 10) + b'"}'
    r = api.post("/v1/accounts", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert (
        r.json()["error"]["code"] == "payload_too_large"
        and "trop volumineuse" in r.json()["error"]["message"]
    )

    def chunks() -> object:
        for _ in range(settings.max_body_bytes // 65536 + 2):
            yield b"a" * 65536

    r = api.post("/v1/accounts", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_no_cors(api: Api) -> None:
    r = api.options(
        "/v1/me", headers={"Origin": "https://malveillant.example", "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in r.headers
    r = api.get("/v1/policy", headers={"Origin": "https://malveillant.example"})
    assert "access-control-allow-origin" not in r.headers


def test_plain_http_refused_in_production(settings: Settings, engine: Engine) -> None:
    app = create_app(dataclasses.replace(settings, production=True), engine)
    client = TestClient(app)
    r = client.get("/v1/policy", headers={"X-Forwarded-Proto": "http"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "https_required"
    assert client.get("/v1/policy", headers={"X-Forwarded-Proto": "https"}).status_code == 200


def test_logs_hold_no_password_token_or_email(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    user = api.signup()
    api.post("/v1/sessions", json={"email": user.email, "password": "mauvais-mot-de-passe"})
    api.get("/v1/me/export", headers=user.auth)
    for secret in (PASSWORD, "mauvais-mot-de-passe", user.access, user.refresh, user.email):
        assert secret not in caplog.text


def test_nul_and_control_characters_are_refused_not_crashing(api: Api) -> None:
    """PostgreSQL refuses NUL in text: such input must be a 4xx, never a 500."""
    user = api.signup()
    cases = [
        api.post("/v1/sessions", json={"email": "a\u0000b@exemple.fr", "password": "mauvais-mot-de-passe"}),
        api.post("/v1/sessions", json={"email": user.email, "password": "x\u0000y"}),
        api.post("/v1/sessions", json={"email": user.email, "password": PASSWORD, "device": "PC\u0000"}),
        api.post("/v1/billing/checkout", headers=user.auth, json={"plan": "pro\u0000"}),
        api.post("/v1/me/policy-acknowledgement", headers=user.auth, json={"version": "\u0000"}),
        api.patch("/v1/me", headers=user.auth, json={"first_name": "A\u0000"}),
        api.post("/v1/sessions/refresh", json={"refresh_token": "mao_rt_\u0000"}),
        api.get("/v1/sync/changes", headers=user.sync, params={"cursor": "c1.\u0000"}),
    ]
    for r in cases:
        assert 400 <= r.status_code < 500, r.text
        assert set(r.json()) == {"error"}


def _nested(depth: int) -> str:
    """JSON text of `depth` nested containers (objects and arrays in turn)."""
    opening = "".join('{"n":' if n % 2 == 0 else "[" for n in range(depth))
    closing = "".join("}" if n % 2 == 0 else "]" for n in reversed(range(depth)))
    return opening + '"feuille"' + closing


@pytest.mark.parametrize("depth", [33, 256, 1000])
def test_deeply_nested_bodies_are_refused_in_french_not_crashing(api: Api, depth: int) -> None:
    user = api.signup()
    # The body itself, the changes list and the record are 3 levels: `depth` in all.
    body = (
        f'{{"idempotency_key": "{uuid.uuid4().hex}", "changes": '
        f'[{{"type": "staff", "id": "{uuid.uuid4()}", "data": {_nested(depth - 3)}}}]}}'
    )
    r = api.post("/v1/sync/push", headers={**user.sync, "content-type": "application/json"}, content=body)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid_input"
    assert "imbrication" in r.json()["error"]["message"]
    raw = "[" * depth + "]" * depth
    for path in ("/v1/accounts", "/v1/sessions", "/v1/analysis/v1/messages"):
        r = api.post(path, headers={**user.auth, "content-type": "application/json"}, content=raw)
        assert r.status_code == 422, (path, r.text)
        assert set(r.json()) == {"error"}


def test_nesting_within_the_bound_is_accepted(api: Api) -> None:
    user = api.signup()
    tricky = {"texte": 'crochets dans une chaîne : [[[[{{{{ \\" ]]]', "n": json.loads(_nested(28))}
    record = {"type": "staff", "id": str(uuid.uuid4()), "data": tricky}
    r = api.post(
        "/v1/sync/push", headers=user.sync, json={"idempotency_key": uuid.uuid4().hex, "changes": [record]}
    )
    assert r.status_code == 200, r.text


def test_json_depth_scanner() -> None:
    from server.middleware import json_depth_exceeds

    assert not json_depth_exceeds(b'{"a": [1, {"b": "[[[[[[[[[[[[[[[["}]}', 3)
    assert json_depth_exceeds(b'{"a": [1, {"b": [[]]}]}', 3)
    assert not json_depth_exceeds(b'{"a": "\\\\", "b": "\\"[[[["}', 1)
    assert json_depth_exceeds(b'{"a": "\\\\", "b": [[]]}', 2)
    assert not json_depth_exceeds(b"", 32)


def test_uvicorn_error_log_never_holds_what_an_unexpected_error_said(
    settings: Settings, engine: Engine
) -> None:
    """An unexpected exception is answered 500 and logged by type only: it never reaches uvicorn's own
    error log (which would print its message and traceback, request data included)."""
    import httpx

    from tests.server.conftest import LiveServer

    app: FastAPI = create_app(settings, engine)
    marker = f"donnee-client-{uuid.uuid4().hex}"

    @app.post("/boom")
    async def boom() -> None:
        raise ValueError(f"invalid literal: {marker}")

    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Keep()
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    watched = [logging.getLogger(name) for name in ("uvicorn", "uvicorn.error", "maitre_ao.server")]
    server = LiveServer(app)
    for logger in watched:
        logger.addHandler(handler)
    try:
        r = httpx.post(f"{server.url}/boom", content=marker)
        assert r.status_code == 500 and r.json()["error"]["code"] == "internal_error"
        assert r.headers["x-content-type-options"] == "nosniff"
    finally:
        server.stop()
        for logger in watched:
            logger.removeHandler(handler)
    text = "\n".join(records)
    assert "unhandled ValueError" in text
    assert marker not in text and "Exception in ASGI application" not in text


def test_no_cookie_is_ever_set(api: Api) -> None:
    """Privacy policy §7: no advertising cookies or trackers; the API sets no cookie at all."""
    user = api.signup()
    answers = [
        api.get("/v1/policy"),
        api.get("/v1/plans"),
        api.post("/v1/sessions", json={"email": user.email, "password": PASSWORD}),
        api.get("/v1/me", headers=user.auth),
        api.get("/v1/me/export", headers=user.auth),
        api.get("/v1/sync/changes", headers=user.sync),
        api.get("/v1/inexistant"),
    ]
    for r in answers:
        assert "set-cookie" not in r.headers, r.request.url
