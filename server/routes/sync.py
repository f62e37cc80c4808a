"""Sync endpoints (see sync/protocol.py): every query is scoped by the caller's account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from server import counters, sync_store
from server.context import Authed, TokenDep, authenticate, ctx_of
from server.errors import ApiError
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

router = APIRouter(tags=["synchronisation"])


def protocol_version(
    version: Annotated[
        str | None, Header(alias=PROTOCOL_HEADER, description="Version du protocole de synchronisation")
    ] = None,
) -> int:
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


ProtocolDep = Annotated[int, Depends(protocol_version)]


def _sync_allowed(authed: Authed) -> None:
    ensure_not_restricted(authed.account)
    if not authed.plan.sync_enabled:
        raise ApiError(403, "sync_not_in_plan", "La synchronisation n'est pas incluse dans votre offre.")


_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    426: {"model": ErrorBody, "description": "Mettre à jour l'application"},
}


@router.get(
    PULL_PATH,
    response_model=PullPage,
    summary="Changements après un curseur",
    responses={**_ERRORS, 410: {"model": ErrorBody}},
)
def pull(
    request: Request,
    token: TokenDep,
    _version: ProtocolDep,
    cursor: Annotated[str | None, Query(max_length=60)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
) -> Response:
    with ctx_of(request).read() as s:
        authed = authenticate(s, token)
        _sync_allowed(authed)
        page = sync_store.pull(s, authed.account, cursor, limit)
    # Already a validated PullPage: serialize once instead of letting FastAPI re-validate it.
    return Response(page.model_dump_json(), media_type="application/json")


@router.post(
    PUSH_PATH,
    response_model=PushResult,
    summary="Envoyer un lot de modifications",
    responses={**_ERRORS, 409: {"model": ConflictBody}},
)
def push(
    batch: PushBatch,
    request: Request,
    token: TokenDep,
    _version: ProtocolDep,
) -> PushResult:
    with ctx_of(request).tx() as s:
        # Row lock: pushes of one account are serialized, so revisions commit in order.
        authed = authenticate(s, token, for_update=True)
        _sync_allowed(authed)
        result = sync_store.push(s, authed.account, batch)
        counters.count_feature(s, authed.account, "sync_push")
        return result
