"""Sync endpoints (see sync/protocol.py): every query is scoped by the caller's account."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request, Response

from server import counters, sync_store
from server.context import AppContext, Authed, access_hash, authenticate, ctx_of
from server.errors import ApiError
from server.middleware import BoundedRoute
from server.routes.common import ensure_not_restricted
from sync.protocol import (
    DEFAULT_PULL_LIMIT,
    ERROR_PROTOCOL_UNSUPPORTED,
    MAX_PULL_LIMIT,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    PULL_PATH,
    PUSH_PATH,
    SUPPORTED_PROTOCOL_VERSIONS,
    ConflictBody,
    ErrorBody,
    PullPage,
    PushBatch,
    PushResult,
)

router = APIRouter(tags=["synchronisation"], route_class=BoundedRoute)


def check_protocol(version: str | None) -> int:
    """The client's protocol version; 426 with a French message when this server no longer speaks it."""
    try:
        value = int(version) if version is not None else None
    except ValueError:
        value = None
    if value not in SUPPORTED_PROTOCOL_VERSIONS:
        raise ApiError(
            426,
            ERROR_PROTOCOL_UNSUPPORTED,
            "Cette version de Maître AO ne sait plus synchroniser avec le serveur : "
            "mettez l'application à jour pour reprendre la synchronisation.",
            headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
        )
    assert value is not None
    return value


async def sync_caller(request: Request) -> str:
    """The bearer token's hash, then the protocol check, read straight from the headers.

    One plain dependency instead of HTTPBearer + Header sub-dependencies: FastAPI's resolution of those
    was a sizeable share of a sync request's CPU. It still runs before the body is validated (an
    anonymous request gets 401, not 422). The headers are declared for the OpenAPI schema in
    `_DECLARED`."""
    token = access_hash(request.headers.get("authorization"))
    check_protocol(request.headers.get(PROTOCOL_HEADER))
    return token


SyncCallerDep = Annotated[str, Depends(sync_caller)]
_DECLARED: dict[str, Any] = {
    "security": [{"HTTPBearer": []}],
    "parameters": [
        {
            "name": PROTOCOL_HEADER,
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": "Version du protocole de synchronisation",
        }
    ],
}


def _sync_allowed(authed: Authed) -> None:
    ensure_not_restricted(authed.restricted)
    if not authed.sync_enabled:
        raise ApiError(403, "sync_not_in_plan", "La synchronisation n'est pas incluse dans votre offre.")


_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    426: {"model": ErrorBody, "description": "Mettre à jour l'application"},
}


def _pull(ctx: AppContext, token: str, cursor: str | None, limit: int) -> bytes:
    with ctx.autocommit_engine.connect() as db:
        authed = authenticate(db, token)
        _sync_allowed(authed)
        return sync_store.pull(db, authed, cursor, limit).model_dump_json().encode()


def _push(ctx: AppContext, token: str, batch: PushBatch) -> bytes:
    with ctx.engine.begin() as db:
        # Row lock: pushes of one account are serialized, so revisions commit in order.
        authed = authenticate(db, token, for_update=True)
        _sync_allowed(authed)
        result = sync_store.push(db, authed, batch)
        counters.count_feature(db, authed.caller.account_id, authed.objected, "sync_push")
        return result.encode()


# The handlers are async and hand the whole database exchange to a worker thread in one hop (a sync
# handler plus sync dependencies would cost one hop each), through their own small set of threads: the
# work is short and mostly holds the GIL, so dozens of threads per process would only fight over it
# (measured: 445 -> 780 requests/s with 4 instead of 40); slow requests elsewhere (bcrypt logins) keep
# the default pool. They answer the JSON they built instead of letting FastAPI validate and serialize
# the models a second time.
SYNC_THREADS = 4
# One limiter per event loop (anyio binds it to the loop that created it; tests run several loops).
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


async def _in_thread(func: Callable[..., bytes], *args: object) -> bytes:
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(SYNC_THREADS)
    return await anyio.to_thread.run_sync(func, *args, limiter=limiter)


@router.get(
    PULL_PATH,
    response_model=PullPage,
    summary="Changements après un curseur",
    responses={**_ERRORS, 410: {"model": ErrorBody}},
    openapi_extra=_DECLARED,
)
async def pull(
    request: Request,
    token: SyncCallerDep,
    cursor: Annotated[str | None, Query(max_length=60)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
) -> Response:
    body = await _in_thread(_pull, ctx_of(request), token, cursor, limit)
    return Response(body, media_type="application/json")


@router.post(
    PUSH_PATH,
    response_model=PushResult,
    summary="Envoyer un lot de modifications",
    responses={**_ERRORS, 409: {"model": ConflictBody}},
    openapi_extra=_DECLARED,
)
async def push(batch: PushBatch, request: Request, token: SyncCallerDep) -> Response:
    body = await _in_thread(_push, ctx_of(request), token, batch)
    return Response(body, media_type="application/json")
