"""The Claude proxy against a loopback stand-in of the Messages API: JSON and SSE, server key,
usage metered per account, monthly quota, no request or response body stored or logged."""

from __future__ import annotations

import dataclasses
import json
import logging
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anthropic
import httpx
import pytest
from sqlalchemy import Engine, MetaData, insert, select, update

from server.app import create_app
from server.config import Settings
from server.models import UsageMonth, utcnow
from server.routes.common import month_of
from tests.server.conftest import Api, LiveServer, User
from tests.server.fakes import USAGE, FakeService

TOTAL = sum(USAGE.values())


def _request(marker: str, stream: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": "claude-haiku-4-5",
        "max_tokens": 64,
        "messages": [{"role": "user", "content": f"Analyse ce RC confidentiel {marker}"}],
    }
    if stream:
        body["stream"] = True
    return body


def _usage(api: Api, user: User) -> dict[str, Any]:
    r = api.get("/v1/me/usage", headers=user.auth)
    assert r.status_code == 200
    return dict(r.json())


def _all_text_in_database(engine: Engine) -> str:
    meta = MetaData()
    meta.reflect(engine)
    chunks: list[str] = []
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            for row in conn.execute(select(table)):
                chunks.append(json.dumps([str(v) for v in row]))
    return "\n".join(chunks)


