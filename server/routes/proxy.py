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
from server.middleware import BoundedRoute
from server.models import Account, Plan, utcnow
from server.routes.common import ensure_not_restricted, month_of, plan_of

log = logging.getLogger("maitre_ao.server")
router = APIRouter(prefix="/v1/analysis", tags=["analyse"], route_class=BoundedRoute)

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
FORWARDED_REQUEST_HEADERS = ("anthropic-version", "anthropic-beta")
FORWARDED_RESPONSE_HEADERS = ("request-id", "retry-after", "x-should-retry")
USAGE_KEYS = ("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")


def _next_month(now: datetime) -> datetime:
    return datetime(now.year + (now.month == 12), now.month % 12 + 1, 1, tzinfo=UTC)


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def model_allowed(model: str, allowed: str) -> bool:
    """A listed name, or a dated variant of one ("claude-haiku-4-5-20251001")."""
    names = [name.strip() for name in allowed.split(",") if name.strip()]
    return any(
        model == name or (model.startswith(name + "-") and model[len(name) + 1 :].isdigit()) for name in names
    )


def estimate_tokens(body: bytes, max_tokens: int) -> int:
    """What a call may cost before it is made: its input (about one token per 3 bytes of JSON, on the
    high side) plus every output token it may produce."""
    return len(body) // 3 + max_tokens


def _quota_error(plan: Plan, now: datetime) -> ApiError:
    renewal = _next_month(now)
    return ApiError(
        429,
        "quota_exceeded",
        f"Quota mensuel d'analyse atteint ({_thousands(plan.monthly_tokens)} jetons avec l'offre "
        f"{plan.name}). Il sera renouvelé le 1er {MONTHS[renewal.month - 1]} {renewal.year} ; "
        "passez à une offre supérieure pour continuer dès maintenant.",
        headers={"Retry-After": str(int((renewal - now).total_seconds()))},
    )


def _admit(ctx: AppContext, caller: Caller, model: str, max_tokens: int, estimate: int) -> tuple[str, int]:
    """Checks restriction, the plan's models and `max_tokens`, and reserves the call's tokens against
    the monthly quota under the month's row lock; returns (month, tokens reserved).

    A call is admitted only while some quota is left unreserved, and reserves its estimate (capped at
    what is left): parallel calls at the edge of the quota cannot all pass, only the first one.
    """
    now = utcnow()
    month = month_of(now)
    with ctx.tx() as s:
        account = load_account(s, caller)
        ensure_not_restricted(account.restricted)
        plan = plan_of(s, account)
        if not model_allowed(model, plan.allowed_models):
            raise ApiError(
                403,
                "model_not_allowed",
                f"Le modèle « {model[:60]} » n'est pas disponible avec l'offre {plan.name} "
                f"(modèles disponibles : {plan.allowed_models.replace(',', ', ')}).",
            )
        if max_tokens > plan.max_output_tokens:
            raise ApiError(
                400,
                "max_tokens_too_large",
                f"max_tokens trop élevé : au plus {_thousands(plan.max_output_tokens)} jetons par réponse "
                f"avec l'offre {plan.name}.",
            )
        row = counters.lock_usage_month(s, account.id, month)
        used = (
            row.input_tokens
            + row.output_tokens
            + row.cache_creation_tokens
            + row.cache_read_tokens
            + row.reserved_tokens
        )
        if used >= plan.monthly_tokens:
            raise _quota_error(plan, now)
        reserved = max(1, min(estimate, plan.monthly_tokens - used))
        counters.reserve_tokens(s, account.id, month, reserved)
    return month, reserved


def _meter(ctx: AppContext, account_id: str, month: str, usage: dict[str, int] | None, reserved: int) -> None:
    """Settle a call: its reservation released, its actual usage (None: the call failed) metered."""
    with ctx.tx() as s:
        counters.reserve_tokens(s, account_id, month, -reserved)
        if usage is None:
            return
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
                        "model": {"type": "string", "description": "un modèle permis par l'offre"},
                        "max_tokens": {
                            "type": "integer",
                            "minimum": 1,
                            "description": "au plus le plafond de l'offre",
                        },
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
    body = await request.body()
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        raise ApiError(400, "bad_request", "Corps de requête JSON invalide.") from None
    if not isinstance(parsed, dict):
        raise ApiError(400, "bad_request", "Corps de requête JSON invalide.")
    model, max_tokens = parsed.get("model"), parsed.get("max_tokens")
    if (
        not isinstance(model, str)
        or not isinstance(max_tokens, int)
        or isinstance(max_tokens, bool)
        or max_tokens < 1
    ):
        raise ApiError(
            400, "bad_request", "Requête d'analyse invalide : « model » et « max_tokens » sont obligatoires."
        )
    streamed = parsed.get("stream") is True
    del parsed
    month, reserved = await run_in_threadpool(
        _admit, ctx, caller, model, max_tokens, estimate_tokens(body, max_tokens)
    )
    settled = False

    async def settle(usage: dict[str, int] | None) -> None:
        nonlocal settled
        if not settled:
            settled = True
            await run_in_threadpool(_meter, ctx, caller.account_id, month, usage, reserved)

    if not ctx.settings.anthropic_api_key:
        await settle(None)
        raise ApiError(
            503, "analysis_unavailable", "L'analyse par Claude n'est pas disponible sur ce serveur."
        )
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
        await settle(None)
        raise ApiError(
            502, "analysis_unreachable", "Le service d'analyse est injoignable. Réessayez plus tard."
        ) from None
    except BaseException:
        await settle(None)
        raise
    del body
    passed = {k: v for k, v in upstream.headers.items() if k.lower() in FORWARDED_RESPONSE_HEADERS}
    content_type = upstream.headers.get("content-type", "application/json")
    log.info("claude proxy status=%s stream=%s", upstream.status_code, streamed)

    if not (streamed and upstream.status_code == 200):
        usage: dict[str, int] | None = None
        try:
            content = await upstream.aread()
            if upstream.status_code == 200:
                try:
                    usage = _usage_from(json.loads(content).get("usage"))
                except (ValueError, AttributeError, RecursionError):
                    usage = {}
        finally:
            await upstream.aclose()
            await settle(usage)
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
            await settle(reader.usage)

    return StreamingResponse(relay(), status_code=200, media_type=content_type, headers=passed)
