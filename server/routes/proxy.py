"""Anthropic-compatible proxy: the desktop's `anthropic` SDK uses base_url …/v1/analysis.

The request goes to Claude with the server's key; the plan's monthly token quota is checked first and
the `usage` of the answer is metered per account. Bodies are streamed through, never stored or logged.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse

from server import counters
from server.context import AppContext, Caller, CallerDep, ctx_of, load_account
from server.errors import ApiError
from server.models import Account, UsageMonth, utcnow
from server.routes.common import ensure_not_restricted, month_of, plan_of

log = logging.getLogger("maitre_ao.server")
router = APIRouter(prefix="/v1/analysis", tags=["analyse"])

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
FORWARDED_REQUEST_HEADERS = ("anthropic-version", "anthropic-beta")
FORWARDED_RESPONSE_HEADERS = ("request-id", "retry-after", "x-should-retry")
USAGE_KEYS = ("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")


def _next_month(now: datetime) -> datetime:
    return datetime(now.year + (now.month == 12), now.month % 12 + 1, 1, tzinfo=UTC)


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _admit(ctx: AppContext, caller: Caller) -> str:
    """Checks restriction and quota; returns the month to meter."""
    now = utcnow()
    month = month_of(now)
    with ctx.tx() as s:
        account = load_account(s, caller)
        ensure_not_restricted(account.restricted)
        plan = plan_of(s, account)
        row = s.get(UsageMonth, (account.id, month))
        used = (
            row.input_tokens + row.output_tokens + row.cache_creation_tokens + row.cache_read_tokens
            if row
            else 0
        )
        if used >= plan.monthly_tokens:
            renewal = _next_month(now)
            raise ApiError(
                429,
                "quota_exceeded",
                f"Quota mensuel d'analyse atteint ({_thousands(plan.monthly_tokens)} jetons avec l'offre "
                f"{plan.name}). Il sera renouvelé le 1er {MONTHS[renewal.month - 1]} {renewal.year} ; "
                "passez à une offre supérieure pour continuer dès maintenant.",
                headers={"Retry-After": str(int((renewal - now).total_seconds()))},
            )
    if not ctx.settings.anthropic_api_key:
        raise ApiError(
            503, "analysis_unavailable", "L'analyse par Claude n'est pas disponible sur ce serveur."
        )
    return month


def _meter(ctx: AppContext, account_id: str, month: str, usage: dict[str, int]) -> None:
    with ctx.tx() as s:
        counters.meter_tokens(s, account_id, month, usage)
        account = s.get(Account, account_id)
        if account is not None:
            counters.count_feature(s, account.id, account.objected, "analysis")


def _usage_from(obj: object) -> dict[str, int]:
    if not isinstance(obj, dict):
        return {}
    return {k: int(v) for k, v in obj.items() if k in USAGE_KEYS and isinstance(v, int) and v >= 0}


class SseUsage:
    """Reads token counts out of a Messages SSE stream (message_start, message_delta); keeps no text."""

    def __init__(self) -> None:
        self.usage: dict[str, int] = {}
        self._buffer = b""

    def feed(self, chunk: bytes) -> None:
        self._buffer += chunk.replace(b"\r\n", b"\n")
        while b"\n\n" in self._buffer:
            event, self._buffer = self._buffer.split(b"\n\n", 1)
            self._event(event)
        if len(self._buffer) > 1_000_000:  # a single event never gets that big; drop, don't hoard
            self._buffer = b""

    def _event(self, event: bytes) -> None:
        data = b"".join(line[5:].strip() for line in event.split(b"\n") if line.startswith(b"data:"))
        if b'"usage"' not in data:
            return
        try:
            payload = json.loads(data)
        except ValueError:
            return
        if not isinstance(payload, dict):
            return
        if payload.get("type") == "message_start":
            found = _usage_from((payload.get("message") or {}).get("usage"))
        else:
            found = _usage_from(payload.get("usage"))
        # Counts in message_delta are cumulative: keep the largest value seen per kind.
        for key, value in found.items():
            self.usage[key] = max(self.usage.get(key, 0), value)


def _upstream_client(request: Request) -> httpx.AsyncClient:
    client = getattr(request.app.state, "upstream", None)
    if client is None:
        timeout = httpx.Timeout(
            connect=10.0, read=ctx_of(request).settings.proxy_timeout_seconds, write=60.0, pool=10.0
        )
        client = httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        request.app.state.upstream = client
    assert isinstance(client, httpx.AsyncClient)
    return client


_MESSAGES_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "Requête Messages API d'Anthropic, transmise telle quelle.",
                    "required": ["model", "max_tokens", "messages"],
                    "properties": {
                        "model": {"type": "string"},
                        "max_tokens": {"type": "integer", "minimum": 1},
                        "messages": {"type": "array", "items": {"type": "object"}},
                        "stream": {"type": "boolean"},
                    },
                }
            }
        },
    }
}


@router.post(
    "/v1/messages",
    summary="Messages API de Claude (compatible Anthropic)",
    response_model=None,
    openapi_extra=_MESSAGES_BODY,
)
async def messages(request: Request, caller: CallerDep) -> Response:
    ctx = ctx_of(request)
    month = await run_in_threadpool(_admit, ctx, caller)
    body = await request.body()
    try:
        parsed = json.loads(body)
    except ValueError:
        raise ApiError(400, "bad_request", "Corps de requête JSON invalide.") from None
    if not isinstance(parsed, dict):
        raise ApiError(400, "bad_request", "Corps de requête JSON invalide.")
    streamed = parsed.get("stream") is True
    del parsed
    headers = {
        "x-api-key": ctx.settings.anthropic_api_key,
        "content-type": "application/json",
        "accept-encoding": "identity",  # the usage is read from the answer as it passes
        "anthropic-version": "2023-06-01",
    }
    for name in FORWARDED_REQUEST_HEADERS:
        value = request.headers.get(name)
        if value:
            headers[name] = value
    url = ctx.settings.anthropic_upstream_url.rstrip("/") + "/v1/messages"
    client = _upstream_client(request)
    try:
        upstream = await client.send(
            client.build_request("POST", url, content=body, headers=headers), stream=True
        )
    except httpx.HTTPError as exc:
        log.warning("claude upstream unreachable: %s", type(exc).__name__)
        raise ApiError(
            502, "analysis_unreachable", "Le service d'analyse est injoignable. Réessayez plus tard."
        ) from None
    del body
    passed = {k: v for k, v in upstream.headers.items() if k.lower() in FORWARDED_RESPONSE_HEADERS}
    content_type = upstream.headers.get("content-type", "application/json")
    log.info("claude proxy status=%s stream=%s", upstream.status_code, streamed)

    if not (streamed and upstream.status_code == 200):
        try:
            content = await upstream.aread()
        finally:
            await upstream.aclose()
        if upstream.status_code == 200:
            try:
                usage = _usage_from(json.loads(content).get("usage"))
            except (ValueError, AttributeError):
                usage = {}
            await run_in_threadpool(_meter, ctx, caller.account_id, month, usage)
        # Claude's own errors pass through unchanged so the SDK can retry overloads as usual.
        return Response(content, status_code=upstream.status_code, media_type=content_type, headers=passed)

    reader = SseUsage()

    async def relay() -> AsyncIterator[bytes]:
        try:
            async for chunk in upstream.aiter_raw():
                reader.feed(chunk)
                yield chunk
        finally:
            await upstream.aclose()
            # Metered even if the client went away mid-stream: the tokens were spent.
            await run_in_threadpool(_meter, ctx, caller.account_id, month, reader.usage)

    return StreamingResponse(relay(), status_code=200, media_type=content_type, headers=passed)