def test_plain_call_forwarded_with_the_server_key_and_metered(
    api: Api, claude: FakeService, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    user = api.signup()
    marker = f"MARQUEUR-{uuid.uuid4().hex}"
    before = len(claude.seen)
    r = api.post(
        "/v1/analysis/v1/messages",
        headers={
            **user.auth,
            "anthropic-version": "2023-06-01",
            "anthropic-beta": "prompt-caching-2024-07-31",
        },
        json=_request(marker),
    )
    assert r.status_code == 200, r.text
    assert r.json()["content"][0]["text"] == "Réponse de test."
    [seen] = claude.seen[before:]
    assert seen.headers["x-api-key"] == "sk-ant-server-key-test"
    assert "authorization" not in seen.headers and user.access not in json.dumps(seen.headers)
    assert seen.headers["anthropic-beta"] == "prompt-caching-2024-07-31"
    assert marker in seen.body.decode()
    usage = _usage(api, user)
    assert usage["requests"] == 1 and usage["used_tokens"] == TOTAL
    assert usage["input_tokens"] == USAGE["input_tokens"] and usage["output_tokens"] == USAGE["output_tokens"]
    assert marker not in _all_text_in_database(engine)
    assert marker not in caplog.text and "Réponse de test" not in caplog.text
    assert "sk-ant-server-key-test" not in caplog.text and user.access not in caplog.text


def test_streamed_call_passes_events_through_and_meters_from_the_stream(
    api: Api, engine: Engine, claude: FakeService
) -> None:
    user = api.signup()
    marker = f"MARQUEUR-{uuid.uuid4().hex}"
    with api.client.stream(
        "POST", "/v1/analysis/v1/messages", headers=user.auth, json=_request(marker, True)
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        text = "".join(r.iter_text())
    assert text.count("event: content_block_delta") == 2 and "de test." in text
    usage = _usage(api, user)
    assert usage["output_tokens"] == USAGE["output_tokens"]  # the final, cumulative count
    assert usage["input_tokens"] == USAGE["input_tokens"] and usage["used_tokens"] == TOTAL
    assert marker not in _all_text_in_database(engine)


def test_quota_exceeded_is_refused_in_french_before_reaching_claude(
    api: Api, engine: Engine, claude: FakeService
) -> None:
    user = api.signup()
    assert api.post("/v1/analysis/v1/messages", headers=user.auth, json=_request("x")).status_code == 200
    with engine.begin() as conn:
        conn.execute(
            update(UsageMonth)
            .where(UsageMonth.account_id == user.id, UsageMonth.month == month_of(utcnow()))
            .values(output_tokens=200_000)
        )
    before = len(claude.seen)
    r = api.post("/v1/analysis/v1/messages", headers=user.auth, json=_request("y"))
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "quota_exceeded"
    message = r.json()["error"]["message"]
    assert "Quota mensuel" in message and "Découverte" in message and "renouvelé le 1er" in message
    assert int(r.headers["retry-after"]) > 0
    assert len(claude.seen) == before


def test_upstream_errors_pass_through_unmetered(api: Api, claude: FakeService) -> None:
    user = api.signup()
    claude.status = 529
    r = api.post("/v1/analysis/v1/messages", headers=user.auth, json=_request("z"))
    assert r.status_code == 529
    assert r.json()["error"]["type"] == "overloaded_error"
    assert _usage(api, user)["requests"] == 0


def test_proxy_needs_a_session_and_a_json_body(api: Api) -> None:
    assert api.post("/v1/analysis/v1/messages", json=_request("x")).status_code == 401
    user = api.signup()
    r = api.post("/v1/analysis/v1/messages", headers=user.auth, content=b"pas du json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_anthropic_sdk_works_through_the_proxy(api: Api, live: LiveServer) -> None:
    user = api.signup()
    client = anthropic.Anthropic(auth_token=user.access, base_url=f"{live.url}/v1/analysis", max_retries=0)
    message = client.messages.create(
        model="claude-haiku-4-5", max_tokens=64, messages=[{"role": "user", "content": "Bonjour"}]
    )
    assert message.content[0].text == "Réponse de test."  # type: ignore[union-attr]
    assert message.usage.output_tokens == USAGE["output_tokens"]
    with client.messages.stream(
        model="claude-haiku-4-5", max_tokens=64, messages=[{"role": "user", "content": "Bonjour"}]
    ) as stream:
        assert stream.get_final_text() == "Réponse de test."
    assert _usage(api, user)["requests"] == 2
    # A wrong token is refused by the proxy itself.
    bad = anthropic.Anthropic(auth_token="mao_at_faux", base_url=f"{live.url}/v1/analysis", max_retries=0)
    with pytest.raises(anthropic.AuthenticationError):
        bad.messages.create(
            model="claude-haiku-4-5", max_tokens=8, messages=[{"role": "user", "content": "x"}]
        )
    assert httpx.get(f"{live.url}/health").json() == {"status": "ok"}


@pytest.fixture
def served(settings: Settings, engine: Engine) -> Iterator[LiveServer]:
    server = LiveServer(create_app(dataclasses.replace(settings, trust_proxy_headers=True), engine))
    yield server
    server.stop()


@pytest.mark.timeout(120)
def test_parallel_calls_at_the_edge_of_the_quota_let_only_one_through(
    api: Api, engine: Engine, claude: FakeService, served: LiveServer
) -> None:
    user = api.signup()
    with engine.begin() as conn:
        conn.execute(
            insert(UsageMonth).values(
                account_id=user.id, month=month_of(utcnow()), requests=1, input_tokens=0,
                output_tokens=199_999, cache_creation_tokens=0, cache_read_tokens=0, reserved_tokens=0,
            )
        )  # fmt: skip
    before = len(claude.seen)

    def call(_n: int) -> int:
        r = httpx.post(
            f"{served.url}/v1/analysis/v1/messages", headers=user.auth, json=_request("x"), timeout=60
        )
        return r.status_code

    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(call, range(20)))
    assert statuses.count(200) == 1, statuses
    assert statuses.count(429) == 19
    assert len(claude.seen) - before == 1
    # Settled on the actual usage: nothing stays reserved.
    with engine.connect() as conn:
        row = conn.execute(select(UsageMonth).where(UsageMonth.account_id == user.id)).one()
    assert row.reserved_tokens == 0 and row.output_tokens == 199_999 + USAGE["output_tokens"]


def test_models_and_max_tokens_are_capped_by_the_plan(api: Api, claude: FakeService) -> None:
    user = api.signup()  # Découverte
    before = len(claude.seen)
    opus = api.post(
        "/v1/analysis/v1/messages", headers=user.auth, json={**_request("x"), "model": "claude-opus-4-5"}
    )
    assert opus.status_code == 403 and opus.json()["error"]["code"] == "model_not_allowed"
    assert "Découverte" in opus.json()["error"]["message"]
    unknown = api.post(
        "/v1/analysis/v1/messages", headers=user.auth, json={**_request("x"), "model": "gpt-4"}
    )
    assert unknown.status_code == 403
    huge = api.post(
        "/v1/analysis/v1/messages", headers=user.auth, json={**_request("x"), "max_tokens": 100_000}
    )
    assert huge.status_code == 400 and huge.json()["error"]["code"] == "max_tokens_too_large"
    assert "8192" in huge.json()["error"]["message"].replace("\u202f", "")
    missing = api.post("/v1/analysis/v1/messages", headers=user.auth, json={"messages": []})
    assert missing.status_code == 400
    assert len(claude.seen) == before  # none of them reached Claude
    # A dated variant of an allowed model is allowed.
    dated = api.post(
        "/v1/analysis/v1/messages",
        headers=user.auth,
        json={**_request("x"), "model": "claude-haiku-4-5-20251001"},
    )
    assert dated.status_code == 200


def test_a_failed_upstream_call_releases_its_reservation(
    api: Api, engine: Engine, claude: FakeService
) -> None:
    user = api.signup()
    claude.status = 529
    assert api.post("/v1/analysis/v1/messages", headers=user.auth, json=_request("z")).status_code == 529
    with engine.connect() as conn:
        reserved = conn.execute(
            select(UsageMonth.reserved_tokens).where(UsageMonth.account_id == user.id)
        ).scalar()
    assert not reserved
